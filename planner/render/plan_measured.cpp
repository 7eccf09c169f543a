// `planner plan --measured planner-run.json`: measured beside estimated, per route (text and
// JSON). The comparison itself is measured/compare.cpp's.
#include "render/plan_measured.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>

#include "core/text.h"
#include "render/plan.h"

namespace planner {

namespace {

using Json = nlohmann::ordered_json;

std::string percent(double off) { return fmt::format("{:+.1f}%", off * 100); }

bool is_memory(const MeasuredFigure& f) { return !f.device.empty(); }

std::string amount(const MeasuredFigure& f, double v) {
  return is_memory(f) ? gib(v) : fmt::format("{:.1f}", v);
}

std::string figure_line(const MeasuredFigure& f, const char* no_estimate) {
  std::string s = f.measured ? amount(f, *f.measured) + " measured" : std::string("not measured");
  if (is_memory(f) && !f.source.empty()) s += fmt::format(" ({})", f.source);
  if (!f.estimated) return s + ", " + no_estimate;
  s += fmt::format(", {} estimated", amount(f, *f.estimated));
  if (auto off = f.off()) {
    s += fmt::format(" ({})", percent(*off));
    if (f.flagged()) s += ": the estimate is off by more than 15%";
  }
  return s;
}

Json figure_json(const MeasuredFigure& f) {
  auto value = [&](const std::optional<double>& v) -> Json {
    if (!v) return nullptr;
    if (is_memory(f)) return static_cast<std::int64_t>(std::llround(*v));
    return std::round(*v * 100) / 100;
  };
  Json j;
  j["measured"] = value(f.measured);
  j["estimated"] = value(f.estimated);
  j["off"] = f.off() ? Json(std::round(*f.off() * 1000) / 1000) : Json(nullptr);
  j["flagged"] = f.flagged();
  return j;
}

}  // namespace

void render_measured_text(std::ostream& out, const MeasuredComparison& c) {
  out << fmt::format("\nmeasured ({}, {})\n", shown_text(c.report.path), shown_value(c.report.finished));
  if (c.routes.empty()) out << "  no route was validated\n";
  for (const auto& r : c.routes) {
    const MeasuredRoute& m = *r.measured;
    out << fmt::format("  route {}: {} on {}, {} tokens\n", shown_value(m.route), shown_value(m.model),
                       shown_value(m.runtime), m.context);
    out << fmt::format("    {:<13}{}\n", "tokens/s", figure_line(r.tokens_per_s, "no estimate (hardware.chip gives one)"));
    for (const auto& f : r.memory)
      out << fmt::format("    {:<13}{}\n", f.what, figure_line(f, "no estimate for this device"));
    out << fmt::format("    {:<13}{} passed, {} failed, {} skipped{}; {} watchdog action{}\n", "validation", m.passed,
                       m.failed, m.skipped, m.stopped_by_budget ? " (time budget spent)" : "",
                       m.watchdog_actions, m.watchdog_actions == 1 ? "" : "s");
  }
  const std::size_t n = c.flagged();
  if (n == 0) out << "  every measured figure is within 15% of its estimate\n";
  else out << fmt::format("  {} figure{} off by more than 15% of the estimate\n", n, n == 1 ? "" : "s");
}

nlohmann::ordered_json measured_json(const MeasuredComparison& c) {
  Json routes = Json::array();
  for (const auto& r : c.routes) {
    const MeasuredRoute& m = *r.measured;
    Json memory = Json::array();
    for (const auto& f : r.memory) {
      Json j = {{"device", f.device}, {"source", f.source}};
      j.update(figure_json(f));
      memory.push_back(j);
    }
    Json j;
    j["route"] = m.route;
    j["tokens_per_s"] = figure_json(r.tokens_per_s);
    j["peak_memory_bytes"] = memory;
    j["validation"] = {{"passed", m.passed}, {"failed", m.failed}, {"skipped", m.skipped},
                       {"stopped_by_budget", m.stopped_by_budget}};
    j["watchdog_actions"] = m.watchdog_actions;
    routes.push_back(j);
  }
  Json doc;
  doc["report"] = c.report.path;
  doc["finished"] = c.report.finished;
  doc["tolerance"] = kMeasuredTolerance;
  doc["routes"] = routes;
  doc["flagged"] = c.flagged();
  return doc;
}

}  // namespace planner
