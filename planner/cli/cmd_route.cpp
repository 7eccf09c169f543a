// `planner route --workload W`: the seed's resolveModel() done with computed memory: the model
// planner picks for one workload on a machine (given by flags or by a config's hardware:), and
// every other catalog model with the reason it was passed over. Exit 1 when none fits.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "check/check.h"
#include "cli/commands.h"
#include "cli/machine_args.h"
#include "core/text.h"
#include "resolve/config.h"
#include "select/report.h"
#include "select/select.h"

namespace planner::cli {

namespace {
struct RouteArgs {
  MachineArgs machine;
  std::string workload, file, format = "text";
};

// The hardware: and inference: sections of a config file; false (message printed) when unusable.
bool machine_from_file(const std::string& file, Machine& m, SelectOptions& o, bool context_given, bool kv_given) {
  std::string text, error;
  if (!read_config_file(file, text, error)) {
    std::cerr << fmt::format("planner: error: cannot read '{}': {}\n", shown_text(file), shown_text(error));
    return false;
  }
  CheckOptions gate;
  gate.select = {"LI00"};
  FileResult r = check_text(file, std::move(text), gate);
  if (!r.diagnostics.empty() || !r.doc.root.is_map()) {
    std::cerr << fmt::format("planner: error: '{}' does not load or breaks the schema; run planner check\n",
                             shown_text(file));
    return false;
  }
  Config cfg = read_config(r.doc);
  m = machine_from_config(cfg);
  if (m.ram_gib <= 0 || m.architecture.empty()) {
    std::cerr << fmt::format("planner: error: '{}' has no hardware.total_ram_gb or architecture\n", shown_text(file));
    return false;
  }
  if (!context_given && cfg.max_context_tokens) o.context = cfg.max_context_tokens->value;
  if (!kv_given) o.kv_type = cfg.kv_cache_type.value;
  // A config that prefers GGUF wants GGUF everywhere (on a Mac: a cross-platform team's files).
  if (cfg.preferred_format && cfg.preferred_format->value == Format::gguf) o.format = Format::gguf;
  return true;
}

int run_route(const RouteArgs& a, const CLI::App* cmd) {
  if (workload_task(a.workload).empty()) {
    std::cerr << fmt::format("planner: error: unknown workload '{}'; use code, reasoning, general, quick_qa, creative, "
                             "analysis or classification\n",
                             shown_value(a.workload));
    return kExitUsage;
  }
  Machine m;
  SelectOptions o;
  std::string error;
  if (!a.file.empty()) {
    if (a.machine.ram > 0 || !a.machine.arch.empty()) {
      std::cerr << "planner: error: give a config FILE or --ram/--arch, not both\n";
      return kExitUsage;
    }
    o.context = a.machine.context;
    o.kv_type = a.machine.kv_type;
    if (!machine_from_file(a.file, m, o, cmd->get_option("--context")->count() > 0, cmd->get_option("--kv-type")->count() > 0))
      return kExitUsage;
    if (!a.machine.prefer.empty()) {
      SelectOptions forced;
      if (!options_from_args(a.machine, m, forced, error)) {
        std::cerr << "planner: error: " << error << '\n';
        return kExitUsage;
      }
      o.format = forced.format;
    }
  } else if (!machine_from_args(a.machine, m, error) || !options_from_args(a.machine, m, o, error)) {
    std::cerr << "planner: error: " << error << '\n';
    return kExitUsage;
  }
  const SelectContext ctx = make_select_context(m, o);
  const TaskSelection s = select_for_task(ctx, a.workload);
  if (a.format == "json") render_route_json(std::cout, ctx, s);
  else render_route_text(std::cout, ctx, s);
  return s.chosen() ? kExitOk : kExitFindings;
}
}  // namespace

Command add_route(CLI::App& app) {
  auto args = std::make_shared<RouteArgs>();
  auto* cmd = app.add_subcommand("route", "the best catalog model for one workload on a machine, and why the others lost");
  cmd->add_option("--workload", args->workload, "code, reasoning, general, quick_qa, creative, analysis, classification")
      ->required();
  cmd->add_option("file", args->file, "a config whose hardware: (and context) to use instead of --ram/--arch");
  add_machine_options(cmd, args->machine);
  cmd->add_option("--format", args->format, "output format")->check(CLI::IsMember({"text", "json"}));
  return {cmd, [args, cmd] { return run_route(*args, cmd); }};
}

}  // namespace planner::cli
