#include <fmt/format.h>

#include "core/text.h"
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
      // Control characters from input are escaped before the toolkit's escaping: the runner's log
      // is a terminal too. Only the newline planner adds before the help line stays a newline.
      std::string props = "file=" + escape_property(shown_text(d.file));
      if (d.line > 0) props += fmt::format(",line={},col={}", d.line, d.column);
      // Where the finding's text ends (exclusive column, as GitHub's endColumn is), when known.
      if (d.line > 0 && d.end_line > 0) props += fmt::format(",endLine={},endColumn={}", d.end_line, d.end_column);
      props += ",title=" + escape_property(shown_text(d.code + " " + d.name));
      std::string msg = shown_value(d.message, kMessageMax);
      if (!d.help.empty()) msg += "\nhelp: " + shown_value(d.help, kMessageMax);
      out << "::" << command(d.severity) << ' ' << props << "::" << escape_data(msg) << '\n';
    }
}

}  // namespace planner
