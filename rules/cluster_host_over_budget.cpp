// LI070 cluster-host-over-budget: one host of a cluster holds more of a route than its own RAM
// budget, wired limit or VRAM allows.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/cluster_common.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_cluster_host_over_budget(const Analysis& a, Reporter& out);
}

extern const Rule kClusterHostOverBudget = {
    "LI070", "cluster-host-over-budget", Severity::error,
    "a cluster host holds more of a route than its own model budget, GPU wired limit or VRAM",
    R"(## What it does
Splits each route under `cluster.routes` over `cluster.hosts` as its engine does (llama.cpp RPC:
the remote devices first, layers in proportion to free memory or `tensor_split`; mlx-lm's
pipeline: layers evenly, the last ones on rank 0; mlx-lm's tensor parallelism: every layer cut
in `hosts` parts; docs/cluster.md) and holds what lands on each host against that host's own
hardware: its RAM less its OS reserve, its GPU wired limit on a Mac, each GPU's VRAM.

## Why is this bad?
Each engine sizes the split once, at load, and does not move layers afterwards: the host over
its limit fails to allocate (Metal: "insufficient memory", CUDA: out of memory) or swaps, and
the whole cluster stops with it. mlx-lm's pipeline gives every host the same number of layers,
so the smallest host bounds the model; exo and llama.cpp's default split ignore the KV cache.

## Example
```yaml
cluster:
  hosts:
    - {name: big, hardware: {total_ram_gb: 64, architecture: apple_silicon}}
    - {name: small, hardware: {total_ram_gb: 16, architecture: apple_silicon}}
  routes:
    general: {engine: mlx-distributed, mode: pipeline}
```

## Fix
With llama.cpp RPC, a `tensor_split` that gives the host fewer layers; on a Mac, a raised wired
limit (`sudo sysctl iogpu.wired_limit_mb=N`, then `gpu_wired_limit_gb`); a lower quantization or
a shorter context; or a larger host. No automatic fix: which one depends on the hosts.

## Fix safety
No fix is offered.

## Source
llama.cpp src/llama.cpp (RPC devices first), src/llama-model.cpp@de3ff815:1488-1546 (the layer
split); mlx-lm@d78bf58 mlx_lm/models/pipeline.py (even split), mlx_lm/models/llama.py `shard`.
)",
    check_cluster_host_over_budget};

namespace {

void check_cluster_host_over_budget(const Analysis& a, Reporter& out) {
  for (const auto& p : a.cluster_plans) {
    if (!p.cannot.empty()) continue;  // LI071 says why the split is not made at all
    for (std::size_t i = 0; i < p.hosts.size(); ++i) {
      const ClusterHostLoad& h = p.hosts[i];
      if (h.devices.empty()) continue;
      for (const HostLimit& l : host_limits(h)) {
        if (!l.over() || l.limit <= 0) continue;
        auto& d = out.report(kClusterHostOverBudget, h.host->node, fmt::format("cluster.hosts[{}]", i),
                             fmt::format("route '{}' on {} puts {} on host '{}' ({}), over its {} of {} ({})",
                                         shown_value(p.route->cfg->name), cluster_engine_label(p), gib(l.bytes),
                                         shown_value(h.host->name), host_share_label(h), l.what, gib(l.limit),
                                         l.basis));
        d.help = p.engine == ClusterEngine::llama_cpp_rpc
                     ? "give this host's devices a smaller share in cluster.routes.R.tensor_split, or lower the "
                       "quantization or the context"
                     : "lower the quantization or the context, or use a larger host (mlx-lm gives every host "
                       "the same share)";
      }
    }
  }
}

}  // namespace

}  // namespace planner
