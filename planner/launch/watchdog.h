#pragma once
// The run scripts' memory-pressure watchdog (monitoring.*): its helpers, and each kept route's
// ladder (launch/ladder.h) as the script walks it. launch/render_script.cpp and
// render_script_powershell.cpp place these; what the watchdog does is stated here once.
#include <string>

#include "launch/plan.h"

namespace planner {

// Which ladder the config's action walks: "context" (truncate_context), "model"
// (downgrade_model), or "" (unload_model, notify: none).
std::string ladder_kind(const LaunchPlan& plan);

// bash: the settings (PLANNER_COOLDOWN, ...), the helpers (pressure, hysteresis, actions), and
// route i's ladder and bookkeeping.
std::string watchdog_settings_bash();
std::string watchdog_helpers_bash();
std::string watchdog_route_bash(const LaunchPlan& plan, std::size_t i);
// The same for PowerShell (run.ps1).
std::string watchdog_settings_powershell();
std::string watchdog_helpers_powershell();
std::string watchdog_route_powershell(const LaunchPlan& plan, std::size_t i);

}  // namespace planner
