// LI015 resident-routes-exceed-budget: routes kept loaded together must fit together.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check(const Analysis& a, Reporter& out);
}

extern const Rule kResidentRoutes = {
    "LI015", "resident-routes-exceed-budget", Severity::error,
    "routes listed in inference.resident_routes do not fit in memory together",
    R"(## What it does
`inference.resident_routes` lists routes that stay loaded at the same time (say, a small
quick_qa model next to the code model). Their memory adds up: each server holds its own weights,
KV cache and buffers. This rule checks the sum against the model budget and, on Apple silicon,
the GPU wired limit; on discrete GPUs, for each GPU the sum of each route's share of it (what
`plan` shows as `on gpu0`, `on gpu1`, ...: the CUDA context once per server) against that GPU's
VRAM (`hardware.gpus`, or the one GPU of `gpu_vram_gb` / `chip`), and what the routes keep in
host memory (weights left on the host, host buffers, each process) against the model budget. A
vLLM route's host memory is not estimated (it counts 0 there); its pre-allocation counts on each
GPU. It also reports names that are not routes.

## Why is this bad?
Each route may fit alone while two of them together swap. Without `resident_routes`, planner
assumes one route is loaded at a time (hot-swapping), as the seed's router does.

## Example
```yaml
inference:
  resident_routes: [code, reasoning]
```

## Fix
Keep fewer routes resident, or smaller models in the resident ones.
)",
    check};

namespace {
void check(const Analysis& a, Reporter& out) {
  if (a.config.resident_routes.empty() || a.budget.model_budget_bytes <= 0) return;
  std::vector<std::string> names;
  for (const auto& r : a.config.routes) names.push_back(r.name);
  double total = 0;
  std::vector<std::string> parts;
  // Discrete GPUs: what the resident routes put on each (Analysis::gpu_loads), by device.
  struct OnGpu {
    double bytes = 0;
    std::optional<double> limit;
    std::vector<std::string> parts;
  };
  std::vector<std::pair<std::string, OnGpu>> on_gpu;
  for (const auto& rr : a.config.resident_routes) {
    const RouteAnalysis* ra = a.route(rr.value);
    if (!ra) {
      auto& d = out.report(kResidentRoutes, rr.node, "inference.resident_routes",
                           fmt::format("'{}' in resident_routes is not a route", shown_value(rr.value)));
      if (auto n = nearest(rr.value, names); !n.empty()) {
        d.message += fmt::format("; did you mean '{}'?", shown_value(n));
        d.fix = replace_scalar(rr.node, n, fmt::format("replace '{}' with '{}'", shown_value(rr.value), shown_value(n)),
                               FixSafety::safe);
      }
      std::vector<std::string> shown;
      for (const auto& name : names) shown.push_back(shown_value(name));
      d.help = fmt::format("routes: {}", join(shown, ", "));
      continue;
    }
    if (!ra->memory) continue;
    // RAM holds what each route keeps on the host (everything, on a Mac or without a GPU).
    const double ram = a.ram_bytes(*ra);
    total += ram;
    parts.push_back(fmt::format("{} {}", shown_value(rr.value), gib(ram)));
    if (a.budget.unified_memory) continue;
    for (const auto& g : a.gpu_loads(*ra)) {  // each route's share of each GPU, its CUDA context once per server
      auto it = std::find_if(on_gpu.begin(), on_gpu.end(), [&](const auto& e) { return e.first == g.device; });
      if (it == on_gpu.end()) {
        on_gpu.emplace_back(g.device, OnGpu{0, g.limit, {}});
        it = on_gpu.end() - 1;
      }
      if (g.bytes <= 0) continue;
      it->second.bytes += g.bytes;
      it->second.parts.push_back(fmt::format("{} {}", shown_value(rr.value), gib(g.bytes)));
    }
  }
  if (parts.size() < 2) return;
  const Node* at = a.config.resident_routes_node;
  if (total > a.budget.model_budget_bytes) {
    const char* where = a.placement == Placement::discrete_gpu ? " of host memory" : "";
    auto& d = out.report(kResidentRoutes, at, "inference.resident_routes",
                         fmt::format("resident routes need {}{} together ({}), over the {} model budget", gib(total),
                                     where, join(parts, " + "), gib(a.budget.model_budget_bytes)));
    d.help = "keep fewer routes resident, or choose smaller models for them";
  } else if (a.budget.unified_memory && a.budget.gpu_limit_bytes && total > *a.budget.gpu_limit_bytes) {
    auto& d = out.report(kResidentRoutes, at, "inference.resident_routes",
                         fmt::format("resident routes need {} together ({}), over the GPU wired limit of {}", gib(total),
                                     join(parts, " + "), gib(*a.budget.gpu_limit_bytes)));
    d.help = "keep fewer routes resident, or raise iogpu.wired_limit_mb";
  } else if (!a.budget.unified_memory) {
    const bool several = a.budget.gpus.size() > 1;
    for (const auto& [device, g] : on_gpu) {
      if (!g.limit || g.parts.size() < 2 || g.bytes <= *g.limit) continue;
      auto& d = out.report(kResidentRoutes, at, "inference.resident_routes",
                           several ? fmt::format("resident routes need {} on {} together ({}), over its {} of VRAM",
                                                 gib(g.bytes), device, join(g.parts, " + "), gib(*g.limit))
                                   : fmt::format("resident routes need {} of VRAM together ({}), over the GPU's {}",
                                                 gib(g.bytes), join(g.parts, " + "), gib(*g.limit)));
      d.help = several ? "keep fewer routes resident, move layers to a GPU with room (tensor_split), or choose smaller models"
                       : "keep fewer routes resident, put fewer layers on the GPU (gpu_layers), or choose smaller models";
    }
  }
}
}  // namespace

}  // namespace planner
