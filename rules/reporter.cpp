#include <fmt/format.h>

#include "core/text.h"
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
  std::string name = m.hf_repo.empty() ? m.id : m.hf_repo.substr(m.hf_repo.find('/') + 1);
  if (m.is_moe())
    return fmt::format("{} ({} total, {} active: MoE)", name, billions(m.params_total), billions(m.params_active));
  return fmt::format("{} ({})", name, billions(m.params_total));
}

std::optional<Fix> replace_scalar(const Node* node, std::string text, std::string title, FixSafety safety) {
  if (!node || !node->is_scalar() || !node->plain) return std::nullopt;
  return Fix{std::move(title), safety, {{node->offset, node->offset + node->text.size(), std::move(text)}}};
}

}  // namespace planner
