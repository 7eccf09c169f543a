#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "load/source_extent.h"
#include "rules/rule.h"

namespace planner {

Diagnostic& Reporter::report(const Rule& rule, const Node* at, std::string path, std::string message) {
  return report(rule, rule.severity, at, std::move(path), std::move(message));
}

Diagnostic& Reporter::report(const Rule& rule, Severity severity, const Node* at, std::string path,
                             std::string message) {
  Diagnostic d;
  d.code = rule.code;
  d.name = rule.name;
  d.severity = severity;
  d.file = doc_.path;
  if (at) {
    d.line = at->line;
    d.column = at->column;
    set_end(d, doc_, *at);
  }
  d.path = std::move(path);
  d.message = std::move(message);
  out_.push_back(std::move(d));
  return out_.back();
}

std::string route_path(const ResolvedRoute& r, std::string_view key) {
  std::string p = "routing." + r.cfg->name;
  if (!key.empty()) p += "." + std::string(key);
  return p;
}

std::string value_path(const ResolvedRoute& r, const Node* node, std::string_view key) {
  // A value either sits in the route's own mapping or is inherited from inference:.
  if (node && r.cfg->node && r.cfg->node->is_map())
    for (const auto& v : r.cfg->node->values)
      if (&v == node) return route_path(r, key);
  return "inference." + std::string(key == "format" ? "preferred_format" : key);
}

std::string model_label(const ModelInfo& m) {
  std::string name = shown_value(m.hf_repo.empty() ? m.id : m.hf_repo.substr(m.hf_repo.find('/') + 1));
  if (m.is_moe())
    return fmt::format("{} ({} total, {} active: MoE)", name, billions(m.params_total), billions(m.params_active));
  return fmt::format("{} ({})", name, billions(m.params_total));
}

std::string moe_resident_note(const ModelInfo& m) {
  if (!m.is_moe()) return "";
  return fmt::format("MoE: all {} experts are resident, so the model weighs its {} total parameters, not its {} active",
                     m.moe->experts, billions(m.params_total), billions(m.params_active));
}

std::optional<Fix> replace_scalar(const Node* node, std::string text, std::string title, FixSafety safety) {
  // Only the scalar's own bytes: not through an alias (the text is the anchor's, and editing it
  // would change every use of the anchor), not quoted or spanning lines (the bytes differ from the value).
  if (!node || !node->is_scalar() || !node->verbatim || node->alias) return std::nullopt;
  return Fix{std::move(title), safety, {{node->offset, node->offset + node->text.size(), std::move(text)}}};
}

namespace {
// The last line a node spans; false when a scalar's text spans lines (its end is not the line of
// its start, and the tree does not record where it ends).
bool last_line(const Node& n, int& line) {
  line = std::max(line, n.line);
  if (n.is_scalar() && !n.plain && n.text.find('\n') != std::string::npos) return false;
  for (const auto& k : n.keys)
    if (!last_line(k, line)) return false;
  for (const auto& v : n.values)
    if (!last_line(v, line)) return false;
  return true;
}
}  // namespace

std::optional<Fix> set_route_key(const Document& doc, const RouteConfig& route, std::string_view key, std::string text,
                                 std::string title, FixSafety safety) {
  const Node* map = route.node;
  if (!map || !map->is_map() || map->keys.empty() || map->alias) return std::nullopt;
  if (const Node* own = map->get(key)) return replace_scalar(own, std::move(text), std::move(title), safety);
  if (map->offset >= doc.text.size() || doc.text[map->offset] == '{') return std::nullopt;  // flow style
  // A merged first key (`<<: *base` alone) sits in the anchor's mapping, at its indentation.
  if (map->keys.front().alias) return std::nullopt;
  int end_line = 0;
  if (!last_line(*map, end_line)) return std::nullopt;
  const int column = map->keys.front().column;
  // The first key must start its line (not `- model: x` or `code: {`) for its column to be the indent.
  const auto first = doc.line_text(map->keys.front().line);
  if (column < 1 || first.find_first_not_of(' ') != static_cast<std::size_t>(column - 1)) return std::nullopt;
  const std::string entry = std::string(static_cast<std::size_t>(column - 1), ' ') + std::string(key) + ": " + text;
  const std::string eol = doc.text.find("\r\n") != std::string::npos ? "\r\n" : "\n";  // keep CRLF files CRLF
  if (static_cast<std::size_t>(end_line) < doc.line_starts.size()) {
    const std::size_t at = doc.line_starts[static_cast<std::size_t>(end_line)];
    return Fix{std::move(title), safety, {{at, at, entry + eol}}};
  }
  const std::size_t at = doc.text.size();  // the route ends the file
  const bool newline = !doc.text.empty() && doc.text.back() == '\n';
  return Fix{std::move(title), safety, {{at, at, newline ? entry + eol : eol + entry}}};
}

std::optional<Fix> lower_context(const Analysis& a, const ResolvedRoute& r, long long tokens) {
  return set_route_key(*a.doc, *r.cfg, "max_context_tokens", std::to_string(tokens),
                       fmt::format("set max_context_tokens: {} on route '{}'", tokens, shown_value(r.cfg->name)),
                       FixSafety::unsafe);
}

}  // namespace planner
