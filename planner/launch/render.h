#pragma once
// Output of the launch stage: the commands as text or JSON (`planner launch`), or a run script
// (`planner script`), for bash or PowerShell. Every word goes through shell_quote (bash) or
// powershell_quote (launch/quote.h).
#include <ostream>
#include <string>
#include <vector>

#include "launch/cluster_launch.h"
#include "launch/plan.h"

namespace planner {

// The tool versions every emitted flag was read at (also in docs/launch.md).
std::string launch_checked_against();

enum class Shell { bash, powershell };
// What the config's machine runs: PowerShell on windows_*, bash elsewhere.
inline Shell default_shell(const LaunchPlan& plan) { return plan.windows ? Shell::powershell : Shell::bash; }

void render_launch_text(std::ostream& out, const std::string& file, const LaunchPlan& plan, Shell shell = Shell::bash);
// With `cluster`, a "cluster" array: per route its engine and per host its role and steps.
void render_launch_json(std::ostream& out, const std::string& file, const LaunchPlan& plan,
                        const std::vector<ClusterLaunch>& cluster = {});

// A self-contained bash script; paths in `plan` must be relative to the script's directory.
std::string render_run_script(const std::string& file, const LaunchPlan& plan);
// With cluster routes whose commands were made (docs/cluster.md): one script for every host,
// run as `run.sh HOST`; without, the one-machine script above.
std::string render_run_script(const std::string& file, const LaunchPlan& plan, const ClusterConfig& hosts,
                              const std::vector<ClusterLaunch>& cluster);
// The same as a PowerShell script (Windows PowerShell 5.1 and PowerShell 7).
std::string render_run_script_powershell(const std::string& file, const LaunchPlan& plan);

// The comment lines a run script opens route `r` with (bash and PowerShell both comment with '#'):
// the route and why, then why it is left out when it is not scripted.
std::string route_comment(const RouteLaunch& r);

// A step as one PowerShell line, to type or paste (`planner launch` on Windows).
std::string render_step_powershell(const Step& s);
// A word as a PowerShell argument: powershell_quote, `$var` for a located file,
// `(Join-Path $env:DIR 'name')` for a file in a directory the environment names.
std::string render_word_powershell(const Word& w);
// An argv as a PowerShell array literal, `@('a', $script:model, (Join-Path $env:DIR 'b'))`: every
// element an expression, for Invoke-Tool in run.ps1 and its watchdog's ladder rungs.
std::string powershell_argv_array(const std::vector<Word>& argv);

}  // namespace planner
