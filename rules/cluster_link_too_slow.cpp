// LI073 cluster-link-too-slow: the link between the hosts, not the hosts, sets a cluster
// route's tokens/s.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/cluster_common.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_cluster_link_too_slow(const Analysis& a, Reporter& out);
}

extern const Rule kClusterLinkTooSlow = {
    "LI073", "cluster-link-too-slow", Severity::warning,
    "the cluster's link allows fewer tokens/s than the hosts would generate",
    R"(## What it does
Counts what crosses `cluster.link` per generated token: the hidden state at each change of host
(f32 under llama.cpp RPC, plus the logits when the output layer is remote; bf16 under mlx-lm,
plus its all_gather), or under tensor parallelism two all-reduces of it per layer. Over the
link's nominal bandwidth, and with `link_latency_us` once per transfer, that bounds tokens/s. The
rule reports a route whose link bound is below what the hosts' memory bandwidth allows.

## Why is this bad?
The hosts then wait on the link: more or faster machines do not help, a faster link does.
Tensor parallelism moves two messages per layer per token, so a link's latency (tens of
microseconds on Ethernet) adds up over 80 layers.

## Example
```yaml
cluster:
  link: 1gbe
  link_latency_us: 100
  routes:
    general: {engine: mlx-distributed, mode: tensor}
```

## Fix
A faster link (Thunderbolt 5, RDMA over Thunderbolt with MLX's jaccl backend, 25/100 GbE), or the
pipeline mode, which crosses the link once per host instead of twice per layer.

## Fix safety
No fix is offered.

## Source
mlx-lm@d78bf58 mlx_lm/models/llama.py `shard` ("sharded-to-all" o_proj and down_proj: one
all_sum each per layer), mlx_lm/models/deepseek_v3.py (pipeline send/recv and all_gather);
link rates: IEEE 802.3 and Intel's Thunderbolt 4 / 5 figures (planner/estimate/cluster_link.cpp).
)",
    check_cluster_link_too_slow};

namespace {

void check_cluster_link_too_slow(const Analysis& a, Reporter& out) {
  if (!a.cluster.link) return;
  for (const auto& p : a.cluster_plans) {
    const ClusterSpeed& s = p.speed;
    if (!s.known || !s.link_bound()) continue;
    auto& d = out.report(kClusterLinkTooSlow, a.cluster.link->node, "cluster.link",
                         fmt::format("route '{}' on {}: {} moves {} per token in {} transfers{}, which allows {:.1f} "
                                     "tokens/s; the hosts would generate {:.1f} (slowest: '{}')",
                                     shown_value(p.route->cfg->name), cluster_engine_label(p),
                                     shown_value(a.cluster.link->value), bytes_label(s.link_bytes_per_token),
                                     s.link_messages_per_token,
                                     s.latency_counted ? fmt::format(" of {:g} us each", a.cluster.link_latency_us->value)
                                                       : "",
                                     s.link_tokens_per_second, s.host_tokens_per_second, shown_value(s.slowest_host)));
    d.help = p.mode == ClusterMode::tensor ? "use a faster link, or mode: pipeline (one transfer per host, not two per layer)"
                                           : "use a faster link";
  }
}

}  // namespace

}  // namespace planner
