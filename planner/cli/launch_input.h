#pragma once
// Shared by `planner launch` and `planner script`: a config is launched only when `check` finds
// no errors in it (a route that does not fit would be started anyway), unless --force.
#include <string>
#include <vector>

#include "check/check.h"
#include "estimate/analysis.h"
#include "launch/plan.h"
#include "launch/render.h"

namespace planner::cli {

// Reads and checks `file` into `result`. Returns kExitOk when commands may be made (no errors,
// or --force and the file loaded); otherwise prints why to stderr and returns the exit code.
int gate_for_launch(const std::string& file, bool force, const std::string& route, FileResult& result);

// --shell's values (one of them, checked by the parser).
inline const std::vector<std::string> kShellNames = {"bash", "powershell"};
inline Shell shell_named(const std::string& name) { return name == "powershell" ? Shell::powershell : Shell::bash; }

}  // namespace planner::cli
