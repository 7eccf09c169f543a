// `planner plan --format html`: one self-contained page, the chart (the SVG element itself,
// inline), a table per budget, the verdicts and check's findings. No script and nothing fetched:
// the page works from a file, an artifact or an e-mail. Every value from input goes through
// xml_text, which escapes what HTML needs too.
#include <fmt/format.h>

#include "render/markup.h"
#include "render/plan.h"
#include "render/plan_chart.h"

namespace planner {

namespace {

constexpr const char* kHtmlStyle =
    "body{font-family:DejaVu Sans,Verdana,Arial,sans-serif;margin:2em;max-width:72em;color:#1a1a1a;background:#fff}\n"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}\n"
    "th,td{border:1px solid #b0b0b0;padding:.25em .6em;text-align:left}\n"
    "th{font-size:90%}\n"
    "td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    ".over{color:#a04000;font-weight:bold}\n"
    "svg{max-width:100%;height:auto}\n"
    "code{font-size:95%}\n"
    "@media (prefers-color-scheme:dark){body{background:#111;color:#e8e8e8}th,td{border-color:#555}"
    ".over{color:#ff9a5c}}\n";

std::string html_cell(const TableCell& c) { return c.from_input ? xml_text(c.text) : xml_text(c.text, 0); }

}  // namespace

void render_plan_html(std::ostream& out, const std::string& path, const Analysis& a,
                      const std::vector<Diagnostic>& findings) {
  const PlanChart chart = plan_chart(a);
  const std::string title = xml_text(path + ": memory plan", 0);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << title << "</title>\n<style>\n" << kHtmlStyle << "</style>\n</head>\n<body>\n"
      << "<h1>" << title << "</h1>\n<p>Sizes in GiB (1 GiB = 2^30 bytes), as <code>planner plan</code> prints them.</p>\n";
  render_plan_svg(out, path, a);
  auto table = [&out](const ChartSection& s, const char* heading) {
    out << "<" << heading << ">" << xml_text(s.title, 0) << "</" << heading << ">\n";
    std::vector<std::string> limits;
    for (const auto& l : s.limits) limits.push_back(chart_limit_text(l, xml_text));
    out << "<p>Limits: " << (limits.empty() ? "not known" : join(limits, "; ")) << ".</p>\n<table>\n<thead><tr>";
    for (const auto& h : chart_table_header(s)) out << "<th>" << xml_text(h, 0) << "</th>";
    out << "</tr></thead>\n<tbody>\n";
    for (const ChartRow& row : s.rows) {
      out << "<tr>";
      const std::vector<TableCell> cells = chart_table_row(row, s);
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const bool verdict = i + 1 == cells.size();
        out << (cells[i].number ? "<td class=\"n\">" : verdict && row.over_bytes > 0 ? "<td class=\"over\">" : "<td>")
            << html_cell(cells[i]) << "</td>";
      }
      out << "</tr>\n";
    }
    out << "</tbody>\n</table>\n";
  };
  for (const ChartSection& s : chart.sections) table(s, "h2");
  for (const ClusterChart& c : chart.clusters) {
    out << "<h2>" << xml_text(c.title, 0) << "</h2>\n<p>" << xml_text(c.summary, 0) << ".</p>\n";
    for (const ChartSection& s : c.sections) table(s, "h3");
  }
  out << "<h2>Verdict</h2>\n"
      << fmt::format("<p><strong>{} of {} routes fit.</strong> ", fitting_routes(chart), chart.verdicts.size())
      << (a.config.resident_routes.empty()
              ? "One route is loaded at a time (no <code>inference.resident_routes</code>).</p>\n"
              : "<code>inference.resident_routes</code> are loaded together: <code>planner plan</code> sums them.</p>\n")
      << "<ul>\n";
  for (const auto& [name, verdict] : chart.verdicts) {
    const std::string split = cluster_verdict(a, name);
    out << "<li><code>" << xml_text(name) << "</code>: " << xml_text(split.empty() ? verdict : verdict + "; " + split, 0)
        << "</li>\n";
  }
  out << "</ul>\n<h2>Findings</h2>\n";
  if (findings.empty()) {
    out << "<p><code>planner check</code> reports no findings for this file.</p>\n";
  } else {
    out << fmt::format("<p><code>planner check</code> reports {} finding{} for this file:</p>\n<ul>\n", findings.size(),
                       findings.size() == 1 ? "" : "s");
    for (const Diagnostic& d : findings) {
      out << "<li><code>" << xml_text(fmt::format("{}:{}:{}", d.file, d.line, d.column), 0) << "</code> "
          << xml_text(to_string(d.severity), 0) << ": " << xml_text(d.message, 0) << " [" << xml_text(d.code, 0) << "]";
      if (!d.help.empty()) out << "<br>help: " << xml_text(d.help, 0);
      out << "</li>\n";
    }
    out << "</ul>\n";
  }
  out << "</body>\n</html>\n";
}

}  // namespace planner
