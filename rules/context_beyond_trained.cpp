// LI030 context-beyond-trained: a context longer than the model was trained for.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_context_beyond_trained(const Analysis& a, Reporter& out);
}

extern const Rule kContextBeyondTrained = {
    "LI030", "context-beyond-trained", Severity::error,
    "max_context_tokens beyond the model's trained context",
    R"(## What it does
Compares each route's context with the model's trained maximum (`max_position_embeddings` in
its config.json, with the model's own RoPE scaling).

## Why is this bad?
Past its trained length, attention degrades into repetition and nonsense; llama.cpp warns and
mlx-lm just generates garbage. Memory is spent on a KV cache the model cannot use.

## Example
```yaml
inference: {max_context_tokens: 16384}
routing:
  creative: {model: gemma-2-9b-it}   # trained for 8192 tokens
```

## Fix
Set the route's `max_context_tokens` to the model's maximum or less, or choose a long-context
model (Llama-3.1: 131072; Qwen3.5: 262144). A safe fix sets the route's own `max_context_tokens`
to the trained maximum (adding the key to the route when the value came from `inference:`, which
other routes share).
)",
    check_context_beyond_trained};

namespace {
void check_context_beyond_trained(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (!r.model || r.model->context_trained <= 0 || r.context <= r.model->context_trained) continue;
    auto& d = out.report(kContextBeyondTrained, r.context_node, value_path(r, r.context_node, "max_context_tokens"),
                         fmt::format("route '{}': context of {} tokens is beyond {}'s trained maximum of {}",
                                     shown_value(r.cfg->name), r.context,
                                     shown_value(r.model->hf_repo.empty() ? r.model->id : r.model->hf_repo),
                                     r.model->context_trained));
    d.help = fmt::format("set max_context_tokens: {} on route '{}'", r.model->context_trained, shown_value(r.cfg->name));
    // Safe: the model cannot use more context than it was trained for anyway.
    d.fix = set_route_key(*a.doc, *r.cfg, "max_context_tokens", std::to_string(r.model->context_trained),
                          fmt::format("set max_context_tokens: {} on route '{}'", r.model->context_trained,
                                      shown_value(r.cfg->name)),
                          FixSafety::safe);
  }
}
}  // namespace

}  // namespace planner
