#include "launch/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/text.h"
#include "launch/ladder.h"
#include "launch/names.h"
#include "launch/quote.h"
#include "launch/sources.h"
#include "launch/steps.h"

namespace planner {

using steps::join_path;
using steps::words;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

constexpr const char* kDefaultLog = "logs/planner.log";

// Why run.sh must not append to `path` ("" when it may): it has to stay inside the config's
// directory tree, and be one line.
std::string log_output_problem(const std::string& path) {
  if (has_control(path)) return "it holds a control character";
  const std::filesystem::path p(path);
  if (p.is_absolute()) return "it is an absolute path, and it must stay inside the config's directory";
  const std::string norm = p.lexically_normal().generic_string();
  if (norm == ".." || norm.rfind("../", 0) == 0) return "it leaves the config's directory";
  if (norm == "." || norm.empty() || norm.back() == '/') return "it names a directory, not a file";
  // NAME_MAX on Linux and macOS: a longer name cannot be created.
  for (const auto& part : p)
    if (part.native().size() > 255) return "a name in it is longer than 255 bytes";
  return "";
}

std::string why_line(const RouteAnalysis& ra) {
  const ResolvedRoute& r = *ra.route;
  std::string model = r.model ? r.model->id : r.cfg->model.value;
  std::string mem = ra.memory ? fmt::format(", {} estimated", gib(ra.memory->total())) : "";
  return fmt::format("{} on {} ({}), {} tokens{}", shown_value(model), r.runtime->name, shown_value(r.quant.label),
                     r.context, mem);
}

}  // namespace

std::string_view to_string(StepKind k) {
  switch (k) {
    case StepKind::wired_limit: return "wired_limit";
    case StepKind::download: return "download";
    case StepKind::locate: return "locate";
    case StepKind::convert: return "convert";
    case StepKind::quantize: return "quantize";
    case StepKind::write: return "write";
    case StepKind::serve: return "serve";
    case StepKind::check: return "check";
    case StepKind::load: return "load";
  }
  return "serve";
}

std::string render_word(const Word& w) {
  if (!w.var.empty()) return fmt::format("\"${}\"", w.var);
  if (!w.env.empty()) return fmt::format("\"${{{}}}\"/{}", w.env, shell_quote(w.text));
  return shell_quote(w.text);
}

std::string render_step(const Step& s) {
  if (s.kind == StepKind::locate)
    return fmt::format("{}=$(find {} -type f -iname {} | LC_ALL=C sort | head -n 1)", s.var, shell_quote(s.dir),
                       shell_quote(s.pattern));
  std::vector<std::string> parts;
  if (s.kind == StepKind::write) {
    parts.push_back("printf '%s\\n'");
    for (const auto& l : s.lines) parts.push_back(shell_quote(l));
    return fmt::format("mkdir -p {} && {} >{}", shell_quote(s.dir), join(parts, " "), shell_quote(s.creates));
  }
  if (!s.environment.empty()) parts.push_back("env");
  for (const auto& [k, v] : s.environment) parts.push_back(shell_quote(k + "=" + v));
  for (const auto& w : s.argv) parts.push_back(render_word(w));
  return join(parts, " ");
}

std::optional<std::pair<long long, Step>> wired_limit_step(const Config& hw, double need, double model_budget_bytes,
                                                          const HardwareTables& tables, std::string_view who) {
  if (!hw.apple_silicon() || !hw.total_ram_gb) return std::nullopt;
  const int major = hw.macos_version ? static_cast<int>(hw.macos_version->value) : 0;
  std::string basis;
  const double dflt = tables.default_wired_limit_bytes(hw.total_ram_gb->value, major, &basis);
  long long mib = 0;
  std::string why;
  if (hw.gpu_wired_limit_gb && hw.gpu_wired_limit_gb->value * kGiB > dflt) {
    mib = static_cast<long long>(std::floor(hw.gpu_wired_limit_gb->value * 1024));
    why = fmt::format("hardware.gpu_wired_limit_gb is {} GiB, above the {} ({})", fixed(hw.gpu_wired_limit_gb->value, 2),
                      gib(dflt), basis);
  } else if (!hw.gpu_wired_limit_gb && need > dflt) {
    // RAM less the OS reserve: the OS keeps what the config reserves for it.
    mib = static_cast<long long>(std::floor(model_budget_bytes / kMiB));
    why = fmt::format("{} up to {} on the GPU, over the {} ({}); {} MiB is RAM less the OS reserve", who, gib(need),
                      gib(dflt), basis, mib);
  }
  if (mib <= 0) return std::nullopt;
  return std::pair{mib, Step{StepKind::wired_limit, words({"sudo", "sysctl", fmt::format("iogpu.wired_limit_mb={}", mib)}),
                             why + "; resets at reboot", launch_source::kSysctl, "", "", "", ""}};
}

LaunchPlan plan_launch(const Analysis& a, const LaunchOptions& opt) {
  LaunchPlan plan;
  const Config& cfg = a.config;
  plan.ram_bytes = a.budget.ram_bytes;
  plan.windows = cfg.architecture && cfg.architecture->value.rfind("windows_", 0) == 0;
  if (cfg.memory_pressure_threshold) plan.pressure_threshold = cfg.memory_pressure_threshold->value;
  if (cfg.action_on_threshold) plan.pressure_action = cfg.action_on_threshold->value;
  // logging.output names a file relative to the config's directory (docs/format.md); run.sh
  // appends to it, so one that leaves that directory (../.bashrc) is not used.
  std::string log = kDefaultLog;
  if (cfg.log_output) {
    if (std::string why = log_output_problem(cfg.log_output->value); why.empty())
      log = cfg.log_output->value;
    else
      plan.log_note = fmt::format("logging.output '{}' is not used: {}; the log goes to {}",
                                  shown_value(cfg.log_output->value), why, kDefaultLog);
  }
  plan.log_file = join_path(opt.base, log);
  std::string parent = std::filesystem::path(plan.log_file).parent_path().string();
  plan.log_dir = parent.empty() ? "." : parent;

  if (cfg.validation_prompts) {
    plan.validation_prompts = join_path(opt.base, cfg.validation_prompts->value);
    // Whole seconds, rounded up; 1e-6 keeps 0.15 minutes (8.999999999999998 s in binary) at 9.
    plan.validation_budget_s = static_cast<long long>(std::ceil(cfg.validation_minutes.value * 60 - 1e-6));
    plan.validation_max_tokens = cfg.validation_max_tokens.value;
  }
  auto validated = [&](const std::string& route) {
    if (!cfg.validation_prompts) return false;
    if (cfg.validation_routes.empty()) return true;
    return std::any_of(cfg.validation_routes.begin(), cfg.validation_routes.end(),
                       [&](const auto& v) { return v.value == route; });
  };

  for (std::size_t i = 0; i < a.routes.size(); ++i) {
    const RouteAnalysis& ra = a.routes[i];
    const ResolvedRoute& r = *ra.route;
    if (!opt.only_route.empty() && r.cfg->name != opt.only_route) continue;
    RouteLaunch rl;
    rl.name = r.cfg->name;
    rl.port = opt.first_port + static_cast<int>(i);
    rl.runtime = r.runtime;
    rl.why = why_line(ra);
    rl.model = r.model ? r.model->id : r.cfg->model.value;
    rl.context = r.context;
    rl.validated = validated(r.cfg->name);
    const std::string dir = path_component(r.cfg->name, "route");
    rl.log = not_an_option((std::filesystem::path(plan.log_dir) / (dir + ".log")).lexically_normal().string());
    if (ra.memory) rl.total_bytes = ra.memory->total();
    LaunchContext c{a, ra, opt, plan, join_path(opt.base, "models/" + dir), static_cast<int>(i)};
    if (!r.file_error.empty()) rl.skipped = "its model file cannot be read: " + shown_text(r.file_error);
    else if (!r.model) rl.skipped = fmt::format("model '{}' is not in the catalog", shown_value(r.cfg->model.value));
    else if (!r.quant.known) rl.skipped = fmt::format("quantization '{}' is unknown", shown_value(r.quant.requested));
    else if (r.file && has_control(r.local ? r.file->path : r.cfg->model.value))
      rl.skipped = fmt::format("its model path '{}' holds a control character",
                               shown_value(r.local ? r.file->path : r.cfg->model.value));
    else if (r.context <= 0) rl.skipped = "no max_context_tokens";
    else if (!r.file && r.model->hf_repo.empty()) rl.skipped = "the model has no Hugging Face repo to download";
    else if (!r.runtime->launch_steps) rl.skipped = fmt::format("planner has no launch steps for {}", r.runtime->name);
    else {
      r.runtime->launch_steps(c, rl);
      if (rl.scripted()) rl.ladders = route_ladders(c, rl);
    }
    plan.routes.push_back(std::move(rl));
  }

  // What keeps running after validation: the resident routes, else the first route. The others
  // are started, validated and stopped one at a time, so they never share memory.
  bool any = false;
  for (auto& rl : plan.routes)
    for (const auto& res : cfg.resident_routes)
      if (rl.skipped.empty() && res.value == rl.name) rl.serve = any = true;
  if (!any)
    for (auto& rl : plan.routes)
      if (rl.skipped.empty()) {
        rl.serve = true;
        break;
      }

  // The wired limit: what one route alone, or the serving set together, keeps on the GPU. A route
  // split over cluster: hosts is not on this machine alone: each host's own limit goes with its
  // commands (launch/cluster_launch.cpp), and with only such routes there is no line here.
  if (cfg.apple_silicon() && cfg.total_ram_gb && a.hardware) {
    double need = 0, together = 0;
    bool local = false;
    for (const auto& rl : plan.routes) {
      if (!rl.skipped.empty() || a.cluster_plan(rl.name)) continue;
      local = true;
      need = std::max(need, rl.total_bytes);
      if (rl.serve) together += rl.total_bytes;
    }
    if (local || a.cluster_plans.empty())
      if (auto step = wired_limit_step(cfg, std::max(need, together), a.budget.model_budget_bytes, *a.hardware,
                                       "the routes need")) {
        plan.wired_limit_mib = step->first;
        plan.wired_limit = std::move(step->second);
      }
  }
  return plan;
}

ServeOrder serve_order(const LaunchPlan& plan) {
  ServeOrder o;
  for (std::size_t i = 0; i < plan.routes.size(); ++i)
    if (plan.routes[i].scripted()) (plan.routes[i].serve ? o.kept : o.validated_then_stopped).push_back(i);
  return o;
}

}  // namespace planner
