#pragma once
// The watchdog's ladders (monitoring.action_on_threshold): for a scripted route, the smaller
// contexts (truncate_context) and the smaller models (downgrade_model) that planner's estimate
// says fit this config's machine, largest first (RouteLadders, launch/plan.h). Computed when the
// script is generated, through the route's own launch steps and the estimate; run scripts only
// walk them.
#include "launch/steps.h"

namespace planner {

// The smallest context a ladder offers: planner's default context (resolve/routes.h), below
// which select/ also calls a context too short to be useful.
long long ladder_floor_context();

// Both ladders of the route `c` describes; `rl` is its launch as planned (port, serve step).
RouteLadders route_ladders(const LaunchContext& c, const RouteLaunch& rl);

}  // namespace planner
