#include <fmt/format.h>

#include "render/render.h"

namespace planner {

namespace {
// Workflow-command escaping (GitHub Actions toolkit, command.ts: escapeData / escapeProperty).
std::string escape_data(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (c == '%') o += "%25";
    else if (c == '\r') o += "%0D";
    else if (c == '\n') o += "%0A";
    else o += c;
  }
  return o;
}
std::string escape_property(std::string_view s) {
  std::string o;
  for (char c : escape_data(s)) {
    if (c == ':') o += "%3A";
    else if (c == ',') o += "%2C";
    else o += c;
  }
  return o;
}
const char* command(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "notice";
  }
  return "warning";
}
}  // namespace

void render_github(std::ostream& out, const std::vector<FileResult>& results) {
  for (const auto& r : results)
    for (const auto& d : r.diagnostics) {
      std::string props = "file=" + escape_property(d.file);
      if (d.line > 0) props += fmt::format(",line={},col={}", d.line, d.column);
      props += ",title=" + escape_property(d.code + " " + d.name);
      std::string msg = d.message;
      if (!d.help.empty()) msg += "\nhelp: " + d.help;
      out << "::" << command(d.severity) << ' ' << props << "::" << escape_data(msg) << '\n';
    }
}

}  // namespace planner
