// LI012 kv-exceeds-reserve: the KV cache a route needs at its context against the KV reserve.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_kv_exceeds_reserve(const Analysis& a, Reporter& out);
}

extern const Rule kKvExceedsReserve = {
    "LI012", "kv-exceeds-reserve", Severity::error,
    "the KV cache at max_context_tokens does not fit the KV reserve (error when it does not fit at all)",
    R"(## What it does
Computes each route's KV cache at its context from the model's architecture: 2 (K and V) x
layers x KV heads x head dim x tokens x bytes per element, with sliding-window layers capped at
their window, MLA latents where the runtime stores them, and only the full-attention layers of
hybrid models (Qwen3.5) growing with the context. It compares that with the KV reserve
(`kv_cache_reserve_percent` of the model budget) and with what is really left after weights and
runtime overhead.

- **error**: the KV cache does not fit in what is left of the budget after the weights: the
  context cannot be served. The message gives the largest context that fits.
- **warning**: it fits the budget, but not the planned reserve (or the weights eat into the
  reserve): the plan has no headroom. The message gives the largest context that fits the reserve.

## Why is this bad?
The KV cache is the memory nobody budgets for. Phi-3-mini has no grouped-query attention and
needs 384 KiB per token at f16: 3 GiB at 8K tokens, more than its own weights at 4 bits.

## Example
```yaml
hardware: {total_ram_gb: 8, os_reserve_percent: 22, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: Q4_K_M, max_context_tokens: 32768, kv_cache_reserve_percent: 35}
routing:
  quick_qa: {model: phi-3-mini-128k-instruct}   # 12 GiB of KV cache at 32K tokens
```

## Fix
Lower `max_context_tokens` (on the route, or in `inference:`) to the context the message names,
use a quantized KV cache (`kv_cache_type: q8_0` halves it), or pick a model with grouped-query
attention. `planner fix --unsafe-fixes` sets the route's own `max_context_tokens` to the context
named in the message.
)",
    check_kv_exceeds_reserve};

namespace {
std::string reserve_percent(const Analysis& a) { return fmt::format("{:g}", a.config.kv_cache_reserve_percent.value); }

void check_kv_exceeds_reserve(const Analysis& a, Reporter& out) {
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
    const double left = a.budget.model_budget_bytes - fixed;
    if (left <= 0) continue;  // the model itself does not fit: LI013 says so
    const double reserve = a.budget.kv_reserve_bytes;
    const std::string where = value_path(r, r.context_node, "max_context_tokens");
    const std::string kv_desc = fmt::format("{} KV cache at {} tokens ({})", gib(m.kv_bytes), r.context,
                                            shown_value(r.kv_type));
    if (m.kv_bytes > left) {
      long long fits = max_context_for(*r.model, *r.rules, left, r.serving, r.context);
      auto& d = out.report(kKvExceedsReserve, Severity::error, r.context_node, where,
                           fmt::format("route '{}': {} does not fit: only {} of the {} model budget is left after "
                                       "weights and runtime overhead",
                                       shown_value(r.cfg->name), kv_desc, gib(left), gib(a.budget.model_budget_bytes)));
      d.help = fits > 0 ? fmt::format("the largest context that fits is {} tokens; or use kv_cache_type: q8_0", fits)
                        : "not even 256 tokens fit: choose a smaller model or quantization";
      if (fits > 0) d.fix = lower_context(a, r, fits);
      continue;
    }
    if (m.kv_bytes > reserve) {
      long long fits = max_context_for(*r.model, *r.rules, reserve, r.serving, r.context);
      auto& d = out.report(kKvExceedsReserve, Severity::warning, r.context_node, where,
                           fmt::format("route '{}': {} exceeds the {}% KV reserve ({}); it fits only by using the "
                                       "rest of the budget",
                                       shown_value(r.cfg->name), kv_desc, reserve_percent(a), gib(reserve)));
      d.help = fits > 0 ? fmt::format("the largest context that fits the reserve is {} tokens", fits)
                        : "not even 256 tokens fit the reserve";
      if (fits > 0) d.fix = lower_context(a, r, fits);
      continue;
    }
    if (fixed > a.budget.model_budget_bytes - reserve) {
      auto& d = out.report(kKvExceedsReserve, Severity::warning, r.context_node, where,
                           fmt::format("route '{}': weights and overhead ({}) eat into the {}% KV reserve: {} is left "
                                       "for the KV cache; the {} still fits",
                                       shown_value(r.cfg->name), gib(fixed), reserve_percent(a), gib(left), kv_desc));
      d.help = "a smaller quantization or model restores the reserve";
    }
  }
}
}  // namespace

}  // namespace planner
