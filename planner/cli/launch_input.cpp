#include "cli/launch_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "core/text.h"
#include "render/render.h"

namespace planner::cli {

int gate_for_launch(const std::string& file, bool force, const std::string& route, FileResult& result) {
  std::string text, error;
  if (!read_config_file(file, text, error)) {
    std::cerr << fmt::format("planner: error: cannot read '{}': {}\n", shown_text(file), shown_text(error));
    return kExitUsage;
  }
  result = check_text(file, std::move(text));
  std::vector<Diagnostic> all = result.diagnostics, errors;
  for (const auto& d : all)
    if (d.severity == Severity::error) errors.push_back(d);
  // Without a well-formed, schema-valid mapping there is nothing to launch, --force or not.
  const bool unusable = !result.doc.root.is_map() ||
                        std::any_of(errors.begin(), errors.end(), [](const Diagnostic& d) {
                          return d.code == "LI001" || d.code == "LI002" || d.code == "LI003";
                        });
  if (!errors.empty() && (unusable || !force)) {
    result.diagnostics = errors;  // the findings that block, printed as `check` prints them
    render_text(std::cerr, {result}, false);
    result.diagnostics = all;
    std::cerr << fmt::format(
        "planner: error: '{}' has {}; no commands are made for a config that `planner check` rejects{}\n",
        shown_text(file), plural(static_cast<long long>(errors.size()), "error"), unusable ? "" : " (--force makes them anyway)");
    return kExitFindings;
  }
  if (!result.doc.root.is_map()) {
    std::cerr << fmt::format("planner: error: '{}' is not a config mapping\n", shown_text(file));
    return kExitFindings;
  }
  if (!errors.empty())
    std::cerr << fmt::format("planner: warning: '{}' has {}; making commands anyway (--force)\n", shown_text(file),
                             plural(static_cast<long long>(errors.size()), "error"));
  if (!route.empty()) {
    Config cfg = read_config(result.doc);
    std::vector<std::string> names;
    for (const auto& r : cfg.routes) names.push_back(r.name);
    if (std::find(names.begin(), names.end(), route) == names.end()) {
      std::string near = nearest(route, names);
      std::cerr << fmt::format("planner: error: '{}' has no route '{}'{}\n", shown_text(file), shown_value(route),
                               near.empty() ? "" : fmt::format(" (did you mean '{}'?)", shown_value(near)));
      return kExitUsage;
    }
  }
  return kExitOk;
}

}  // namespace planner::cli
