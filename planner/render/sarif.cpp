#include <nlohmann/json.hpp>

#include "render/render.h"
#include "rules/rule.h"

namespace planner {

namespace {
const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "note";
  }
  return "warning";
}
}  // namespace

void render_sarif(std::ostream& out, const std::vector<FileResult>& results) {
  using json = nlohmann::ordered_json;
  json rules = json::array();
  const auto& all = all_rules();
  for (const Rule* r : all) {
    rules.push_back({{"id", r->code},
                     {"name", r->name},
                     {"shortDescription", {{"text", r->summary}}},
                     {"fullDescription", {{"text", r->summary}}},
                     {"help", {{"text", r->doc}, {"markdown", r->doc}}},
                     {"defaultConfiguration", {{"level", sarif_level(r->severity)}}}});
  }
  json res = json::array();
  for (const auto& fr : results)
    for (const auto& d : fr.diagnostics) {
      int index = 0;
      for (std::size_t i = 0; i < all.size(); ++i)
        if (d.code == all[i]->code) index = static_cast<int>(i);
      std::string text = d.message;
      if (!d.help.empty()) text += " (help: " + d.help + ")";
      // GitHub code scanning needs a region; a whole-file finding points at line 1.
      json region = {{"startLine", d.line > 0 ? d.line : 1}};
      if (d.column > 0) region["startColumn"] = d.column;
      json result = {{"ruleId", d.code},
                     {"ruleIndex", index},
                     {"level", sarif_level(d.severity)},
                     {"message", {{"text", text}}},
                     {"locations",
                      json::array({{{"physicalLocation",
                                     {{"artifactLocation", {{"uri", d.file}}}, {"region", region}}}}})}};
      if (!d.path.empty()) result["properties"] = {{"yamlPath", d.path}};
      res.push_back(std::move(result));
    }
  json root = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
               {"version", "2.1.0"},
               {"runs", json::array({{{"tool",
                                       {{"driver",
                                         {{"name", "planner"},
                                          {"version", PLANNER_VERSION},
                                          {"informationUri", "https://github.com/planner/planner"},
                                          {"rules", std::move(rules)}}}}},
                                      {"results", std::move(res)}}})}};
  out << root.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

}  // namespace planner
