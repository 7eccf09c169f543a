#pragma once
// planner-run.json against the estimate (`planner plan --measured`): per route, the measured
// tokens/s and peak memory per device beside planner's figures, and which are off by more than
// kMeasuredTolerance.
#include <optional>
#include <string>
#include <vector>

#include "estimate/analysis.h"
#include "measured/run_report.h"

namespace planner {

// Off by more than this share of the estimate is flagged (issue 18: "more than 15 %").
inline constexpr double kMeasuredTolerance = 0.15;

struct MeasuredFigure {
  std::string what;     // "tokens/s", "peak host", "peak gpu0"
  std::string device;   // for memory: host, gpu0...; "" for tokens/s
  std::string source;   // for memory: rss, nvidia-smi
  std::optional<double> measured, estimated;
  // (measured - estimated) / estimated; nullopt without both figures.
  std::optional<double> off() const;
  bool flagged() const { return off() && (*off() > kMeasuredTolerance || *off() < -kMeasuredTolerance); }
};

struct RouteMeasured {
  const MeasuredRoute* measured = nullptr;
  const RouteAnalysis* estimated = nullptr;
  MeasuredFigure tokens_per_s;
  std::vector<MeasuredFigure> memory;  // one per device the report measured
};

struct MeasuredComparison {
  RunReport report;
  std::vector<RouteMeasured> routes;
  std::size_t flagged() const;
};

// The model name a run script records for a route (launch/render_validation.cpp): the catalog
// id, else the name the config wrote.
std::string recorded_model(const ResolvedRoute& r);

// nullopt, and `error` one line with the report's PATH:LINE:COL, when a route of the report is
// not in the config or ran another model, runtime or context than the config now serves.
std::optional<MeasuredComparison> compare_measured(RunReport report, const Analysis& a, const std::string& config_path,
                                                   std::string& error);

}  // namespace planner
