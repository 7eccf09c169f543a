// `planner plan --format markdown`: GitHub-flavoured markdown for $GITHUB_STEP_SUMMARY (or a pull
// request comment). Every value from the config goes through markdown_text, so a route name
// cannot end a table cell, open a link or a code span, or become HTML.
#include <fmt/format.h>

#include "render/markup.h"
#include "render/plan.h"
#include "render/plan_chart.h"
#include "render/plan_cluster.h"

namespace planner {

namespace {

std::string md_cell(const TableCell& c) { return c.from_input ? markdown_text(c.text) : c.text; }

std::string md_table_line(const std::vector<std::string>& cells) {
  std::string s = "|";
  for (const auto& c : cells) s += " " + c + " |";
  return s + "\n";
}

// "2 errors, 5 warnings and 1 info finding" for the findings line.
std::string md_findings_text(const std::vector<Diagnostic>& findings) {
  std::size_t n[3] = {0, 0, 0};
  for (const auto& d : findings) ++n[static_cast<int>(d.severity)];
  std::vector<std::string> parts;
  auto part = [&](std::size_t k, const char* one, const char* many) {
    if (k) parts.push_back(fmt::format("{} {}", k, k == 1 ? one : many));
  };
  part(n[static_cast<int>(Severity::error)], "error", "errors");
  part(n[static_cast<int>(Severity::warning)], "warning", "warnings");
  part(n[static_cast<int>(Severity::info)], "info", "infos");
  if (parts.empty()) return "no findings";
  std::string last = parts.back();
  parts.pop_back();
  return parts.empty() ? last : join(parts, ", ") + " and " + last;
}

}  // namespace

void render_plan_markdown(std::ostream& out, const std::string& path, const Analysis& a,
                          const std::vector<Diagnostic>& findings) {
  const PlanChart chart = plan_chart(a);
  out << "## Memory plan: " << markdown_text(path, 0) << "\n\n";
  out << "Sizes in GiB (1 GiB = 2^30 bytes), as `planner plan` prints them.\n";
  for (const ChartSection& s : chart.sections) {
    out << "\n### " << s.title << "\n\n";
    if (!s.limits.empty()) {
      std::vector<std::string> limits;
      for (const auto& l : s.limits) limits.push_back(chart_limit_text(l, markdown_text));
      out << "Limits: " << join(limits, "; ") << ".\n\n";
    } else {
      out << "Limits: not known.\n\n";
    }
    const std::vector<std::string> header = chart_table_header(s);
    out << md_table_line(header);
    std::string rule = "|";
    for (std::size_t i = 0; i < header.size(); ++i) rule += i >= 3 && i + 1 < header.size() ? " ---: |" : " --- |";
    out << rule << "\n";
    for (const ChartRow& row : s.rows) {
      std::vector<std::string> cells;
      for (const TableCell& c : chart_table_row(row, s)) cells.push_back(md_cell(c));
      if (row.over_bytes > 0) cells.back() = "**" + cells.back() + "**";
      out << md_table_line(cells);
    }
  }
  render_cluster_markdown(out, a);  // cluster: (docs/cluster.md), per host and device
  out << "\n### Verdict\n\n";
  out << fmt::format("**{} of {} routes fit.**", fitting_routes(chart), chart.verdicts.size());
  out << (a.config.resident_routes.empty() ? " One route is loaded at a time (no `inference.resident_routes`).\n\n"
                                           : " `inference.resident_routes` are loaded together: `planner plan` sums them.\n\n");
  for (const auto& [name, verdict] : chart.verdicts) {
    out << "- " << markdown_text(name) << ": " << verdict;
    // A cluster route's verdict above is for one machine; its hosts are held to their own limits.
    if (const std::string split = cluster_verdict(a, name); !split.empty()) out << "; " << split;
    out << "\n";
  }
  out << "\nFindings: `planner check` reports " << md_findings_text(findings) << " for this file.\n";
}

}  // namespace planner
