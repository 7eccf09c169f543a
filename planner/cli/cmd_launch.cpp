// `planner launch FILE`: per route the commands that download or convert its model and serve it,
// quoted for bash (PowerShell on Windows, or --shell), each group headed by a comment saying why. Refuses (exit 1, the errors printed)
// when `check` finds errors, unless --force: a route that does not fit would still be started.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/launch_input.h"
#include "launch/cluster_launch.h"
#include "launch/render.h"

namespace planner::cli {

namespace {
struct LaunchArgs {
  std::string file, route, format = "text", shell;
  bool force = false;
};

int run_launch(const LaunchArgs& a) {
  FileResult checked;
  if (int rc = gate_for_launch(a.file, a.force, a.route, checked); rc != kExitOk) return rc;
  Analysis analysis = analyze(checked.doc);
  LaunchOptions opt;
  // Paths in a config are relative to its directory; the commands run from here.
  opt.base = std::filesystem::path(a.file).parent_path().string();
  opt.only_route = a.route;
  LaunchPlan plan = plan_launch(analysis, opt);
  // cluster: (docs/cluster.md): each host's commands, after the one-machine ones.
  const std::vector<ClusterLaunch> cluster = plan_cluster_launch(analysis, plan);
  if (a.format == "json") {
    render_launch_json(std::cout, a.file, plan, cluster);
  } else {
    render_launch_text(std::cout, a.file, plan, a.shell.empty() ? default_shell(plan) : shell_named(a.shell));
    if (!cluster.empty()) render_cluster_launch_text(std::cout, cluster);
  }
  std::cout.flush();
  return kExitOk;
}
}  // namespace

Command add_launch(CLI::App& app) {
  auto args = std::make_shared<LaunchArgs>();
  auto* cmd = app.add_subcommand("launch", "per route: the commands to download or convert its model and serve it");
  cmd->add_option("file", args->file, "config file")->required();
  cmd->add_option("--route", args->route, "only this route");
  cmd->add_option("--format", args->format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--shell", args->shell, "bash or powershell (default: powershell for a windows_* architecture)")
      ->check(CLI::IsMember(kShellNames));
  cmd->add_flag("--force", args->force, "make commands even when check finds errors");
  return {cmd, [args] { return run_launch(*args); }};
}

}  // namespace planner::cli
