// The budget chart's model (render/plan_chart.h): sections, limits and rows from the analysis.
#include "render/plan_chart.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "render/plan.h"

namespace planner {

namespace {

// The section's rows from each route's entry for `device` (estimate/devices.h); `whole`: the
// route's whole estimate (a Mac, architecture cpu), whatever its entries are named.
void chart_add_rows(const Analysis& a, ChartSection& s, bool whole) {
  for (const auto& ra : a.routes) {
    ChartRow row;
    row.route = &ra;
    if (!ra.memory) {
      row.note = ra.route->model ? "quantization not known: no estimate" : "model not known: no estimate";
      s.rows.push_back(row);
      continue;
    }
    row.estimated = true;
    if (whole) {
      const MemoryEstimate& m = *ra.memory;
      row.weights = m.weights_bytes;
      row.kv = m.kv_bytes;
      row.state = m.state_bytes;
      row.overhead = m.overhead_bytes;
    } else {
      const auto d = std::find_if(ra.devices.begin(), ra.devices.end(),
                                  [&](const DeviceMemory& x) { return x.device == s.device; });
      if (d != ra.devices.end()) {
        row.weights = d->weights_bytes;
        row.kv = d->kv_cache_bytes;
        row.state = d->state_bytes;
        row.overhead = d->compute_bytes + d->runtime_bytes;
      } else if (s.device == "host") {
        // Analysis::ram_bytes: an engine planner puts wholly on the GPUs (vLLM) has no host estimate.
        row.note = "host memory not estimated";
      }
    }
    s.rows.push_back(row);
  }
}

}  // namespace

void finish_section(ChartSection& s) {
  std::stable_sort(s.limits.begin(), s.limits.end(),
                   [](const ChartLimit& x, const ChartLimit& y) { return x.bytes < y.bytes; });
  s.scale_bytes = s.limits.empty() ? 0 : s.limits.back().bytes;
  for (const auto& r : s.rows) s.scale_bytes = std::max(s.scale_bytes, r.total());
  if (s.scale_bytes <= 0) s.scale_bytes = 1;  // nothing to draw: any axis will do
  const ChartLimit* t = s.tightest();
  for (auto& r : s.rows) {
    if (!r.estimated || !t) continue;
    r.over_bytes = std::max(0.0, r.total() - t->bytes);
    if (t->bytes > 0) r.share = r.total() / t->bytes;
  }
}

namespace {

ChartSection chart_host_section(const Analysis& a, bool whole) {
  const Budget& b = a.budget;
  ChartSection s;
  s.device = "host";
  s.title = "host RAM";
  s.limits.push_back({"model budget", b.model_budget_bytes, "RAM less the OS reserve"});
  s.limits.push_back({"RAM", b.ram_bytes, "hardware.total_ram_gb"});
  s.reserve_from = b.model_budget_bytes;
  s.reserve_to = b.ram_bytes;
  chart_add_rows(a, s, whole);
  return s;
}

}  // namespace

PlanChart plan_chart(const Analysis& a) {
  const Budget& b = a.budget;
  PlanChart c;
  if (a.placement == Placement::unified) {
    ChartSection s = chart_host_section(a, true);
    s.device = "unified";
    s.title = "unified memory (Apple silicon)";
    if (b.gpu_limit_bytes) s.limits.push_back({"GPU wired limit", *b.gpu_limit_bytes, b.gpu_limit_basis});
    finish_section(s);
    c.sections.push_back(std::move(s));
  } else if (a.placement == Placement::discrete_gpu) {
    // budget.gpus is empty only when no GPU is described: the estimate still puts the route on gpu0.
    std::vector<GpuBudget> gpus = b.gpus;
    if (gpus.empty()) gpus.push_back({"gpu0", std::nullopt, ""});
    for (const auto& g : gpus) {
      ChartSection s;
      s.device = g.device;
      s.title = g.device + " VRAM";
      if (g.vram_bytes) s.limits.push_back({"VRAM", *g.vram_bytes, g.basis});
      chart_add_rows(a, s, false);
      finish_section(s);
      c.sections.push_back(std::move(s));
    }
    ChartSection host = chart_host_section(a, false);
    finish_section(host);
    c.sections.push_back(std::move(host));
  } else {
    ChartSection host = chart_host_section(a, true);
    finish_section(host);
    c.sections.push_back(std::move(host));
  }
  for (const auto& ra : a.routes) c.verdicts.emplace_back(ra.route->cfg->name, route_verdict(a, ra));
  c.clusters = cluster_charts(a);
  return c;
}

std::size_t fitting_routes(const PlanChart& c) {
  return static_cast<std::size_t>(
      std::count_if(c.verdicts.begin(), c.verdicts.end(), [](const auto& v) { return v.second == "fits"; }));
}

std::string chart_row_past(const ChartRow& row, const ChartSection& s) {
  if (row.over_bytes <= 0) return "";
  for (std::size_t i = s.limits.size(); i-- > 1;)
    if (row.total() > s.limits[i].bytes) return "past " + std::string(s.limits[i].name == "RAM" ? "" : "the ") + s.limits[i].name;
  return "";
}

std::string chart_row_verdict(const ChartRow& row, const ChartSection& s, bool with_past) {
  if (!row.note.empty()) return row.note;
  if (row.over_bytes > 0 && s.tightest()) {
    const std::string v = gib(row.over_bytes) + " over the " + s.tightest()->name;
    const std::string past = with_past ? chart_row_past(row, s) : "";
    return past.empty() ? v : v + ", " + past;
  }
  return s.tightest() ? "fits" : "no limit known";
}

std::vector<std::string> chart_table_header(const ChartSection& s) {
  const ChartLimit* t = s.tightest();
  if (s.per_host)
    return {"host", "holds", "devices", "weights", "KV cache", "state", "overhead", "total",
            t ? "share of the " + t->name : "share", "verdict"};
  return {"route", "model", "quantization", "context", "weights", "KV cache", "state", "overhead", "total",
          t ? "share of the " + t->name : "share", "verdict"};
}

std::vector<TableCell> chart_table_row(const ChartRow& row, const ChartSection& s) {
  const ResolvedRoute& r = *row.route->route;
  std::vector<TableCell> c;
  if (s.per_host) {
    c.push_back({row.host, true});
    c.push_back({row.holds, false});
    c.push_back({row.devices, false});
  } else {
    c.push_back({r.cfg->name, true});
    c.push_back({r.model ? plan_model_name(*r.model) : r.cfg->model.value, true});
    c.push_back({r.quant.known ? r.quant.label : r.quant_name, true});
    c.push_back({fmt::format("{}", r.context), false, true});
  }
  const bool bar = row.estimated && row.note.empty();
  for (double v : {row.weights, row.kv, row.state, row.overhead, row.total()})
    c.push_back({bar ? gib(v) : "", false, true});
  c.push_back({bar && row.share ? fixed(*row.share * 100, 1) + "%" : "", false, true});
  c.push_back({chart_row_verdict(row, s), false});
  return c;
}

std::string chart_limit_text(const ChartLimit& l, std::string (*escape)(std::string_view, std::size_t)) {
  return l.name + " " + gib(l.bytes) + (l.basis.empty() ? "" : " (" + escape(l.basis, 0) + ")");
}

double chart_x(double bytes, double scale_bytes, double x0, double width) {
  if (scale_bytes <= 0) return x0;
  return x0 + std::clamp(bytes / scale_bytes, 0.0, 1.0) * width;
}

BarGeometry bar_geometry(const ChartRow& row, const ChartSection& s, double x0, double width, double min_over) {
  BarGeometry g;
  auto x = [&](double bytes) { return chart_x(bytes, s.scale_bytes, x0, width); };
  // Cumulative boundaries, so the segments always meet and end where the total ends.
  const double b1 = x(row.weights), b2 = x(row.weights + row.kv), b3 = x(row.weights + row.kv + row.state),
               b4 = x(row.total());
  g.weights = {x0, b1 - x0};
  g.kv = {b1, b2 - b1};
  g.state = {b2, b3 - b2};
  g.overhead = {b3, b4 - b3};
  g.end = b4;
  if (row.over_bytes > 0 && s.tightest()) {
    const double from = x(s.tightest()->bytes);
    g.over = Span{from, std::max(b4 - from, min_over)};
  }
  return g;
}

}  // namespace planner
