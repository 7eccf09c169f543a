#include <cctype>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
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

// artifactLocation.uri must be a URI reference (RFC 3986): a path is percent-encoded (spaces,
// '%', '#', '?', non-ASCII bytes, and ':' so no first segment reads as a scheme), and an
// absolute path becomes a file:// URI as SARIF §3.4.3 asks; a relative one stays relative to
// the directory planner ran in (the repository root in CI).
std::string artifact_uri(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (c < 0x80 && (std::isalnum(c) || (c != 0 && std::strchr("-._~!$&'()*+,;=@/", c)))) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
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
      const std::string uri = artifact_uri(d.file);
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
                                     {{"artifactLocation", {{"uri", uri}}}, {"region", region}}}}})}};
      if (!d.path.empty()) result["properties"] = {{"yamlPath", d.path}};
      if (d.fix) {
        // SARIF 2.1.0 §3.55 fix / §3.57 replacement: byte regions of the file as it was checked.
        json replacements = json::array();
        for (const auto& e : d.fix->edits)
          replacements.push_back({{"deletedRegion", {{"byteOffset", e.begin}, {"byteLength", e.end - e.begin}}},
                                  {"insertedContent", {{"text", e.text}}}});
        result["fixes"] = json::array(
            {{{"description", {{"text", d.fix->title + (d.fix->safety == FixSafety::unsafe ? " (unsafe)" : "")}}},
              {"artifactChanges",
               json::array({{{"artifactLocation", {{"uri", uri}}}, {"replacements", std::move(replacements)}}})}}});
      }
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
  out << json_text(root) << '\n';
}

}  // namespace planner
