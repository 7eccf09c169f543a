#include "support/launch_plan.h"

#include <catch2/catch.hpp>

using namespace planner;

std::unique_ptr<Planned> plan_of(const std::string& yaml, LaunchOptions opt, const std::string& path) {
  auto p = std::make_unique<Planned>();
  LoadResult r = parse_yaml(path, yaml);
  REQUIRE(r.ok());
  p->doc = std::move(r.doc);
  p->analysis = analyze(p->doc);
  p->plan = plan_launch(p->analysis, opt);
  return p;
}

std::string line_of(const RouteLaunch& r, StepKind kind) {
  for (const auto& s : r.steps)
    if (s.kind == kind) return render_step(s);
  return "";
}
