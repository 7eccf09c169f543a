#include "check/settings.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "check/check.h"
#include "core/text.h"
#include "load/document.h"
#include "validate/schema_check.h"

namespace planner {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> strings(const Node& list) {
  std::vector<std::string> out;
  for (const auto& v : list.values) out.push_back(v.text);
  return out;
}

std::string located(const std::string& path, int line, int column, const std::string& message) {
  return line > 0 ? fmt::format("{}:{}:{}: {}", shown_text(path), line, column, message)
                  : fmt::format("{}: {}", shown_text(path), message);
}

}  // namespace

std::string find_upward(const std::string& start, const std::string& name) {
  std::error_code ec;
  fs::path dir = start.empty() ? fs::current_path(ec) : fs::absolute(start, ec);
  if (ec) return "";
  for (int depth = 0; depth < 256; ++depth) {
    const fs::path candidate = dir / name;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return "";
}

bool load_settings(const std::string& path, Settings& out, std::vector<std::string>& errors) {
  std::string text, error;
  if (!read_config_file(path, text, error)) {
    errors.push_back(fmt::format("cannot read '{}': {}", shown_text(path), shown_text(error)));
    return false;
  }
  LoadResult loaded = parse_yaml(path, std::move(text));
  std::vector<Diagnostic> problems = loaded.ok() ? check_settings_schema(loaded.doc) : std::move(loaded.errors);
  std::stable_sort(problems.begin(), problems.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  for (const auto& d : problems) errors.push_back(located(path, d.line, d.column, shown_value(d.message)));
  if (!errors.empty()) return false;

  Settings s;
  s.path = path;
  std::error_code ec;
  s.dir = fs::absolute(fs::path(path), ec).parent_path().string();
  const Node& root = loaded.doc.root;
  if (const Node* n = root.get("select")) s.select = strings(*n);
  if (const Node* n = root.get("ignore")) s.ignore = strings(*n);
  if (const Node* n = root.get("strict")) s.strict = n->boolean;
  if (const Node* n = root.get("format")) s.format = n->text;
  if (const Node* n = root.get("per-file-ignores"))
    for (std::size_t i = 0; i < n->keys.size(); ++i) s.per_file_ignores.emplace_back(n->keys[i].text, strings(n->values[i]));
  out = std::move(s);
  return true;
}

std::vector<std::string> per_file_ignores_for(const Settings& settings, const std::string& file) {
  std::vector<std::string> out;
  if (settings.per_file_ignores.empty()) return out;
  std::error_code ec;
  const fs::path abs = fs::absolute(fs::path(file), ec).lexically_normal();
  const std::string rel = abs.lexically_relative(settings.dir).generic_string();
  const std::string name = abs.filename().string();
  for (const auto& [glob, rules] : settings.per_file_ignores) {
    const bool by_name = glob.find('/') == std::string::npos && fnmatch(glob.c_str(), name.c_str(), 0) == 0;
    if (by_name || fnmatch(glob.c_str(), rel.c_str(), FNM_PATHNAME) == 0) out.insert(out.end(), rules.begin(), rules.end());
  }
  return out;
}

}  // namespace planner
