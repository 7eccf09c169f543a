#pragma once
// Output of the launch stage: the commands as text or JSON (`planner launch`), or a bash run
// script (`planner script`). Every word goes through render_word / shell_quote.
#include <ostream>
#include <string>

#include "launch/plan.h"

namespace planner {

// The tool versions every emitted flag was read at (also in docs/launch.md).
std::string launch_checked_against();

void render_launch_text(std::ostream& out, const std::string& file, const LaunchPlan& plan);
void render_launch_json(std::ostream& out, const std::string& file, const LaunchPlan& plan);

// A self-contained bash script; paths in `plan` must be relative to the script's directory.
std::string render_run_script(const std::string& file, const LaunchPlan& plan);

}  // namespace planner
