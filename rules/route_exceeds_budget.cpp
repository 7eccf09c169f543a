// LI013 route-exceeds-budget: a route's total memory against RAM less the OS reserve.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_route_exceeds_budget(const Analysis& a, Reporter& out);
}

extern const Rule kRouteExceedsBudget = {
    "LI013", "route-exceeds-budget", Severity::error,
    "a route's weights and runtime overhead alone exceed RAM less the OS reserve",
    R"(## What it does
Adds up what a route needs before its first token of context: weights at its quantization (all
parameters: a Mixture-of-Experts model keeps every expert resident), the fixed state of
linear-attention layers, and runtime overhead (compute buffers, framework). It compares that
with the model budget, `total_ram_gb x (1 - os_reserve_percent / 100)`. (A KV cache that does not
fit what is left is LI012's finding.)

## Why is this bad?
A route over budget pushes the machine into swap: generation drops from tens of tokens per
second to a few, and the OS becomes unresponsive.

## Example
```yaml
hardware: {total_ram_gb: 16, os_reserve_percent: 22, architecture: apple_silicon}
routing:
  reasoning: {model: mixtral-8x7b-instruct-v0.1, format: GGUF}  # 46.7B total: 26.6 GiB at Q4_K_M
```

## Fix
A smaller model, a lower quantization (not below 4 bits for code or reasoning), a shorter
context, or more RAM. For MoE models, budget the total parameter count, not the active one.
)",
    check_route_exceeds_budget};

namespace {
void check_route_exceeds_budget(const Analysis& a, Reporter& out) {
  if (a.budget.model_budget_bytes <= 0) return;
  for (const auto& ra : a.routes) {
    // A route split over cluster: hosts is held to each host's budget by LI070 instead.
    if (a.cluster_plan(ra.route->cfg->name)) continue;
    if (!ra.memory) continue;
    // vLLM takes its own fraction of the GPU and sizes its cache to it: LI017 says when that is short.
    if (ra.memory->vllm) continue;
    const auto& r = *ra.route;
    const auto& m = *ra.memory;
    const double fixed = m.weights_bytes + m.overhead_bytes + m.state_bytes;
    if (fixed <= a.budget.model_budget_bytes) continue;  // KV shortfalls are LI012's
    std::string moe = r.model->is_moe() ? " (" + moe_resident_note(*r.model) + ")" : "";
    auto& d = out.report(kRouteExceedsBudget, r.cfg->key, route_path(r),
                         fmt::format("route '{}': {} needs {} before any KV cache ({} weights at {} + {} overhead), "
                                     "over the {} model budget ({} RAM less {}% OS reserve){}",
                                     shown_value(r.cfg->name), model_label(*r.model), gib(fixed), gib(m.weights_bytes),
                                     shown_value(r.quant.label), gib(m.overhead_bytes), gib(a.budget.model_budget_bytes),
                                     gib(a.budget.ram_bytes), fmt::format("{:g}", a.config.os_reserve_percent.value),
                                     moe));
    d.help = "choose a smaller model or quantization for this route, or a machine with more RAM";
  }
}
}  // namespace

}  // namespace planner
