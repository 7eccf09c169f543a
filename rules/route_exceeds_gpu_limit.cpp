// LI014 route-exceeds-gpu-limit: Apple's GPU wired limit, or a discrete GPU's VRAM.
#include <fmt/format.h>

#include <cmath>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check(const Analysis& a, Reporter& out);
}

extern const Rule kRouteExceedsGpuLimit = {
    "LI014", "route-exceeds-gpu-limit", Severity::error,
    "a route exceeds the GPU memory limit (Apple wired limit or VRAM)",
    R"(## What it does
On Apple silicon the GPU may only wire part of unified memory: `recommendedMaxWorkingSetSize`,
by default about 2/3 of RAM below 36 GB and 3/4 from 36 GB (macOS 15 and earlier; macOS 26
raised it, set `hardware.macos_version: 26`), or what `sudo sysctl iogpu.wired_limit_mb=N`
set (`hardware.gpu_wired_limit_gb`). A route whose weights + KV cache + buffers exceed it is an
error; an MLX route above 90 % of it is a warning, because mlx-lm itself warns there
(`mlx_lm/generate.py`, `wired_limit()`). On discrete GPUs (`hardware.gpu_vram_gb`, or a known
`hardware.chip`) a route larger than VRAM is a warning: llama.cpp then keeps layers on the CPU.

## Why is this bad?
The OS reserve is not the only limit: a 16 GB Mac has 12.5 GiB of budget but only 10.67 GiB the
GPU can wire. Past that, Metal allocations fail or page, and generation slows to a crawl.

## Example
```yaml
hardware: {total_ram_gb: 16, os_reserve_percent: 22, architecture: apple_silicon}
routing:
  code: {model: deepseek-v2-lite, format: MLX}  # 8.2 GiB weights + 2.2 GiB KV at 8K
```

## Fix
A smaller model or context; or raise the limit (`sudo sysctl iogpu.wired_limit_mb=N`, below
RAM less what macOS needs; resets at reboot) and record it in `hardware.gpu_wired_limit_gb`.
`planner fix --unsafe-fixes` sets the route's `max_context_tokens` to the largest context that
fits under the limit (under mlx-lm's 90 % warning line for MLX), when that is 1024 tokens or more.
)",
    check};

namespace {
void check(const Analysis& a, Reporter& out) {
  if (!a.budget.gpu_limit_bytes) return;
  const double limit = *a.budget.gpu_limit_bytes;
  for (const auto& ra : a.routes) {
    if (!ra.memory) continue;
    const auto& r = *ra.route;
    const double total = ra.memory->total();
    if (a.budget.unified_memory) {
      const double warn_at = a.hardware->mlx_warn_fraction() * limit;
      if (total > limit) {
        auto& d = out.report(kRouteExceedsGpuLimit, Severity::error, r.cfg->key, route_path(r),
                             fmt::format("route '{}': {} needs {} ({} weights + {} KV cache at {} tokens + {} overhead), "
                                         "over the GPU wired limit of {} ({})",
                                         shown_value(r.cfg->name), model_label(*r.model), gib(total),
                                         gib(ra.memory->weights_bytes),
                                         gib(ra.memory->kv_bytes + ra.memory->state_bytes), r.context,
                                         gib(ra.memory->overhead_bytes), gib(limit), a.budget.gpu_limit_basis));
        // The fix keeps the model and shortens the context until the route is under the limit (and,
        // for MLX, under mlx-lm's 90 % warning line); not below 1024 tokens, where a route is of no use.
        const double target = r.runtime->warns_near_wired_limit ? warn_at : limit;
        const double fixed = ra.memory->weights_bytes + ra.memory->overhead_bytes + ra.memory->state_bytes;
        if (fixed < target) {
          long long fits = max_context_for(*r.model, *r.runtime, target - fixed, r.kv_bytes_per_element, r.context);
          if (fits >= 1024) d.fix = lower_context(a, r, fits);
        }
        // Raising the limit only helps while RAM less the OS reserve still holds the route.
        if (total <= a.budget.model_budget_bytes) {
          // Whole GiB, and for MLX enough that the route stays under mlx-lm's 90 % warning line.
          const double needed = r.runtime->warns_near_wired_limit ? total / a.hardware->mlx_warn_fraction() : total;
          long long mib = static_cast<long long>(std::ceil(needed / kGiB)) * 1024;
          d.help = fmt::format("choose a smaller model or context, or raise the limit: sudo sysctl "
                               "iogpu.wired_limit_mb={} (then set hardware.gpu_wired_limit_gb: {})",
                               mib, mib / 1024);
        } else {
          d.help = "choose a smaller model, quantization or context: the route does not fit the RAM budget either";
        }
      } else if (r.runtime->warns_near_wired_limit && total > warn_at) {
        auto& d = out.report(kRouteExceedsGpuLimit, Severity::warning, r.cfg->key, route_path(r),
                             fmt::format("route '{}': {} is above 90% of the GPU wired limit of {}; {} warns "
                                         "and generation may slow down",
                                         shown_value(r.cfg->name), gib(total), gib(limit), r.runtime->name));
        d.help = "leave headroom: a shorter context or a smaller quantization";
      }
    } else if (total > limit) {
      auto& d = out.report(kRouteExceedsGpuLimit, Severity::warning, r.cfg->key, route_path(r),
                           fmt::format("route '{}': {} needs {}, more than the {} of VRAM ({}); llama.cpp will keep "
                                       "some layers on the CPU, far slower",
                                       shown_value(r.cfg->name), model_label(*r.model), gib(total), gib(limit),
                                       a.budget.gpu_limit_basis));
      d.help = "choose a model, quantization or context that fits VRAM";
    }
  }
}
}  // namespace

}  // namespace planner
