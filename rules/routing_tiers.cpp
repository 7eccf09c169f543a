// LI051 routing-tiers: one model for every task, or no lightweight route for quick tasks.
#include <fmt/format.h>

#include "core/text.h"
#include "model/size_classes.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_routing_tiers(const Analysis& a, Reporter& out);
}  // namespace

extern const Rule kRoutingTiers = {
    "LI051", "routing-tiers", Severity::info,
    "one model serves every task, or quick tasks have no lightweight model",
    R"(## What it does
Notes when every route uses the same model, and when a quick-answer route (`quick_qa`, or
`task: quick_qa`) uses a model above the 7B class.

## Why is this bad?
A single model for all tasks forces compromises: a large model wastes memory and latency on
quick questions; a small one is weak at code and reasoning. Tiered routing puts 3B-7B models on
quick tasks and keeps the larger ones for deep work.

## Example
```yaml
routing:
  code:     {model: qwen3-8b}
  quick_qa: {model: qwen3-8b}
```

## Fix
Give quick tasks a small model (`llama-3.2-3b-instruct`, `qwen2.5-3b-instruct`,
`phi-3-mini-4k-instruct`).
)",
    check_routing_tiers};

namespace {
void check_routing_tiers(const Analysis& a, Reporter& out) {
  const auto& routes = a.resolution.routes;
  if (routes.size() >= 2) {
    bool same = true;
    for (const auto& r : routes) same = same && r.model && r.model == routes.front().model;
    if (same) {
      const Node* at = a.doc->root.key_node("routing");
      auto& d = out.report(kRoutingTiers, at, "routing",
                           fmt::format("every route uses {}: one model for every task", model_label(*routes.front().model)));
      d.help = "give quick tasks a 3B-7B model and keep the larger one for code and reasoning";
      return;
    }
  }
  for (const auto& r : routes) {
    if (r.task != "quick_qa" || !r.model || lightweight_model(r.model->params_total)) continue;
    auto& d = out.report(kRoutingTiers, r.cfg->model.node, route_path(r, "model"),
                         fmt::format("quick-answer route '{}' uses {}, above the 3B-7B class that keeps quick answers "
                                     "fast",
                                     shown_value(r.cfg->name), model_label(*r.model)));
    if (const RouteAnalysis* ra = a.route(r.cfg->name); ra && ra->speed)
      d.message += fmt::format(" (~{:.0f} tokens/s on {})", ra->speed->tokens_per_second_empty, a.chip->name);
    d.help = "use a lightweight model such as llama-3.2-3b-instruct or qwen2.5-3b-instruct";
  }
}
}  // namespace

}  // namespace planner
