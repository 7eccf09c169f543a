// LI011 kv-reserve-range: the KV cache reserve outside the seed's 30-40 %.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
// The seed article, Pitfall 1: "Always reserve 30-40% of your model budget for KV cache."
constexpr double kKvLow = 30, kKvHigh = 40;
void check_kv_reserve_range(const Analysis& a, Reporter& out);
}  // namespace

extern const Rule kKvReserveRange = {
    "LI011", "kv-reserve-range", Severity::warning,
    "inference.kv_cache_reserve_percent outside 30-40 %",
    R"(## What it does
Warns when `inference.kv_cache_reserve_percent` is below 30 or above 40.

## Why is this bad?
The KV cache grows with every token of context. Budgets computed from weights alone are the
first pitfall of local inference: a 9B model at Q4 is ~5 GB of weights, but an 8K context can
add 1-4 GB more depending on the architecture. Below 30 % there is rarely room for a useful
context; above 40 % the weights are squeezed into a smaller model than the machine can run.

## Example
```yaml
inference:
  kv_cache_reserve_percent: 10
```

## Fix
Keep 30-40 % (the seed's default is 35). LI012 checks the exact KV need of each route against
this reserve.
)",
    check_kv_reserve_range};

namespace {
void check_kv_reserve_range(const Analysis& a, Reporter& out) {
  const auto& r = a.config.kv_cache_reserve_percent;
  if (r.is_default() || (r.value >= kKvLow && r.value <= kKvHigh)) return;
  auto& d = out.report(kKvReserveRange, r.node, "inference.kv_cache_reserve_percent",
                       fmt::format("KV cache reserve of {}% is outside the recommended 30-40% ({} of the {} model budget)",
                                   shown_value(r.node->text), gib(a.budget.kv_reserve_bytes), gib(a.budget.model_budget_bytes)));
  d.help = "set kv_cache_reserve_percent between 30 and 40 (35 is the seed's default)";
  d.fix = replace_scalar(r.node, "35", "set kv_cache_reserve_percent to 35", FixSafety::unsafe);
}
}  // namespace

}  // namespace planner
