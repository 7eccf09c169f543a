// `planner init`: a config for a machine, in the seed template's layout: for each task the
// largest catalog model that fits (format by machine, quantization by the task policy, a context
// that fits), checked with `planner check` before it is written. Stdout (also `-o -`), or -o FILE
// (atomic, never replacing a file without --force; a replaced file keeps its mode, owner, xattrs
// and hard links: core/atomic_write.h).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <algorithm>
#include <cmath>

#include "check/check.h"
#include "cli/commands.h"
#include "cli/init_common.h"
#include "cli/machine_args.h"
#include "core/atomic_write.h"
#include "core/text.h"
#include "detect/detect.h"
#include "render/render.h"
#include "select/init_config.h"
#include "select/select.h"

namespace planner::cli {

bool tasks_valid(const InitArgs& a, std::string& error) {
  for (const auto& t : a.tasks)
    if (workload_task(t).empty()) {
      error = fmt::format("unknown task '{}'; use code, reasoning, general, quick_qa, creative, analysis or classification",
                          shown_value(t));
      return false;
    }
  for (const auto& r : a.resident)
    if (std::find(a.tasks.begin(), a.tasks.end(), r) == a.tasks.end()) {
      error = fmt::format("resident route '{}' is not in --tasks ({})", shown_value(r), join(a.tasks, ","));
      return false;
    }
  return true;
}

bool init_clean(const FileResult& checked) {
  for (const auto& d : checked.diagnostics)
    if (d.severity == Severity::error || (d.severity == Severity::warning && d.code != "LI031")) return false;
  return true;
}

int write_init_config(const InitArgs& a, const std::string& text, std::size_t routes) {
  // What is written must pass check: a failure here is planner's bug, not the user's.
  const bool to_stdout = a.output.empty() || a.output == "-";
  FileResult checked = check_text(to_stdout ? "<init>" : a.output, text);
  int errors = 0, warnings = 0;
  for (const auto& d : checked.diagnostics) {
    errors += d.severity == Severity::error;
    warnings += d.severity == Severity::warning;
  }
  if (errors > 0) {
    std::cerr << "planner: internal error: the generated config fails planner check:\n";
    render_text(std::cerr, {checked}, false);
    return 3;
  }
  if (to_stdout) {
    std::cout << text;
  } else {
    WriteOptions write;
    write.replace = a.force;
    write.force = a.force;
    if (std::string why = atomic_write(a.output, text, write); !why.empty()) {
      std::cerr << fmt::format("planner: error: '{}': {}\n", a.output, why);
      return kExitUsage;
    }
    std::cerr << fmt::format("wrote {} ({} routes; planner check: 0 errors, {} warnings)\n", a.output, routes, warnings);
  }
  return kExitOk;
}

namespace {

int run_init(const InitArgs& a) {
  if (!a.hosts.empty()) return run_init_hosts(a);
  if (!a.link.empty() || !a.engine.empty() || !a.model.empty()) {
    std::cerr << "planner: error: --link, --engine and --model go with --host\n";
    return kExitUsage;
  }
  Machine m;
  std::string error, detected_from;
  if (a.detect) {
    if (a.machine.ram > 0 || !a.machine.arch.empty() || !a.machine.chip.empty() || !a.machine.gpu.empty()) {
      std::cerr << "planner: error: --detect reads the machine; drop --ram/--arch/--chip/--gpu\n";
      return kExitUsage;
    }
    std::error_code ec;
    if (!a.from.empty() && !std::filesystem::is_directory(a.from, ec)) {
      std::cerr << fmt::format("planner: error: --from '{}' is not a directory\n", a.from);
      return kExitUsage;
    }
    detect::Detection d = detect::detect_hardware(a.from.empty() ? detect::machine_reader() : detect::directory_reader(a.from));
    for (const auto& e : d.errors) std::cerr << "planner: error: " << e << '\n';
    if (!d.errors.empty() || d.ram_bytes == 0) {
      std::cerr << "planner: error: the hardware could not be detected; give --ram and --arch instead\n";
      return kExitFindings;
    }
    m = machine_from_detection(d);
    detected_from = a.from.empty() ? "this machine (planner detect)" : "recorded outputs in " + a.from;
  } else if (!a.from.empty()) {
    std::cerr << "planner: error: --from goes with --detect\n";
    return kExitUsage;
  } else if (!machine_from_args(a.machine, m, error)) {
    std::cerr << "planner: error: " << error << '\n';
    return kExitUsage;
  }
  SelectOptions o;
  if (!options_from_args(a.machine, m, o, error)) {
    std::cerr << "planner: error: " << error << '\n';
    return kExitUsage;
  }
  if (!tasks_valid(a, error)) {
    std::cerr << "planner: error: " << error << '\n';
    return kExitUsage;
  }

  const SelectContext ctx = make_select_context(m, o);
  std::vector<TaskSelection> routes;
  for (const auto& t : a.tasks) routes.push_back(select_for_task(ctx, t));
  for (const auto& s : routes)
    if (!s.chosen()) {
      std::cerr << fmt::format("planner: error: no catalog model fits route '{}' on this machine; `planner route "
                               "--workload {}` lists why\n",
                               s.route, s.route);
      return kExitFindings;
    }
  if (!fit_resident(ctx, routes, a.resident, error)) {
    std::cerr << "planner: error: " << error << '\n';
    return kExitFindings;
  }
  const bool several = m.gpus.size() >= 2;
  std::string summary = fmt::format("planner init, for {:g} GB {}{}", m.ram_gib, m.architecture,
                                    m.chip.empty() || several ? "" : " (" + m.chip + ")");
  if (several) summary += fmt::format(" with {} GPUs", m.gpus.size());
  if (m.gpu_vram_gib) summary += fmt::format(" with {:.2f} GiB of VRAM{}", *m.gpu_vram_gib, several ? " together" : "");
  summary += fmt::format(", tasks {}, context {}", join(a.tasks, ","), o.context);
  InitRequest req{summary, a.resident, detected_from};
  const std::string text = render_init_config(ctx, routes, req);

  return write_init_config(a, text, routes.size());
}
}  // namespace

Command add_init(CLI::App& app) {
  auto args = std::make_shared<InitArgs>();
  auto* cmd = app.add_subcommand("init", "write a config for a machine: per task the largest model that fits");
  add_machine_options(cmd, args->machine);
  cmd->add_flag("--detect", args->detect, "read this machine's hardware (see planner detect)");
  cmd->add_option("--from", args->from, "with --detect: recorded outputs in DIR (for tests and bug reports)");
  cmd->add_option("--tasks", args->tasks, "routes to create (default code,reasoning,quick_qa,creative)")->delimiter(',');
  cmd->add_option("--resident", args->resident, "routes that stay loaded together (inference.resident_routes)")->delimiter(',');
  cmd->add_option("-o,--output", args->output, "write FILE instead of stdout (atomic; never replaces a file without --force); - is stdout");
  cmd->add_flag("--force", args->force, "with -o: replace an existing file, even a read-only one");
  cmd->add_option("--host", args->hosts,
                  "a cluster host, repeatable, the first the head: comma-separated name=N, ram=GB, then chip=C, "
                  "gpu=G (gpus=K, vram=GiB) or arch=A; wired_limit=GB, os_reserve=%, address=A (docs/cluster.md)");
  cmd->add_option("--link", args->link, "with --host: cluster.link (thunderbolt-4, thunderbolt-5, rdma, 1gbe, 10gbe, 25gbe, 100gbe)");
  cmd->add_option("--engine", args->engine, "with --host: the engine of every split route (llama.cpp-rpc, mlx-distributed, exo; default: the format's)");
  cmd->add_option("--model", args->model, "with --host: only this catalog model (an id or alias)");
  return {cmd, [args] { return run_init(*args); }};
}

}  // namespace planner::cli
