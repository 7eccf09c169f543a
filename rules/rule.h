#pragma once
// A rule: a stable code, a kebab-case name, a default severity, its documentation, and a pure
// check over the analysis. Rules do no I/O; they report diagnostics through a Reporter.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "estimate/analysis.h"

namespace planner {

class Reporter;

struct Rule {
  const char* code;      // "LI012", never reused
  const char* name;      // "kv-exceeds-reserve"
  Severity severity;     // default severity; a check may report a finding at another one
  const char* summary;   // one line for `planner rules`
  const char* doc;       // markdown: What it does / Why / Example / Fix (printed by `explain`)
  void (*check)(const Analysis&, Reporter&);  // nullptr for rules raised by earlier stages
};

class Reporter {
 public:
  Reporter(const Document& doc, std::vector<Diagnostic>& out) : doc_(doc), out_(out) {}
  // Reports `rule` at `at` (a node of the document; nullptr = whole file).
  Diagnostic& report(const Rule& rule, const Node* at, std::string path, std::string message);
  Diagnostic& report(const Rule& rule, Severity severity, const Node* at, std::string path, std::string message);

 private:
  const Document& doc_;
  std::vector<Diagnostic>& out_;
};

// The registry: every rule, in code order (rules/registry.cpp is the one table).
const std::vector<const Rule*>& all_rules();
const Rule* find_rule(std::string_view code_or_name);

// Helpers shared by rules.
std::string route_path(const ResolvedRoute& r, std::string_view key = {});
// The YAML path of a value node that may come from the route or from `inference:`.
std::string value_path(const ResolvedRoute& r, const Node* node, std::string_view key);
std::string model_label(const ModelInfo& m);  // "DeepSeek-Coder-V2-Lite-Instruct (15.71B, MoE 2.4B active)"
// For an MoE model, "MoE: all 64 experts are resident, so the model weighs its 15.71B total
// parameters, not its 2.40B active" (the pitfall the seed names); "" for a dense model.
std::string moe_resident_note(const ModelInfo& m);
// A fix that replaces a scalar's own text (past its anchor and tag); nullopt for quoted, block or
// multi-line scalars, whose source span is not simply the value, and for a value reached through
// an alias (`model: *m`): the edit would land on the anchor and change every route using it, so
// the finding keeps no fix there (clang-tidy keeps no fix-it inside a macro expansion, likewise).
std::optional<Fix> replace_scalar(const Node* node, std::string text, std::string title, FixSafety safety);
// A fix that sets `key: text` on one route: replaces the route's own plain scalar, or, when the
// value is inherited from `inference:` (which other routes share), inserts the key as the route's
// last entry at its indentation. nullopt for flow-style routes, multi-line scalars, and routes
// that are an alias or start with merged keys (their text is the anchor's).
std::optional<Fix> set_route_key(const Document& doc, const RouteConfig& route, std::string_view key, std::string text,
                                 std::string title, FixSafety safety);
// The unsafe fix "serve this route with `tokens` of context" (less context changes what it can do).
std::optional<Fix> lower_context(const Analysis& a, const ResolvedRoute& r, long long tokens);

}  // namespace planner
