// The budget a cluster's candidates are ranked on: its hosts' budgets added up. It only orders
// and pre-filters the catalog (select_for_task on it); whether a split fits each host's own RAM,
// wired limit and VRAM is the cluster estimate's and LI070's call, on the config init writes.
#include <fmt/format.h>

#include "select/select.h"

namespace planner {

SelectContext make_cluster_select_context(const std::vector<Machine>& hosts, const SelectOptions& o) {
  SelectContext ctx = make_select_context(hosts.front(), o);
  Budget sum;
  bool all_apple = true;
  sum.gpu_limit_bytes = 0.0;
  for (const Machine& m : hosts) {
    const Budget b = machine_budget(m, *ctx.hardware);
    sum.ram_bytes += b.ram_bytes;
    sum.os_reserve_bytes += b.os_reserve_bytes;
    sum.model_budget_bytes += b.model_budget_bytes;
    sum.kv_reserve_bytes += b.kv_reserve_bytes;
    all_apple = all_apple && m.apple();
    // What a host lends the split (docs/cluster.md): a Mac its wired limit, a GPU host its VRAM,
    // a host without a GPU (or of unknown VRAM) its model budget.
    *sum.gpu_limit_bytes += b.gpu_limit_bytes ? *b.gpu_limit_bytes : b.model_budget_bytes;
  }
  sum.unified_memory = all_apple;
  sum.gpu_limit_basis = all_apple ? "the hosts' wired limits together" : "the hosts' GPU memory together";
  ctx.budget = sum;
  return ctx;
}

}  // namespace planner
