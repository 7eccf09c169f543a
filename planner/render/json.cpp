#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "render/render.h"

namespace planner {

void render_json(std::ostream& out, const std::vector<FileResult>& results) {
  using json = nlohmann::ordered_json;  // key order is part of the interface
  json files = json::array();
  for (const auto& r : results) {
    json diags = json::array();
    for (const auto& d : r.diagnostics) {
      json j;
      j["code"] = d.code;
      j["name"] = d.name;
      j["severity"] = std::string(to_string(d.severity));
      j["message"] = d.message;
      j["line"] = d.line;
      j["column"] = d.column;
      j["end_line"] = d.end_line;
      j["end_column"] = d.end_column;
      j["path"] = d.path;
      if (!d.help.empty()) j["help"] = d.help;
      if (d.fix) {
        json edits = json::array();
        for (const auto& e : d.fix->edits)
          edits.push_back({{"begin_offset", e.begin}, {"end_offset", e.end}, {"text", e.text}});
        j["fix"] = {{"title", d.fix->title},
                    {"applicability", d.fix->safety == FixSafety::safe ? "safe" : "unsafe"},
                    {"edits", std::move(edits)}};
      }
      diags.push_back(std::move(j));
    }
    json f;
    f["path"] = r.path;
    f["diagnostics"] = std::move(diags);
    files.push_back(std::move(f));
  }
  Summary s = summarize(results);
  json root;
  root["version"] = 1;
  root["files"] = std::move(files);
  root["summary"] = {{"files", s.files}, {"errors", s.errors}, {"warnings", s.warnings}, {"infos", s.infos}};
  out << json_text(root) << '\n';
}

}  // namespace planner
