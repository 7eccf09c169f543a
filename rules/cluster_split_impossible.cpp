// LI071 cluster-split-impossible: a route's cluster engine cannot split it as configured.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/cluster_common.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_cluster_split_impossible(const Analysis& a, Reporter& out);
}

extern const Rule kClusterSplitImpossible = {
    "LI071", "cluster-split-impossible", Severity::error,
    "a route's cluster engine cannot make the split: a family it cannot pipeline or shard, heads that do not "
    "divide by the hosts, layers left on no host, a format or host it does not run",
    R"(## What it does
Checks each route under `cluster.routes` against its engine's own rules before any memory is
counted:
- mlx-distributed runs MLX models on Macs; `mode: pipeline` only for the families whose mlx-lm
  model has `PipelineMixin` (deepseek_v2, deepseek_v3, glm4_moe, glm4_moe_lite, ministral3,
  qwen3_5), `mode: tensor` only for those with `shard()` (llama, qwen2, qwen3, deepseek, glm4_moe,
  gpt_oss, minimax, ministral3, qwen3_5, ...), and tensor parallelism needs the attention heads
  and the KV heads to divide by the number of hosts;
- mlx-lm's pipeline gives the first `layers % hosts` ranks one layer more and starts each rank at
  `(hosts - rank - 1) x its count`: with layers that do not divide by the hosts some layers are
  on no rank;
- llama.cpp RPC serves GGUF, and reads one `tensor_split` proportion per device (the remote ones
  first).

## Why is this bad?
mlx-lm's `sharded_load` raises ("The model does not support pipelining", "... tensor
parallelism"), a head count that does not divide leaves a projection that cannot be cut, and a
layer no rank holds is a model that computes something else.

## Example
```yaml
routing:
  general: {model: llama-3.3-70b-instruct, format: MLX}
cluster:
  routes:
    general: {engine: mlx-distributed, mode: pipeline}   # llama has shard(), not pipeline()
```

## Fix
`mode: tensor` for a family mlx-lm shards, a host count that divides the heads (and the layers,
for the pipeline), llama.cpp RPC for a GGUF route, one `tensor_split` entry per device.

## Fix safety
No fix is offered: the engine or the host count is a choice.

## Source
ml-explore/mlx-lm@d78bf58: mlx_lm/models/pipeline.py (PipelineMixin.pipeline), mlx_lm/utils.py
`sharded_load`, mlx_lm/models/llama.py `shard`; llama.cpp src/llama.cpp (device order).
)",
    check_cluster_split_impossible};

namespace {

void check_cluster_split_impossible(const Analysis& a, Reporter& out) {
  // A cluster.routes key that names no route is split over nothing.
  for (const auto& cr : a.cluster.routes)
    if (a.resolution.route_at(cr.route) == Resolution::npos) {
      auto& d = out.report(kClusterSplitImpossible, cr.key, fmt::format("cluster.routes.{}", cr.route),
                           fmt::format("cluster.routes names '{}', which is no route under routing:", shown_value(cr.route)));
      d.help = "use a routing: key";
    }
  for (const auto& p : a.cluster_plans) {
    for (const std::string& why : p.cannot) {
      auto& d = out.report(kClusterSplitImpossible, cluster_route_node(a, p), cluster_route_path(p),
                           fmt::format("route '{}' on {}: {}", shown_value(p.route->cfg->name), cluster_engine_label(p),
                                       why));
      if (p.engine == ClusterEngine::mlx_distributed)
        d.help = mlx_can_shard(p.route->model->family) && p.mode == ClusterMode::pipeline
                     ? "use mode: tensor (mlx-lm shards this family), or engine: llama.cpp-rpc with a GGUF route"
                     : "use a host count that divides the model, or engine: llama.cpp-rpc with a GGUF route";
      else
        d.help = "give one tensor_split entry per device (the remote hosts' first), or serve a GGUF route";
    }
  }
}

}  // namespace

}  // namespace planner
