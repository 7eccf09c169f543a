// `planner init --host ... --host ...`: a config for several machines. Candidates are ranked as
// init ranks them for one machine, on the hosts' budgets added up (select/cluster_context.cpp);
// each, largest first, is written into a config and checked, on the head alone and then split
// over the hosts by its engine (the cluster estimate, LI070-LI073): the first that `check`
// passes is kept. A route the head holds alone stays off cluster.routes (LI072 would say so).
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/host_args.h"
#include "cli/init_common.h"
#include "core/text.h"
#include "select/init_config.h"
#include "select/select.h"

namespace planner::cli {

namespace {

// The first finding that keeps a config from being written, as "message [code]".
std::string refusal(const FileResult& checked) {
  for (const auto& d : checked.diagnostics)
    if (d.severity == Severity::error || (d.severity == Severity::warning && d.code != "LI031"))
      return fmt::format("{} [{}]", d.message, d.code);
  return "";
}

std::string machine_label(const Machine& m) {
  std::string s = fmt::format("{:g} GB {}", m.ram_gib, m.architecture);
  if (!m.chip.empty()) s += fmt::format(" ({}{})", m.gpus.size() >= 2 ? fmt::format("{} x ", m.gpus.size()) : "", m.chip);
  return s;
}

// The format every route takes: the engine's, else GGUF when a host is no Mac (llama.cpp RPC is
// the engine that runs on both), else --prefer's or the machine's. False with `error`.
bool cluster_format(const std::vector<InitHost>& hosts, const std::optional<ClusterEngine>& engine, SelectOptions& o,
                    std::string& error) {
  const InitHost* other = nullptr;
  for (const auto& h : hosts)
    if (!h.machine.apple() && !other) other = &h;
  if (engine && (*engine == ClusterEngine::mlx_distributed || *engine == ClusterEngine::exo)) {
    if (other) {
      error = fmt::format("--engine {} runs MLX on Macs: host '{}' is {}", engine_id(*engine), other->name,
                          other->machine.architecture);
      return false;
    }
    if (o.format && *o.format != Format::mlx) {
      error = fmt::format("--engine {} serves MLX models: drop --prefer GGUF", engine_id(*engine));
      return false;
    }
    o.format = Format::mlx;
  } else if (engine || other) {
    if (o.format && *o.format == Format::mlx) {
      error = engine ? "--engine llama.cpp-rpc serves GGUF files: drop --prefer MLX"
                     : fmt::format("--prefer MLX: host '{}' is {}, and mlx-lm runs on Macs only", other->name,
                                   other->machine.architecture);
      return false;
    }
    o.format = Format::gguf;
  }
  return true;
}

struct Placed {
  TaskSelection selection;  // the kept candidate first
  std::string engine;       // "" : on the head alone
  std::string why;
};

}  // namespace

int run_init_hosts(const InitArgs& a) {
  const MachineArgs& ma = a.machine;
  if (a.detect || !a.from.empty() || ma.ram > 0 || !ma.arch.empty() || !ma.chip.empty() || !ma.gpu.empty() ||
      ma.vram > 0 || ma.wired_limit_gb > 0 || ma.macos > 0 || !a.resident.empty()) {
    std::cerr << "planner: error: --host gives each machine: drop --detect/--from/--ram/--arch/--chip/--gpu/--vram/"
                 "--wired-limit-gb/--macos/--resident\n";
    return kExitUsage;
  }
  InitCluster cluster;
  std::string error;
  std::optional<ClusterEngine> engine;
  if (!hosts_from_args(a.hosts, cluster.hosts, error) || !link_from_arg(a.link, error) ||
      !engine_from_arg(a.engine, engine, error) || !tasks_valid(a, error)) {
    std::cerr << "planner: error: " << error << '\n';
    return kExitUsage;
  }
  cluster.link = a.link;
  const Machine& head = cluster.hosts.front().machine;
  SelectOptions o;
  if (!options_from_args(ma, head, o, error) || !cluster_format(cluster.hosts, engine, o, error)) {
    std::cerr << "planner: error: " << error << '\n';
    return kExitUsage;
  }
  const ModelInfo* only = nullptr;
  if (!a.model.empty() && !(only = Catalog::builtin().find(a.model))) {
    std::cerr << fmt::format("planner: error: --model '{}' is not in the catalog (planner models lists it)\n",
                             shown_value(a.model));
    return kExitUsage;
  }

  std::vector<Machine> machines;
  for (const auto& h : cluster.hosts) machines.push_back(h.machine);
  const SelectContext together = make_cluster_select_context(machines, o);
  const SelectContext on_head = make_select_context(head, o);
  std::vector<std::string> labels;
  for (const auto& h : cluster.hosts) labels.push_back(h.name + ": " + machine_label(h.machine));
  InitRequest req{fmt::format("planner init, for {} hosts ({}){}, tasks {}, context {}", cluster.hosts.size(),
                              join(labels, "; "), a.link.empty() ? "" : " over " + a.link, join(a.tasks, ","), o.context),
                  {}, ""};

  std::vector<Placed> placed;
  for (const auto& task : a.tasks) {
    const TaskSelection s = select_for_task(together, task);
    // The same task on the head alone: a model it holds (at its own quantization and context)
    // stays there, as LI072 advises, rather than being split.
    const TaskSelection alone = select_for_task(on_head, task);
    std::optional<Placed> kept;
    std::string first_refusal;
    for (const Candidate& c : s.candidates) {
      if (only && c.model != only) continue;
      if (!c.viable) {
        // Not even the hosts together hold it: select's own reasons.
        if (first_refusal.empty() && only) first_refusal = fmt::format("{}: {}", c.model->id, join(c.reasons, "; "));
        continue;
      }
      std::vector<std::string> refused;
      for (const Candidate& h : alone.candidates) {
        if (h.model != c.model || !h.viable) continue;
        TaskSelection trial{s.route, s.task, s.policy, {h}};
        const FileResult checked = check_text("<init>", render_init_config(on_head, {trial}, req));
        if (init_clean(checked)) kept = Placed{trial, "", ""};
        else refused.push_back(fmt::format("at {} on host '{}' alone: {}", h.quant_name, cluster.hosts.front().name,
                                           refusal(checked)));
      }
      if (kept) break;
      // Split over the hosts by its engine.
      TaskSelection trial{s.route, s.task, s.policy, {c}};
      InitCluster one = cluster;
      const std::string id = engine ? engine_id(*engine) : c.format == Format::mlx ? "mlx-distributed" : "llama.cpp-rpc";
      one.routes = {{s.route, id,
                     fmt::format("{} on one machine, more than a host holds; planner plan shows each host's share",
                                 gib(c.memory->total()))}};
      InitRequest split = req;
      split.cluster = &one;
      const FileResult checked = check_text("<init>", render_init_config(on_head, {trial}, split));
      if (init_clean(checked)) {
        kept = Placed{trial, id, one.routes.front().why};
        break;
      }
      refused.push_back(fmt::format("at {} over the {} hosts ({}): {}", c.quant_name, cluster.hosts.size(), id,
                                    refusal(checked)));
      if (first_refusal.empty()) first_refusal = c.model->id + " " + join(refused, "; ");
    }
    if (!kept) {
      std::cerr << fmt::format("planner: error: no catalog model{} fits route '{}' on these hosts{}\n",
                               only ? " '" + only->id + "'" : std::string(), s.route,
                               first_refusal.empty() ? fmt::format(" (the {} model budget they have together)",
                                                                   gib(together.budget.model_budget_bytes))
                                                     : "; the largest candidate, " + first_refusal);
      return kExitFindings;
    }
    placed.push_back(std::move(*kept));
  }

  std::vector<TaskSelection> routes;
  for (auto& p : placed) {
    if (!p.engine.empty()) cluster.routes.push_back({p.selection.route, p.engine, p.why});
    routes.push_back(std::move(p.selection));
  }
  if (cluster.routes.empty())
    std::cerr << fmt::format("planner: note: one host would do: '{}' holds every route alone (LI072 would warn on a "
                             "split), so the config has no cluster: section\n",
                             cluster.hosts.front().name);
  req.cluster = &cluster;
  return write_init_config(a, render_init_config(on_head, routes, req), routes.size());
}

}  // namespace planner::cli
