// `planner plan --format svg`: the budget chart (render/plan_chart.h) as one SVG 1.1 element.
// Presentation attributes only (no CSS, no script), an opaque white background so it reads the
// same on a dark page, the Okabe-Ito palette (colour-blind safe) with a hatch for what is over a
// limit, and fixed one-decimal coordinates so the output is byte-for-byte reproducible.
#include <fmt/format.h>

#include "render/markup.h"
#include "render/plan.h"
#include "render/plan_chart.h"

namespace planner {

namespace {

constexpr double kSvgWidth = 980;
constexpr double kSvgLabelX = 16;    // route names
constexpr double kSvgBarX = 230;     // where every bar starts
constexpr double kSvgBarW = 500;     // the axis, 0 to the section's scale
constexpr double kSvgTotalX = 742;   // the totals column
constexpr double kSvgRowH = 36;
constexpr double kSvgLimitRowH = 16;
constexpr std::size_t kSvgNameChars = 28;   // route and model names are cut to fit the label column
constexpr const char* kSvgFont = "DejaVu Sans, Verdana, Arial, sans-serif";

// Okabe & Ito, "Color Universal Design" (2008): https://jfly.uni-koeln.de/color/
struct SvgKind {
  const char* name;
  const char* fill;
};
constexpr SvgKind kSvgWeights{"weights", "#0072B2"};
constexpr SvgKind kSvgKv{"KV cache", "#E69F00"};
constexpr SvgKind kSvgState{"fixed state", "#009E73"};
constexpr SvgKind kSvgOverhead{"overhead (buffers, runtime)", "#CC79A7"};
constexpr const char* kSvgOver = "#D55E00";      // vermillion: the hatch past a limit
constexpr const char* kSvgOverText = "#A04000";  // the same hue, dark enough for text on white
constexpr const char* kSvgTrack = "#F2F2F2";     // free
constexpr const char* kSvgTrackLine = "#B0B0B0";
constexpr const char* kSvgReserve = "#8C8C8C";   // the OS reserve's hatch
constexpr const char* kSvgInk = "#1A1A1A";
constexpr const char* kSvgMuted = "#555555";

std::string svg_num(double v) { return fmt::format("{:.1f}", v); }

std::string svg_text(double x, double y, std::string_view body, std::string_view extra = "") {
  return fmt::format("<text x=\"{}\" y=\"{}\"{}{}>{}</text>\n", svg_num(x), svg_num(y), extra.empty() ? "" : " ", extra, body);
}

// A rectangle with a tooltip (`tip` already escaped); nothing when it has no width.
std::string svg_rect(const Span& s, double y, double h, std::string_view fill, std::string_view tip = "",
                 std::string_view extra = "") {
  if (s.w <= 0) return "";
  std::string r = fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}{}", svg_num(s.x), svg_num(y),
                              svg_num(s.w), svg_num(h), fill, extra.empty() ? "" : " ", extra);
  if (tip.empty()) return r + "/>\n";
  return r + fmt::format("><title>{}</title></rect>\n", tip);
}

std::string svg_legend() {
  std::string out;
  double x = kSvgLabelX;
  auto item = [&](std::string_view fill, std::string_view label, std::string_view extra = "") {
    out += fmt::format("<rect x=\"{}\" y=\"58.0\" width=\"12.0\" height=\"12.0\" fill=\"{}\"{}{}/>\n", svg_num(x), fill,
                       extra.empty() ? "" : " ", extra);
    out += svg_text(x + 17, 68.5, label);
    x += 17 + 6.4 * static_cast<double>(label.size()) + 16;  // ~6.4 px a character at 12 px
  };
  for (const SvgKind& k : {kSvgWeights, kSvgKv, kSvgState, kSvgOverhead}) item(k.fill, k.name);
  item("url(#planner-plan-reserve)", "OS reserve");
  item(kSvgTrack, "free", fmt::format("stroke=\"{}\" stroke-width=\"0.5\"", kSvgTrackLine));
  item("url(#planner-plan-over)", "over a limit", fmt::format("stroke=\"{}\" stroke-width=\"1\"", kSvgOver));
  return out;
}

std::string svg_section(const ChartSection& s, double& y) {
  std::string out;
  auto x = [&](double bytes) { return chart_x(bytes, s.scale_bytes, kSvgBarX, kSvgBarW); };
  // The figures are the lines' labels, below: the heading names the budget only.
  out += svg_text(kSvgLabelX, y + 14, xml_text(s.limits.empty() ? s.title + " (not known)" : s.title, 0),
                  "font-size=\"14\" font-weight=\"bold\"");
  y += 22;
  // One label row per limit, smallest first, each written to the right of its line: a line
  // starts under its own label, so it never runs through a later one (they are further right).
  const double rows_top = y + kSvgLimitRowH * static_cast<double>(s.limits.size()) + 4;
  double rows_bottom = rows_top;
  for (const ChartRow& row : s.rows) rows_bottom += chart_row_past(row, s).empty() ? kSvgRowH : kSvgRowH + 10;
  std::string lines;
  for (std::size_t i = 0; i < s.limits.size(); ++i) {
    const ChartLimit& l = s.limits[i];
    const double lx = x(l.bytes), ly = y + kSvgLimitRowH * static_cast<double>(i + 1);
    out += svg_text(lx + 4, ly - 3, xml_text(l.name + " " + gib(l.bytes), 0), "font-size=\"11\"");
    std::string tip = l.basis.empty() ? "" : fmt::format("<title>{}</title>", xml_text(l.basis, 0));
    lines += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1.5\" "
                         "stroke-dasharray=\"4 3\">{4}</line>\n",
                         svg_num(lx), svg_num(ly - 12), svg_num(rows_bottom), kSvgInk, tip);
  }
  y = rows_top;
  const double track_end = s.capacity() ? x(s.capacity()->bytes) : kSvgBarX + kSvgBarW;
  for (const ChartRow& row : s.rows) {
    const ResolvedRoute& r = *row.route->route;
    // A route's row: its name and model; a cluster host's bar: the host and what it holds.
    const bool host = !row.host.empty();
    const std::string label = host ? row.host : r.cfg->name;
    const std::string model = host ? row.holds : r.model ? plan_model_name(*r.model) : r.cfg->model.value;
    // The tooltip has both whole; the label column cuts them.
    out += host ? fmt::format("<g>\n<title>{} on {}: {} ({})</title>\n", xml_text(r.cfg->name, 0), xml_text(row.host, 0),
                              xml_text(row.holds, 0), xml_text(row.devices, 0))
                : fmt::format("<g>\n<title>{}: {}</title>\n", xml_text(r.cfg->name, 0), xml_text(model));
    out += svg_text(kSvgLabelX, y + 15, xml_text(label, kSvgNameChars), "font-size=\"12\" font-weight=\"bold\"");
    out += svg_text(kSvgLabelX, y + 29, xml_text(model, kSvgNameChars),
                fmt::format("font-size=\"11\" fill=\"{}\"", kSvgMuted));
    const double by = y + 6, bh = 20;
    out += svg_rect({kSvgBarX, track_end - kSvgBarX}, by, bh, kSvgTrack, "", fmt::format("stroke=\"{}\" stroke-width=\"0.5\"", kSvgTrackLine));
    if (s.reserve_from && s.reserve_to)
      out += svg_rect({x(*s.reserve_from), x(*s.reserve_to) - x(*s.reserve_from)}, by, bh, "url(#planner-plan-reserve)",
                  xml_text("OS reserve " + gib(*s.reserve_to - *s.reserve_from), 0));
    if (!row.estimated || !row.note.empty()) {
      out += svg_text(kSvgBarX + 8, by + 14, xml_text(row.note, 0), fmt::format("font-size=\"11\" font-style=\"italic\" fill=\"{}\"", kSvgMuted));
      out += "</g>\n";
      y += kSvgRowH;
      continue;
    }
    const BarGeometry g = bar_geometry(row, s, kSvgBarX, kSvgBarW, 3);
    out += svg_rect(g.weights, by, bh, kSvgWeights.fill, xml_text(std::string(kSvgWeights.name) + " " + gib(row.weights), 0));
    out += svg_rect(g.kv, by, bh, kSvgKv.fill, xml_text(std::string(kSvgKv.name) + " " + gib(row.kv), 0));
    out += svg_rect(g.state, by, bh, kSvgState.fill, xml_text(std::string(kSvgState.name) + " " + gib(row.state), 0));
    out += svg_rect(g.overhead, by, bh, kSvgOverhead.fill, xml_text(std::string(kSvgOverhead.name) + " " + gib(row.overhead), 0));
    std::string verdict_attr = fmt::format("font-size=\"11\" fill=\"{}\"", kSvgMuted);
    if (g.over) {
      // Taller than the bar, so that a sliver over the line still catches the eye.
      out += svg_rect(*g.over, by - 3, bh + 6, "url(#planner-plan-over)", "",
                      fmt::format("stroke=\"{}\" stroke-width=\"1\"", kSvgOver));
      verdict_attr = fmt::format("font-size=\"11\" font-weight=\"bold\" fill=\"{}\"", kSvgOverText);
    }
    out += svg_text(kSvgTotalX, y + 15, xml_text(gib(row.total()), 0), "font-size=\"12\" font-weight=\"bold\"");
    // Over one line and past a further one: the second on a line of its own, the row a little taller.
    const std::string past = chart_row_past(row, s);
    out += svg_text(kSvgTotalX, y + 29, xml_text(chart_row_verdict(row, s, false) + (past.empty() ? "" : ","), 0),
                    verdict_attr);
    if (!past.empty()) out += svg_text(kSvgTotalX, y + 42, xml_text(past, 0), verdict_attr);
    out += "</g>\n";
    y += past.empty() ? kSvgRowH : kSvgRowH + 10;
  }
  out += lines;
  y += 18;
  return out;
}

}  // namespace

void render_plan_svg(std::ostream& out, const std::string& path, const Analysis& a) {
  const PlanChart chart = plan_chart(a);
  double y = 92;
  std::string body;
  for (const ChartSection& s : chart.sections) body += svg_section(s, y);
  // A route split over cluster: hosts: each host's bars, each against its own limit.
  for (const ClusterChart& c : chart.clusters) {
    body += svg_text(kSvgLabelX, y + 14, xml_text(c.title, 0), "font-size=\"15\" font-weight=\"bold\"");
    body += svg_text(kSvgLabelX, y + 31, xml_text(c.summary, 0), fmt::format("font-size=\"12\" fill=\"{}\"", kSvgMuted));
    y += 42;
    for (const ChartSection& s : c.sections) body += svg_section(s, y);
  }
  // With several budgets a route's rows are spread over them: the plan's verdict sums them up.
  if (chart.sections.size() > 1 || !chart.clusters.empty()) {
    body += svg_text(kSvgLabelX, y + 2, "verdict per route", "font-size=\"13\" font-weight=\"bold\"");
    y += 20;
    for (const auto& [name, verdict] : chart.verdicts) {
      const std::string split = cluster_verdict(a, name);
      body += svg_text(kSvgLabelX, y, xml_text(name, kSvgNameChars), "font-size=\"12\" font-weight=\"bold\"");
      body += svg_text(kSvgBarX, y, xml_text(split.empty() ? verdict : verdict + "; " + split, 0), "font-size=\"12\"");
      y += 17;
    }
  }
  body += svg_text(kSvgLabelX, y + 8,
               a.config.resident_routes.empty() ? "one route is loaded at a time (no inference.resident_routes): "
                                                  "each bar is one route alone"
                                                : "inference.resident_routes are loaded together: planner plan sums them",
               fmt::format("font-size=\"11\" fill=\"{}\"", kSvgMuted));
  const double height = y + 24;
  const std::string title = xml_text(path + ": memory plan", 0);
  out << fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" "
                     "viewBox=\"0 0 {0} {1}\" role=\"img\" aria-labelledby=\"planner-plan-title planner-plan-desc\" "
                     "font-family=\"{2}\" font-size=\"12\" fill=\"{3}\">\n",
                     svg_num(kSvgWidth), svg_num(height), kSvgFont, kSvgInk);
  out << fmt::format("<title id=\"planner-plan-title\">{}</title>\n", title);
  out << "<desc id=\"planner-plan-desc\">One bar per route for each memory budget of the machine: weights, KV "
         "cache, fixed state and overhead, drawn against the limits (dashed lines); the part past the first limit "
         "is hatched. The figures are the text of the chart, in GiB (2^30 bytes).</desc>\n";
  out << "<defs>\n"
      << fmt::format("<pattern id=\"planner-plan-over\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
                     "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#FFFFFF\" "
                     "fill-opacity=\"0.5\"/><rect width=\"3\" height=\"6\" fill=\"{}\"/></pattern>\n",
                     kSvgOver)
      << fmt::format("<pattern id=\"planner-plan-reserve\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" "
                     "patternTransform=\"rotate(-45)\"><rect width=\"6\" height=\"6\" fill=\"#E0E0E0\"/><rect "
                     "width=\"2\" height=\"6\" fill=\"{}\"/></pattern>\n",
                     kSvgReserve)
      << "</defs>\n";
  out << fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"#FFFFFF\"/>\n", svg_num(kSvgWidth), svg_num(height));
  out << svg_text(kSvgLabelX, 28, title, "font-size=\"16\" font-weight=\"bold\"");
  out << svg_text(kSvgLabelX, 46, "sizes in GiB (1 GiB = 2^30 bytes)", fmt::format("font-size=\"12\" fill=\"{}\"", kSvgMuted));
  out << svg_legend();
  out << body << "</svg>\n";
}

}  // namespace planner
