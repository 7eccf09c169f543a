#pragma once
// Stage 5b (measured): planner-run.json, what a run script measured (launch/render_validation.cpp
// writes it; schema/planner-run.schema.json), read back with a location for every value, and
// compared with the estimate of the config it was generated from (`planner plan --measured`).
#include <optional>
#include <string>
#include <vector>

namespace planner {

// Where a value sits in the report (1-based; 0 = unknown).
struct ReportPlace {
  int line = 0, column = 0;
};

struct MeasuredPeak {
  std::string device;  // host, gpu0, gpu1...
  std::string source;  // rss, nvidia-smi
  double bytes = 0;
};

struct MeasuredRoute {
  std::string route, runtime, model;
  long long context = 0;
  ReportPlace at_route, at_runtime, at_model, at_context;
  std::optional<double> tokens_per_s;
  std::vector<MeasuredPeak> peaks;
  std::size_t watchdog_actions = 0;
  long long passed = 0, failed = 0, skipped = 0;
  bool stopped_by_budget = false;
};

struct RunReport {
  std::string path;
  std::string finished;
  std::vector<MeasuredRoute> routes;
};

// `text` read from `path`. On a file that does not parse or breaks the schema: nullopt, and
// `error` is one line, "PATH:LINE:COL: message".
std::optional<RunReport> parse_run_report(const std::string& path, std::string text, std::string& error);

}  // namespace planner
