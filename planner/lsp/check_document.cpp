#include "lsp/check_document.h"

#include <filesystem>

#include "check/settings.h"

namespace planner::lsp {

CheckedDocument check_document(const std::string& path, bool is_file, std::string text) {
  CheckedDocument out;
  Settings settings;
  const std::string start = is_file ? std::filesystem::path(path).parent_path().string() : std::string();
  if (const std::string found = find_settings(start); !found.empty()) {
    Settings loaded;
    if (load_settings(found, loaded, out.settings_errors)) settings = std::move(loaded);
  }
  CheckOptions options;
  if (settings.select) options.select = *settings.select;
  if (settings.ignore) options.ignore = *settings.ignore;
  if (is_file)
    for (auto& rule : per_file_ignores_for(settings, path)) options.ignore.push_back(std::move(rule));
  out.options = options;
  out.result = check_text(path, std::move(text), options);
  return out;
}

}  // namespace planner::lsp
