// `planner script FILE -o run.sh`: the launch commands as a bash (or PowerShell: run.ps1) script teammates run as is
// (preflight, download/convert, servers, validation, watchdog, clean shutdown). The file is
// written atomically (core/atomic_write.h) with mode 0777 less the umask (0755 usually); `-o -`
// prints it. Same gate as `launch`: no script for a config with errors unless --force, and
// --force is also what replaces an existing file (which keeps its mode and gains an execute bit
// for each read bit). The config itself is never the output, --force or not.
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/launch_input.h"
#include "core/atomic_write.h"
#include "core/errno_text.h"
#include "launch/cluster_launch.h"
#include "launch/render.h"

namespace planner::cli {

namespace {
struct ScriptArgs {
  std::string file, out, route, shell;
  bool force = false;
  bool allow_downloads = false;
};

// Whether `out` names the file `config` (any path to it: ./c.yaml, a symlink, a hard link).
bool is_same_file(const std::string& out, const std::string& config) {
  struct stat o {}, c {};
  return ::stat(out.c_str(), &o) == 0 && ::stat(config.c_str(), &c) == 0 && o.st_dev == c.st_dev && o.st_ino == c.st_ino;
}

// --shell, else the output's extension (.ps1 / .sh), else the config's machine.
Shell script_shell(const ScriptArgs& a, const LaunchPlan& plan) {
  if (!a.shell.empty()) return shell_named(a.shell);
  const std::string ext = std::filesystem::path(a.out).extension().string();
  if (ext == ".ps1") return Shell::powershell;
  if (ext == ".sh") return Shell::bash;
  return default_shell(plan);
}

int run_script(const ScriptArgs& a) {
  const bool to_stdout = a.out == "-";
  if (!to_stdout && is_same_file(a.out, a.file)) {
    std::cerr << fmt::format("planner: error: cannot write '{}': it is the config '{}' itself; choose another file\n",
                             a.out, a.file);
    return kExitUsage;
  }
  FileResult checked;
  if (int rc = gate_for_launch(a.file, a.force, a.route, checked); rc != kExitOk) return rc;
  namespace fs = std::filesystem;
  std::error_code ec;
  // Printed, the script runs where it is piped to bash: its `cd "$(dirname "")"` stays here.
  fs::path out_dir = to_stdout ? fs::current_path(ec) : fs::absolute(fs::path(a.out), ec).parent_path();
  fs::path cfg_dir = fs::absolute(fs::path(a.file), ec).parent_path();
  if (ec) {
    std::cerr << fmt::format("planner: error: {}: {}\n", a.out, error_text(ec));
    return kExitUsage;
  }
  // The script cds to its own directory; the config's paths are relative to the config's.
  fs::path base = cfg_dir.lexically_normal().lexically_relative(out_dir.lexically_normal());
  Analysis analysis = analyze(checked.doc);
  LaunchOptions opt;
  opt.base = base == "." ? "" : base.string();
  opt.only_route = a.route;
  opt.allow_downloads = a.allow_downloads;
  LaunchPlan plan = plan_launch(analysis, opt);
  if (!plan.log_note.empty()) std::cerr << "planner: warning: " << plan.log_note << '\n';
  // cluster: (docs/cluster.md): one bash script for every host, run with the host's name.
  const std::vector<ClusterLaunch> cluster = plan_cluster_launch(analysis, plan);
  const bool powershell = script_shell(a, plan) == Shell::powershell;
  const bool per_host = std::any_of(cluster.begin(), cluster.end(), [](const ClusterLaunch& cl) { return cl.skipped.empty(); });
  if (powershell && per_host)
    std::cerr << "planner: warning: the PowerShell script runs the one-machine commands; the cluster's per-host "
                 "commands are in the bash script (--shell bash)\n";
  const std::string script = powershell ? render_run_script_powershell(a.file, plan)
                                        : render_run_script(a.file, plan, analysis.cluster, cluster);
  if (to_stdout) {
    std::cout << script << std::flush;
    return std::cout ? kExitOk : kExitUsage;
  }
  WriteOptions write;
  write.new_file_mode = 0777;  // less the umask: 0755 usually
  write.replace = a.force;
  write.force = a.force;
  write.add_exec = true;
  if (std::string why = atomic_write(a.out, script, write); !why.empty()) {
    std::cerr << fmt::format("planner: error: cannot write '{}': {}\n", a.out, why);
    return kExitUsage;
  }
  std::cerr << fmt::format("planner: wrote {}\n", a.out);
  return kExitOk;
}
}  // namespace

Command add_script(CLI::App& app) {
  auto args = std::make_shared<ScriptArgs>();
  auto* cmd = app.add_subcommand("script",
                                 "write a run script (bash, or PowerShell for Windows): preflight, download, serve, "
                                 "validate, watchdog");
  cmd->add_option("file", args->file, "config file")->required();
  cmd->add_option("-o,--output", args->out, "the script to write (mode 0777 less the umask; never replaced without --force); - prints it")
      ->required();
  cmd->add_option("--route", args->route, "only this route");
  cmd->add_option("--shell", args->shell,
                  "bash or powershell (default: by the output's extension .sh / .ps1, else powershell for a "
                  "windows_* architecture)")
      ->check(CLI::IsMember(kShellNames));
  cmd->add_flag("--allow-downloads", args->allow_downloads,
                "let the watchdog's downgrade_model download or convert a smaller model (without it, a rung that "
                "needs one is logged and skipped)");
  cmd->add_flag("--force", args->force, "write a script even when check finds errors, and replace an existing file");
  return {cmd, [args] { return run_script(*args); }};
}

}  // namespace planner::cli
