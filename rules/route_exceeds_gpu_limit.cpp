// LI014 route-exceeds-gpu-limit: Apple's GPU wired limit, or a discrete GPU's VRAM.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_route_exceeds_gpu_limit(const Analysis& a, Reporter& out);
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
`hardware.chip`) a route whose GPU share is larger than VRAM is a warning: llama.cpp then keeps
layers on the CPU. The GPU's share is what `plan` shows as `on gpu0`: the weights of the layers
on the GPU (`gpu_layers`; token_embd always stays in host memory; experts `cpu_moe_layers` keeps
there), their KV cache, the CUDA compute buffer and the CUDA context (~598 MiB, measured on an
H200: bench/accuracy/README.md). With several GPUs (`hardware.gpus`) each GPU's share (`on gpu0`,
`on gpu1`, ...: llama.cpp's layer split, `tensor_split`) is held to that GPU's VRAM, one finding
per GPU over.

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
On a discrete GPU it sets the split llama.cpp needs instead: for an MoE model the fewest
`cpu_moe_layers` (the first layers' experts in host memory, attention on the GPU), else the
most `gpu_layers` that fit. Unsafe: the model then runs partly on the CPU, much slower.
)",
    check_route_exceeds_gpu_limit};

namespace {

// Whether every GPU holds its share of the route served as `s` (one GPU: the gpu0 share).
bool fits_gpus(const Analysis& a, const RouteAnalysis& ra, const Serving& s) {
  const ResolvedRoute& r = *ra.route;
  const MemoryEstimate e = estimate_memory(*r.model, r.quant, *r.rules, r.context, s);
  const auto devices = memory_by_device(*r.model, r.quant, *r.rules, s, r.context, e, a.placement, a.gpu_vram());
  const auto loads = a.gpu_loads(devices, e.total());
  return std::none_of(loads.begin(), loads.end(), [](const GpuLoad& g) { return g.over(); });
}

// The most the GPU can take: for an MoE model the fewest layers whose experts stay in host memory
// (attention and the shared weights stay on the GPU, the faster split), else the most layers on
// the GPU. Each is one key on the route, found by bisection (the GPU's share only grows with it).
void offer_offload(const Analysis& a, const RouteAnalysis& ra, Diagnostic& d) {
  const ResolvedRoute& r = *ra.route;
  const int layers = r.model->layers;
  if (layers <= 0 || r.serving.gpu_layers != kAllLayers) return;  // the route already chose its split
  Serving s = r.serving;
  if (r.model->is_moe() && r.serving.cpu_moe_layers != kAllLayers) {
    s.cpu_moe_layers = kAllLayers;
    if (!fits_gpus(a, ra, s)) return;  // not even with every expert in host memory
    int lo = r.serving.cpu_moe_layers, hi = layers;  // lo does not fit, hi fits
    while (hi - lo > 1) {
      const int mid = (lo + hi) / 2;
      s.cpu_moe_layers = mid;
      (fits_gpus(a, ra, s) ? hi : lo) = mid;
    }
    d.help = fmt::format("keep the experts of the first {} of {} layers in host memory (cpu_moe_layers: {}, "
                         "llama.cpp --n-cpu-moe {}): attention stays on the GPU; decoding reads those experts from RAM",
                         hi, layers, hi, hi);
    d.fix = set_route_key(*a.doc, *r.cfg, "cpu_moe_layers", std::to_string(hi),
                          fmt::format("set cpu_moe_layers: {} on route '{}'", hi, shown_value(r.cfg->name)),
                          FixSafety::unsafe);
    return;
  }
  int lo = 0, hi = layers + 1;  // lo fits (nothing but the context), hi does not
  s.gpu_layers = 0;
  if (!fits_gpus(a, ra, s)) return;
  while (hi - lo > 1) {
    const int mid = (lo + hi) / 2;
    s.gpu_layers = mid;
    (fits_gpus(a, ra, s) ? lo : hi) = mid;
  }
  if (lo == 0) return;
  d.help = fmt::format("put {} of the {} layers on the GPU{} (gpu_layers: {}, llama.cpp -ngl {}; the output layer counts "
                       "as one): the others run on the CPU",
                       lo, layers + 1, a.budget.gpus.size() > 1 ? "s" : "", lo, lo);
  d.fix = set_route_key(*a.doc, *r.cfg, "gpu_layers", std::to_string(lo),
                        fmt::format("set gpu_layers: {} on route '{}'", lo, shown_value(r.cfg->name)), FixSafety::unsafe);
}

// A discrete GPU whose share of the route is over its VRAM: one finding per GPU over, the fix on
// the first (it sets one split for all of them).
void check_discrete(const Analysis& a, const RouteAnalysis& ra, Reporter& out) {
  const auto& r = *ra.route;
  const std::vector<GpuLoad> loads = a.gpu_loads(ra);
  const bool several = a.budget.gpus.size() > 1;
  const bool split = ra.devices.size() > 1;
  bool offered = false;
  for (const auto& g : loads) {
    if (!g.over()) continue;
    const auto it = std::find_if(ra.devices.begin(), ra.devices.end(), [&](const DeviceMemory& d) { return d.device == g.device; });
    const std::string parts =
        split && it != ra.devices.end()
            ? fmt::format(" ({} weights + {} KV cache + {} buffers and CUDA context)", gib(it->weights_bytes),
                          gib(it->kv_cache_bytes + it->state_bytes), gib(it->compute_bytes + it->runtime_bytes))
            : "";
    auto& d = out.report(kRouteExceedsGpuLimit, Severity::warning, r.cfg->key, route_path(r),
                         several ? fmt::format("route '{}': {} needs {} on {}{}, more than its {} of VRAM ({}); "
                                               "llama.cpp will keep some layers on the CPU, far slower",
                                               shown_value(r.cfg->name), model_label(*r.model), gib(g.bytes), g.device,
                                               parts, gib(*g.limit), g.basis)
                                 : fmt::format("route '{}': {} needs {} on the GPU{}, more than the {} of VRAM ({}); "
                                               "llama.cpp will keep some layers on the CPU, far slower",
                                               shown_value(r.cfg->name), model_label(*r.model), gib(g.bytes), parts,
                                               gib(*g.limit), g.basis));
    d.help = several ? "choose a model, quantization or context that fits every GPU's VRAM, or move layers to a GPU "
                       "with room (tensor_split)"
                     : "choose a model, quantization or context that fits VRAM";
    if (split && !offered) offer_offload(a, ra, d);
    offered = true;
  }
}

void check_route_exceeds_gpu_limit(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    // A route split over cluster: hosts is held to each host's budget by LI070 instead.
    if (a.cluster_plan(ra.route->cfg->name)) continue;
    if (!ra.memory) continue;
    // vLLM takes its own fraction of the GPU and sizes its cache to it: LI017 says when that is short.
    if (ra.memory->vllm) continue;
    const auto& r = *ra.route;
    const double total = ra.memory->total();
    if (!a.budget.unified_memory) {
      check_discrete(a, ra, out);
      continue;
    }
    if (!a.budget.gpu_limit_bytes) continue;
    const double limit = *a.budget.gpu_limit_bytes;
    {
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
          long long fits = max_context_for(*r.model, *r.rules, target - fixed, r.serving, r.context);
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
    }
  }
}

}  // namespace

}  // namespace planner
