// The budget chart's cluster part (render/plan_chart.h ClusterChart): for each route split over
// cluster: hosts, one section per host and limit, its bar what that limit holds, from the same
// ClusterPlan and host_limits as the text, JSON and markdown plans.
#include <fmt/format.h>

#include "core/text.h"
#include "estimate/cluster_link.h"
#include "render/plan_chart.h"
#include "render/plan_cluster.h"
#include "rules/cluster_common.h"

namespace planner {

namespace {

const RouteAnalysis* route_analysis(const Analysis& a, const ClusterPlan& p) {
  for (const auto& ra : a.routes)
    if (ra.route == p.route) return &ra;
  return nullptr;
}

ChartSection host_section(const ClusterHostLoad& h, const HostLimit& l, const RouteAnalysis& ra) {
  ChartSection s;
  s.per_host = true;
  s.device = h.host->name + ":" + l.what;
  s.title = h.host->name + ": " + l.what;
  // The line's label is short enough for the chart's width: the title names the device, and
  // vLLM's gpu_memory_utilization goes to the basis (its tooltip and the table's limits line).
  std::string name = l.what, basis = l.basis;
  for (const auto& d : l.devices)
    if (name.rfind(d + " ", 0) == 0) name.erase(0, d.size() + 1);
  if (const auto at = name.find(" (gpu_memory_utilization)"); at != std::string::npos) {
    name.erase(at);
    basis = "gpu_memory_utilization of " + basis;
  }
  s.limits.push_back({name, l.limit, basis});
  if (l.what == "model budget") {
    // As a single machine's host RAM section: the OS reserve from the model budget up to RAM.
    s.limits.push_back({"RAM", h.budget.ram_bytes, "hardware.total_ram_gb"});
    s.reserve_from = h.budget.model_budget_bytes;
    s.reserve_to = h.budget.ram_bytes;
  }
  ChartRow row;
  row.route = &ra;
  row.estimated = true;
  row.host = h.host->name;
  row.holds = cluster_host_holds(h);
  row.devices = join(l.devices, " + ");
  for (const auto& d : h.devices)
    for (const auto& name : l.devices)
      if (d.device == name) {
        row.weights += d.weights_bytes;
        row.kv += d.kv_cache_bytes;
        row.state += d.state_bytes;
        row.overhead += d.compute_bytes + d.runtime_bytes;
      }
  // Only vLLM's hosts have every device on a GPU: planner has no host estimate for them, as the
  // one-machine chart says (plan_chart.cpp).
  if (l.devices.empty()) row.note = "host memory not estimated";
  s.rows.push_back(std::move(row));
  finish_section(s);
  return s;
}

}  // namespace

std::vector<ClusterChart> cluster_charts(const Analysis& a) {
  std::vector<ClusterChart> out;
  for (const auto& p : a.cluster_plans) {
    const RouteAnalysis* ra = route_analysis(a, p);
    if (!ra) continue;
    ClusterChart c;
    c.route = p.route->cfg->name;
    std::string link;
    if (a.cluster.link) {
      link = ", " + a.cluster.link->value;
      if (const LinkInfo* l = find_link(a.cluster.link->value)) link += fmt::format(" ({:g} Gb/s)", l->gbit_per_s);
    }
    c.title = fmt::format("cluster route '{}': {} over {} hosts{}", c.route, cluster_engine_label(p), p.hosts.size(), link);
    c.summary = fmt::format("{} on one machine; each host against its own limits", gib(p.single_host_bytes));
    if (!p.cannot.empty()) c.summary += "; the engine cannot make this split (LI071)";
    for (const auto& h : p.hosts)
      for (const auto& l : host_limits(h)) c.sections.push_back(host_section(h, l, *ra));
    out.push_back(std::move(c));
  }
  return out;
}

std::string cluster_verdict(const Analysis& a, const std::string& route) {
  const ClusterPlan* p = a.cluster_plan(route);
  if (!p) return "";
  bool over = false;
  for (const auto& h : p->hosts)
    for (const auto& l : host_limits(h)) over = over || l.over();
  return !p->cannot.empty() ? "split over the cluster: the engine cannot make the split"
         : over             ? "split over the cluster: a host is over a limit"
                            : "split over the cluster: every host fits";
}

}  // namespace planner
