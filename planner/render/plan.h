#pragma once
// `planner plan`: what each route of one config costs, how it sits in the machine's budget and
// which routes fit together, as text (with a bar per route), as the stable JSON interface
// (docs/output-formats.md, "plan"), or as a budget chart (SVG, an HTML page, GitHub markdown).
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "estimate/analysis.h"
#include "measured/compare.h"

namespace planner {

// The columns of one route's budget bar: segment widths in columns, and the column (0-based,
// inside the brackets) of the GPU limit mark, -1 for none. `overflow`: the route does not fit
// the scale, the bar ends in '>' instead of ']'.
struct BarWidths {
  int weights = 0, kv = 0, overhead = 0, free = 0;
  int gpu_mark = -1;
  bool overflow = false;
};

// Scales byte figures to `width` columns, where `width` is `scale_bytes` (the model budget).
// A non-zero segment gets at least one column while there is room; the segments and the free
// space always add up to `width`.
BarWidths bar_widths(double weights, double kv, double overhead, double scale_bytes,
                     std::optional<double> gpu_limit, int width);

// `[#####weights#####==KV==oo      free      ]`: '#' weights, '=' KV cache (with any fixed
// state), 'o' overhead, ' ' free; '|' marks the GPU limit. Labels sit inside segments wide
// enough for them. With `color`, ANSI colors tell the segments apart.
std::string render_bar(const BarWidths& w, bool color);

// Bits per weight as estimated for this route (weight bytes over parameters, so a recipe's
// promoted tensors count); the quantization's nominal figure when there is no estimate.
std::optional<double> route_bits_per_weight(const RouteAnalysis& ra);

// Pairs of routes: which two of them, and their combined total.
struct RoutePair {
  const RouteAnalysis* a = nullptr;
  const RouteAnalysis* b = nullptr;
  double total_bytes = 0;
};

// The routes of `inference.resident_routes` that exist and have an estimate, and the names
// that are not routes.
struct ResidentSet {
  std::vector<const RouteAnalysis*> routes;
  std::vector<std::string> unknown;
  double total_bytes = 0;
};
ResidentSet resident_set(const Analysis& a);

// The pair of estimated routes with the largest combined total that still fits the model budget
// and the GPU limit (when there is one); nullopt when no two routes fit together.
std::optional<RoutePair> largest_fitting_pair(const Analysis& a);
// The pair of estimated routes with the smallest combined total, fitting or not; nullopt when
// fewer than two routes have an estimate.
std::optional<RoutePair> smallest_pair(const Analysis& a);

// The route's model as people name it: "DeepSeek-Coder-V2-Lite-Instruct".
std::string plan_model_name(const ModelInfo& m);

// The plan's word on one route: "fits", "over the model budget", "over the GPU limit", "over a
// GPU's VRAM", "vLLM cannot start (LI017)"; "no estimate" without one.
std::string route_verdict(const Analysis& a, const RouteAnalysis& ra);

void render_plan_text(std::ostream& out, const std::string& path, const Analysis& a, bool color);
// One route's block of the text plan ("route code: ..." down to its bar and verdict): the plan
// prints one per route, the language server's hover the one under the cursor.
void render_plan_route(std::ostream& out, const Analysis& a, const RouteAnalysis& ra, bool color);
// With `measured` (`plan --measured`), the JSON gains a "measured" member (render_measured_json).
void render_plan_json(std::ostream& out, const std::string& path, const Analysis& a,
                      const MeasuredComparison* measured = nullptr);
// `plan --measured`: per route, what planner-run.json measured beside the estimate, each figure
// off by more than 15 % flagged (render/plan_measured.cpp). Printed after the text plan.
void render_measured_text(std::ostream& out, const MeasuredComparison& c);
// The budget chart (render/plan_chart.h) as one SVG 1.1 element: no XML declaration, so the same
// text is a standalone .svg file and inline SVG in an HTML page.
void render_plan_svg(std::ostream& out, const std::string& path, const Analysis& a);
// One self-contained page: the chart, a table per budget, the verdicts and `findings` (check's,
// for the same file; may be empty). No script, no external resource.
void render_plan_html(std::ostream& out, const std::string& path, const Analysis& a,
                      const std::vector<Diagnostic>& findings);
// GitHub-flavoured markdown for $GITHUB_STEP_SUMMARY: a table per budget, the verdicts, how many
// findings `planner check` has.
void render_plan_markdown(std::ostream& out, const std::string& path, const Analysis& a,
                          const std::vector<Diagnostic>& findings);

}  // namespace planner
