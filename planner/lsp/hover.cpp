#include "lsp/hover.h"

#include <algorithm>
#include <sstream>

#include "estimate/analysis.h"
#include "load/source_extent.h"
#include "render/plan.h"

namespace planner::lsp {

std::string fenced(const std::string& text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) longest = std::max(longest, run = c == '`' ? run + 1 : 0);
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fence + "text\n" + text + (text.ends_with('\n') ? "" : "\n") + fence;
}

namespace {
// [begin, end) of a node's source text (load/source_extent.h): the key or the scalar as written.
std::pair<std::size_t, std::size_t> node_span(const Document& doc, const Node& n, const LineIndex& index) {
  const std::size_t begin = n.offset;
  const SourcePos end = node_end(doc, n);
  return {begin, end.line > 0 ? std::max(begin, index.offset_of_line_column(end.line, end.column)) : begin};
}
}  // namespace

std::optional<HoverText> hover(const std::string& path, const std::string& text, Position at, Encoding enc) {
  LoadResult loaded = parse_yaml(path, text);
  if (!loaded.ok() || !loaded.doc.root.is_map()) return std::nullopt;
  const LineIndex index(text);
  const std::size_t offset = index.offset(at, enc);
  const Analysis a = analyze(loaded.doc);
  for (const auto& ra : a.routes) {
    const RouteConfig& cfg = *ra.route->cfg;
    if (!cfg.node || !cfg.model.node || cfg.model.node->alias) continue;
    const Node* key = cfg.node->key_node("model");
    for (const Node* n : {key, cfg.model.node}) {
      if (!n || n->line <= 0) continue;
      const auto [begin, end] = node_span(loaded.doc, *n, index);
      if (offset < begin || offset > end) continue;
      std::ostringstream block;
      render_plan_route(block, a, ra, false);
      const auto [vb, ve] = node_span(loaded.doc, *cfg.model.node, index);
      return HoverText{fenced(block.str()), byte_range(index, vb, ve, enc)};
    }
  }
  return std::nullopt;
}

}  // namespace planner::lsp
