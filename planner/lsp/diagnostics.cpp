#include "lsp/diagnostics.h"


namespace planner::lsp {

nlohmann::json json_of(Position p) { return {{"line", p.line}, {"character", p.character}}; }
nlohmann::json json_of(const Range& r) { return {{"start", json_of(r.start)}, {"end", json_of(r.end)}}; }

nlohmann::json to_lsp_diagnostic(const Diagnostic& d, const Document& doc, const LineIndex& index, Encoding enc) {
  // DiagnosticSeverity: Error 1, Warning 2, Information 3 (LSP 3.17).
  const int severity = d.severity == Severity::error ? 1 : d.severity == Severity::warning ? 2 : 3;
  // Rules put input into messages only through shown_value, so these are the escaped forms
  // check prints; json_text replaces any invalid byte when the message is written.
  std::string message = d.message;
  if (!d.help.empty()) message += "\n\nhelp: " + d.help;
  return {{"range", json_of(diagnostic_range(d, doc, index, enc))},
          {"severity", severity},
          {"code", d.code},
          {"source", "planner"},
          {"message", message}};
}

nlohmann::json to_lsp_diagnostics(const FileResult& result, Encoding enc) {
  const LineIndex index(result.doc.text);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : result.diagnostics) out.push_back(to_lsp_diagnostic(d, result.doc, index, enc));
  return out;
}

}  // namespace planner::lsp
