#pragma once
// The plan as a budget chart: one section per memory budget of the machine (a Mac's unified
// memory; each discrete GPU's VRAM, then host RAM; host RAM alone on architecture cpu), one row
// per route with what it puts there. The SVG, HTML and markdown plans draw this one model, so
// every format shows the same figures; the geometry is here, apart from the markup, to be tested.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "estimate/analysis.h"

namespace planner {

// A vertical line across a section: where a budget ends ("GPU wired limit", "VRAM", "model
// budget", "RAM") and where it comes from.
struct ChartLimit {
  std::string name;
  double bytes = 0;
  std::string basis;  // may be empty
};

// What one route puts on one device. `estimated` false: no bar, `note` says why.
struct ChartRow {
  const RouteAnalysis* route = nullptr;
  // A cluster host's bar (ClusterChart): the host, what it holds, the devices the bar adds up;
  // empty on a route's row.
  std::string host, holds, devices;
  bool estimated = false;
  std::string note;  // why there is no bar (or what the bar leaves out), shown as is after escaping
  double weights = 0, kv = 0, state = 0, overhead = 0;  // overhead: compute buffers and the runtime
  double total() const { return weights + kv + state + overhead; }
  // Past the section's tightest limit (its first): by how much, 0 when not.
  double over_bytes = 0;
  // The share of the section's tightest limit the row takes (nullopt: no limit known).
  std::optional<double> share;
};

struct ChartSection {
  std::string device;  // "unified", "gpu0", "host"
  std::string title;   // "unified memory (Apple silicon)", "gpu0 VRAM", "host RAM"
  std::vector<ChartLimit> limits;  // ascending by bytes
  // Host RAM: the OS reserve, from the model budget to RAM (nullopt on a GPU).
  std::optional<double> reserve_from, reserve_to;
  // The axis runs from 0 to `scale_bytes`: the largest limit, or the largest row when one is larger.
  double scale_bytes = 0;
  std::vector<ChartRow> rows;
  bool per_host = false;  // a ClusterChart's: its rows are host bars (the table's columns differ)
  // The smallest limit: the part of a row past it is over (nullptr: none known).
  const ChartLimit* tightest() const { return limits.empty() ? nullptr : &limits.front(); }
  // The largest limit, where the free track ends (nullptr: none known).
  const ChartLimit* capacity() const { return limits.empty() ? nullptr : &limits.back(); }
};

// A route split over cluster: hosts (docs/cluster.md): per host one section for each of its
// limits (host_limits: the model budget, a Mac's wired limit, each GPU's VRAM), whose one bar is
// what that limit holds, so every bar is drawn against its own line.
struct ClusterChart {
  std::string route;
  std::string title;    // "cluster route 'general': llama.cpp RPC over 2 hosts, thunderbolt-5"
  std::string summary;  // "80.35 GiB on one machine; each host against its own limits"
  std::vector<ChartSection> sections;
};

struct PlanChart {
  std::vector<ChartSection> sections;
  std::vector<ClusterChart> clusters;
  // One line per route: its name and the text plan's verdict (route_verdict), for the summary.
  std::vector<std::pair<std::string, std::string>> verdicts;
};

// The cluster charts of `a` (render/plan_chart_cluster.cpp); plan_chart sets PlanChart::clusters.
std::vector<ClusterChart> cluster_charts(const Analysis& a);
// What a cluster route's verdict adds: "split over the cluster: every host fits", "... a host is
// over a limit", "... the engine cannot make the split"; "" for a route not split.
std::string cluster_verdict(const Analysis& a, const std::string& route);

// How many of the chart's routes the plan says fit ("N of M routes fit").
std::size_t fitting_routes(const PlanChart& c);

// Sorts the section's limits, sets its axis and each row's over_bytes and share (plan_chart does
// this for every section it builds).
void finish_section(ChartSection& s);

// The chart of `a`: no rule is judged here, only each row against the lines of its section.
PlanChart plan_chart(const Analysis& a);

// What the row's totals column says: "fits", "0.02 GiB over the GPU wired limit" (", past RAM"
// when it passes a further line too), "no limit known", or the row's note.
std::string chart_row_verdict(const ChartRow& row, const ChartSection& s, bool with_past = true);
// "past RAM", "past the model budget": the furthest line past the tightest that the row passes, or "".
std::string chart_row_past(const ChartRow& row, const ChartSection& s);

// The tables of the HTML and markdown plans, one per section: the header, and per row its cells.
// `from_input`: the cell holds a value from the config, for the format to escape.
struct TableCell {
  std::string text;
  bool from_input = false;
  bool number = false;  // right-aligned
};
std::vector<std::string> chart_table_header(const ChartSection& s);
std::vector<TableCell> chart_table_row(const ChartRow& row, const ChartSection& s);
// "GPU wired limit 10.67 GiB (macOS default below 36 GB of RAM: 2/3 of RAM)", the basis (which may
// hold a config value, a chip name) passed through `escape`.
std::string chart_limit_text(const ChartLimit& l, std::string (*escape)(std::string_view, std::size_t));

// A horizontal span in the chart's units (pixels of the SVG).
struct Span {
  double x = 0, w = 0;
};

// Where one row's segments lie on a bar from `x0`, `width` long for `scale_bytes`: weights, KV
// cache, state, overhead one after the other, widths proportional to bytes; `over` the part past
// the section's tightest limit (at least `min_over` wide, so 0.01 GiB over is still seen).
struct BarGeometry {
  Span weights, kv, state, overhead;
  std::optional<Span> over;
  double end = 0;  // where the row's bar ends
};
double chart_x(double bytes, double scale_bytes, double x0, double width);
BarGeometry bar_geometry(const ChartRow& row, const ChartSection& s, double x0, double width, double min_over = 2);

}  // namespace planner
