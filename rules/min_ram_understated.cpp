// LI016 min-ram-understated: a route's declared min_ram_gb below what it really needs.
#include <fmt/format.h>

#include <cmath>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check(const Analysis& a, Reporter& out);
}

extern const Rule kMinRamUnderstated = {
    "LI016", "min-ram-understated", Severity::warning,
    "a route's min_ram_gb is below the RAM its model really needs",
    R"(## What it does
Computes the RAM a route needs: the memory it keeps in RAM divided by the share of RAM left
after the OS reserve, and on Apple silicon at least enough RAM for the default GPU wired limit
to hold it. Warns when `min_ram_gb` declares less. On Apple silicon and without a GPU that is
all of it (weights, KV cache at its context, state, overhead); on a discrete GPU only what stays
in host memory (`plan`'s `host` entry: token_embd, layers and experts left on the host, host
buffers, the process), since the GPU holds the rest. A vLLM route's host memory is not estimated,
so it is not checked.

## Why is this bad?
Routers pick models by `min_ram_gb` (the seed's `resolveModel` does). An understated figure
sends the route to machines that swap. Mixture-of-Experts models are the classic case: only a
few experts run per token, but all of them must be resident.

## Example
```yaml
routing:
  code:
    model: deepseek-v2-lite  # 15.7B total, 2.4B active
    min_ram_gb: 12
```

## Fix
Declare the RAM the message computes (rounded up to a whole GiB; the safe fix writes it), or
choose a smaller model.
)",
    check};

namespace {
void check(const Analysis& a, Reporter& out) {
  const double keep = 1.0 - a.config.os_reserve_percent.value / 100.0;
  if (keep <= 0) return;
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (!ra.memory || !r.cfg->min_ram_gb) continue;
    const bool discrete = a.placement == Placement::discrete_gpu;
    const double total = a.ram_bytes(ra);
    if (total <= 0) continue;
    double need = total / keep;
    if (a.config.apple_silicon() && !a.config.gpu_wired_limit_gb) {
      // Smallest RAM whose default wired limit holds the route (2/3 below 36 GB, 3/4 above).
      double gib_need = need / kGiB;
      for (double ram = 8; ram <= 1024; ram += 1) {
        if (a.hardware->default_wired_limit_bytes(ram, 0, nullptr) >= total) {
          gib_need = std::max(gib_need, ram);
          break;
        }
      }
      need = gib_need * kGiB;
    }
    const double declared = r.cfg->min_ram_gb->value * kGiB;
    if (declared + 1e-9 >= need) continue;
    std::string moe = r.model->is_moe() ? "; " + moe_resident_note(*r.model) : "";
    long long rounded = static_cast<long long>(std::ceil(need / kGiB));
    double on_gpus = 0;
    for (const auto& g : a.gpu_loads(ra)) on_gpus += g.bytes;
    const std::string held =
        discrete ? fmt::format("{} in host memory (its GPU share, {}, is on the GPU)", gib(total), gib(on_gpus))
                 : fmt::format("{} in use ({} weights + {} KV cache at {} tokens + {} overhead)", gib(total),
                               gib(ra.memory->weights_bytes), gib(ra.memory->kv_bytes + ra.memory->state_bytes),
                               r.context, gib(ra.memory->overhead_bytes));
    auto& d = out.report(kMinRamUnderstated, r.cfg->min_ram_gb->node, route_path(r, "min_ram_gb"),
                         fmt::format("route '{}' declares min_ram_gb {} but needs {:.1f} GiB of RAM: {}{}",
                                     shown_value(r.cfg->name), shown_value(r.cfg->min_ram_gb->node->text), need / kGiB,
                                     held, moe));
    d.help = fmt::format("declare min_ram_gb: {}", rounded);
    d.fix = replace_scalar(r.cfg->min_ram_gb->node, std::to_string(rounded),
                           fmt::format("set min_ram_gb to {}", rounded), FixSafety::safe);
  }
}
}  // namespace

}  // namespace planner
