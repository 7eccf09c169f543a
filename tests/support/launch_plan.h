#pragma once
// A launch plan made from YAML text, for launch tests: the analysis points into the document, so
// document, analysis and plan live together.
#include <memory>
#include <string>

#include "estimate/analysis.h"
#include "launch/plan.h"
#include "load/document.h"

struct Planned {
  planner::Document doc;
  planner::Analysis analysis;
  planner::LaunchPlan plan;
};

std::unique_ptr<Planned> plan_of(const std::string& yaml, planner::LaunchOptions opt = {},
                                 const std::string& path = "test.yaml");

// The rendered command line of the route's first step of `kind`, "" when it has none.
std::string line_of(const planner::RouteLaunch& r, planner::StepKind kind);
