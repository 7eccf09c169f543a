// LI072 cluster-not-needed: one host of the cluster would hold the whole route alone.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/cluster_common.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_cluster_not_needed(const Analysis& a, Reporter& out);
}

extern const Rule kClusterNotNeeded = {
    "LI072", "cluster-not-needed", Severity::warning,
    "a route is split over a cluster although one of its hosts holds it alone",
    R"(## What it does
Compares a cluster route's single-machine estimate (what `plan` shows for it on one host) with
each host's own model budget and GPU limit (a Mac's wired limit, the sum of a host's VRAM), and
reports the route when one host holds all of it.

## Why is this bad?
A split adds what one machine never pays: every token crosses the link at least once per host
(llama.cpp RPC measured 13x slower even on localhost, llama.cpp #8832), each host keeps its own
compute buffers and runtime, and the slowest host sets the pace.

## Example
```yaml
routing:
  quick_qa: {model: qwen3-8b}     # 5 GiB at Q4_K_M
cluster:
  hosts:
    - {name: a, hardware: {total_ram_gb: 64, architecture: apple_silicon}}
    - {name: b, hardware: {total_ram_gb: 64, architecture: apple_silicon}}
  routes:
    quick_qa: {engine: llama.cpp-rpc}
```

## Fix
Serve the route on that host alone: remove it from `cluster.routes`.

## Fix safety
No fix is offered.

## Source
ggml-org/llama.cpp#8832 (RPC overhead), #10047 (the slowest node sets the speed).
)",
    check_cluster_not_needed};

namespace {

void check_cluster_not_needed(const Analysis& a, Reporter& out) {
  for (const auto& p : a.cluster_plans) {
    if (!p.config) continue;  // without cluster.routes every route is planned, none asked for
    for (const auto& h : p.hosts) {
      const Budget& b = h.budget;
      if (b.model_budget_bytes <= 0 || p.single_host_bytes > b.model_budget_bytes) continue;
      if (b.gpu_limit_bytes && p.single_host_bytes > *b.gpu_limit_bytes) continue;
      if (!h.host->hardware.apple_silicon() && !b.gpus.empty() && !b.gpu_limit_bytes) continue;  // VRAM unknown
      auto& d = out.report(kClusterNotNeeded, p.config->key, fmt::format("cluster.routes.{}", p.config->route),
                           fmt::format("route '{}' needs {} on one machine, which host '{}' holds alone ({} model "
                                       "budget{}): splitting it over {} hosts only adds the link's cost",
                                       shown_value(p.route->cfg->name), gib(p.single_host_bytes),
                                       shown_value(h.host->name), gib(b.model_budget_bytes),
                                       b.gpu_limit_bytes ? fmt::format(", {} GPU limit", gib(*b.gpu_limit_bytes)) : "",
                                       p.hosts.size()));
      d.help = fmt::format("serve '{}' on host '{}' alone: remove it from cluster.routes", shown_value(p.route->cfg->name),
                           shown_value(h.host->name));
      break;
    }
  }
}

}  // namespace

}  // namespace planner
