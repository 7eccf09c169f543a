#include "lsp/code_actions.h"

#include "fix/fix.h"
#include "lsp/diagnostics.h"

namespace planner::lsp {

namespace {
bool before(Position a, Position b) { return a.line < b.line || (a.line == b.line && a.character < b.character); }
// Touching counts: a cursor at either end of a finding's range asks for its fix.
bool overlaps(const Range& a, const Range& b) { return !before(a.end, b.start) && !before(b.end, a.start); }

nlohmann::json text_edits(const std::vector<TextEdit>& edits, const LineIndex& index, Encoding enc) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : edits) out.push_back({{"range", json_of(byte_range(index, e.begin, e.end, enc))}, {"newText", e.text}});
  return out;
}
}  // namespace

bool kind_wanted(const std::string& kind, const std::vector<std::string>& only) {
  if (only.empty()) return true;
  for (const auto& k : only)
    if (kind == k || (kind.size() > k.size() && kind.compare(0, k.size(), k) == 0 && kind[k.size()] == '.')) return true;
  return false;
}

nlohmann::json code_actions(const CodeActionRequest& req, const CheckedDocument& checked, Encoding enc) {
  const std::string& text = checked.result.doc.text;
  const LineIndex index(text);
  nlohmann::json out = nlohmann::json::array();
  if (kind_wanted("quickfix", req.only))
    for (const auto& d : checked.result.diagnostics) {
      if (!d.fix || d.fix->edits.empty() || !overlaps(diagnostic_range(d, checked.result.doc, index, enc), req.range)) continue;
      const bool safe = d.fix->safety == FixSafety::safe;
      out.push_back({{"title", d.fix->title + (safe ? "" : " (unsafe)")},
                     {"kind", "quickfix"},
                     {"diagnostics", nlohmann::json::array({to_lsp_diagnostic(d, checked.result.doc, index, enc)})},
                     {"isPreferred", safe},
                     {"edit", {{"changes", {{req.uri, text_edits(d.fix->edits, index, enc)}}}}}});
    }
  if (kind_wanted(kFixAllKind, req.only)) {
    FixOptions options;
    options.check = checked.options;
    const FixResult fixed = fix_text(checked.result.path, text, options);
    if (fixed.text != text) {
      const std::vector<TextEdit> whole = {TextEdit{0, text.size(), fixed.text}};
      out.push_back({{"title", "Apply every safe fix (planner fix)"},
                     {"kind", kFixAllKind},
                     {"edit", {{"changes", {{req.uri, text_edits(whole, index, enc)}}}}}});
    }
  }
  return out;
}

}  // namespace planner::lsp
