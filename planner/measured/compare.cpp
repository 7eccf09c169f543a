#include "measured/compare.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"

namespace planner {

std::optional<double> MeasuredFigure::off() const {
  if (!measured || !estimated || *estimated <= 0) return std::nullopt;
  return (*measured - *estimated) / *estimated;
}

std::size_t MeasuredComparison::flagged() const {
  std::size_t n = 0;
  for (const auto& r : routes) {
    n += r.tokens_per_s.flagged();
    for (const auto& m : r.memory) n += m.flagged();
  }
  return n;
}

std::string recorded_model(const ResolvedRoute& r) { return r.model ? r.model->id : r.cfg->model.value; }

namespace {

// The estimate's device for a measured one: a Mac's unified memory is the server's (host) RSS.
std::optional<double> estimated_on(const RouteAnalysis& ra, const std::string& device) {
  for (const auto& d : ra.devices)
    if (d.device == device || (device == "host" && d.device == "unified")) return d.total();
  if (device == "host" && ra.devices.empty() && ra.memory) return ra.memory->total();
  return std::nullopt;
}

}  // namespace

std::optional<MeasuredComparison> compare_measured(RunReport report, const Analysis& a, const std::string& config_path,
                                                   std::string& error) {
  MeasuredComparison c;
  c.report = std::move(report);
  auto fail = [&](const ReportPlace& at, std::string message) {
    error = fmt::format("{}:{}:{}: {}", shown_text(c.report.path), std::max(at.line, 1), std::max(at.column, 1),
                        message);
    return std::nullopt;
  };
  const std::string regenerate = "regenerate the run script from the config and run it again";
  for (const MeasuredRoute& m : c.report.routes) {
    const RouteAnalysis* ra = a.route(m.route);
    if (!ra)
      return fail(m.at_route, fmt::format("route '{}' is not in {}: the report is of another config",
                                          shown_value(m.route), shown_text(config_path)));
    const ResolvedRoute& r = *ra->route;
    if (recorded_model(r) != m.model)
      return fail(m.at_model, fmt::format("route '{}' ran {}, the config now serves {}; {}", shown_value(m.route),
                                          shown_value(m.model), shown_value(recorded_model(r)), regenerate));
    if (r.runtime->name != m.runtime)
      return fail(m.at_runtime, fmt::format("route '{}' ran on {}, the config now serves it on {}; {}",
                                            shown_value(m.route), shown_value(m.runtime), r.runtime->name, regenerate));
    if (r.context != m.context)
      return fail(m.at_context, fmt::format("route '{}' ran with {} tokens of context, the config now serves {}; {}",
                                            shown_value(m.route), m.context, r.context, regenerate));
    RouteMeasured rm;
    rm.measured = &m;
    rm.estimated = ra;
    rm.tokens_per_s.what = "tokens/s";
    rm.tokens_per_s.measured = m.tokens_per_s;
    // Validation prompts are short: the reply decodes near an empty context.
    if (ra->speed) rm.tokens_per_s.estimated = ra->speed->tokens_per_second_empty;
    for (const auto& p : m.peaks)
      rm.memory.push_back({"peak " + p.device, p.device, p.source, p.bytes, estimated_on(*ra, p.device)});
    c.routes.push_back(std::move(rm));
  }
  return c;
}

}  // namespace planner
