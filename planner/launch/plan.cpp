#include "launch/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/text.h"
#include "launch/names.h"
#include "launch/quote.h"
#include "launch/sources.h"

namespace planner {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Recipes llama-quantize refuses without an importance matrix (llama.cpp@bb4caa7540
// src/llama-quant.cpp:785-803); planner does not generate one.
bool needs_imatrix(std::string_view recipe) {
  static const char* const kNames[] = {"IQ1_S", "IQ1_M", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ3_XXS", "Q2_K_S"};
  for (const char* n : kNames)
    if (to_lower(recipe) == to_lower(n)) return true;
  return false;
}

// Types convert_hf_to_gguf.py writes itself (`--outtype`, convert_hf_to_gguf.py:60); the rest
// go through llama-quantize.
std::string direct_outtype(std::string_view recipe) {
  for (const char* t : {"f32", "f16", "bf16", "q8_0"})
    if (to_lower(recipe) == t) return t;
  return "";
}

// A path for a command word: relative to the base, never read as an option.
std::string join_path(const std::string& base, const std::string& rel) {
  if (base.empty() || std::filesystem::path(rel).is_absolute()) return not_an_option(rel);
  return not_an_option((std::filesystem::path(base) / rel).lexically_normal().string());
}

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

// A repo id from the catalog or a `models:` entry goes to a command only when the Hub would
// accept it (launch/names.h); otherwise the route is skipped and says why.
bool usable_repo(RouteLaunch& rl, std::string_view key, const std::string& repo) {
  const std::string problem = repo_id_problem(repo);
  if (problem.empty()) return true;
  rl.skipped = fmt::format("{} '{}' is not a Hugging Face repo id: {}", key, shown_value(repo), problem);
  return false;
}

Word lit(std::string s) { return Word{std::move(s), "", ""}; }

std::vector<Word> words(std::initializer_list<std::string> ws) {
  std::vector<Word> out;
  for (const auto& w : ws) out.push_back(lit(w));
  return out;
}

const Artifact* prebuilt_mlx(const ModelInfo& m, const WeightQuant& q, int default_group) {
  for (const auto& a : m.mlx) {
    // mlx-community's "-4bit" repos come from mlx_lm.convert's defaults: group 64
    // (mlx_lm/utils.py:844-852 @d78bf58e21). A user's own repo (bits 0) is taken as declared.
    if (a.bits == 0 && a.source == "config") return &a;
    if (a.bits == q.mlx_bits && q.mlx_group == default_group) return &a;
  }
  return nullptr;
}

const Artifact* prebuilt_gguf(const ModelInfo& m, const WeightQuant& q) {
  for (const auto& a : m.gguf) {
    if (a.quant.empty() && a.source == "config") return &a;
    if (!a.quant.empty() && to_lower(a.quant) == to_lower(q.gguf_recipe)) return &a;
  }
  return nullptr;
}

void add_tool(LaunchPlan& p, const std::string& t) {
  if (std::find(p.tools.begin(), p.tools.end(), t) == p.tools.end()) p.tools.push_back(t);
}

struct RouteContext {
  const Analysis& a;
  const RouteAnalysis& ra;
  const LaunchOptions& opt;
  LaunchPlan& plan;
  std::string dir;  // models/<route>, relative to the base
  int index;
};

void mlx_steps(RouteContext& c, RouteLaunch& rl) {
  const ResolvedRoute& r = *c.ra.route;
  std::string model_dir = c.dir;
  if (r.file) {
    model_dir = join_path(c.opt.base, r.cfg->model.value);
  } else if (const Artifact* art = prebuilt_mlx(*r.model, r.quant, c.a.quant->mlx_default_group())) {
    if (!usable_repo(rl, "mlx_repo", art->repo)) return;
    // Options first, then `--`: the repo id is a positional word hf never reads as an option.
    rl.steps.push_back({StepKind::download, words({"hf", "download", "--local-dir", c.dir, "--", art->repo}),
                        fmt::format("the prebuilt MLX conversion {}", art->repo), launch_source::kHfDownload,
                        "", "", "", ""});
    add_tool(c.plan, "hf");
  } else {
    if (!usable_repo(rl, "hf_repo", r.model->hf_repo)) return;
    std::vector<Word> argv = words({"mlx_lm.convert", "--hf-path", r.model->hf_repo, "--mlx-path", c.dir});
    std::string what;
    if (r.quant.mlx_bits >= 16) {
      argv.push_back(lit("--dtype"));
      argv.push_back(lit("float16"));
      what = "float16";
    } else {
      for (auto w : {std::string("-q"), std::string("--q-bits"), std::to_string(r.quant.mlx_bits),
                     std::string("--q-group-size"), std::to_string(r.quant.mlx_group)})
        argv.push_back(lit(w));
      what = fmt::format("{}-bit, group {}", r.quant.mlx_bits, r.quant.mlx_group);
      if (r.quant.mlx_mode != "affine") {  // mlx_lm.convert --q-mode (convert.py:215)
        argv.push_back(lit("--q-mode"));
        argv.push_back(lit(r.quant.mlx_mode));
        what = fmt::format("{}, group {}", r.quant.mlx_mode, r.quant.mlx_group);
      }
    }
    rl.steps.push_back({StepKind::convert, argv,
                        fmt::format("{} to MLX {} (no prebuilt conversion in the catalog; mlx_lm.convert downloads it)",
                                    r.model->hf_repo, what),
                        launch_source::kMlxConvert, c.dir, "", "", ""});
    add_tool(c.plan, "mlx_lm.convert");
  }
  rl.steps.push_back({StepKind::serve,
                      words({"mlx_lm.server", "--model", model_dir, "--host", "127.0.0.1", "--port",
                             std::to_string(rl.port)}),
                      "with mlx-lm (the context grows on demand: mlx_lm.server has no context flag)",
                      launch_source::kMlxServer, "", "", "", ""});
  add_tool(c.plan, "mlx_lm.server");
}

void gguf_steps(RouteContext& c, RouteLaunch& rl) {
  const ResolvedRoute& r = *c.ra.route;
  const Config& cfg = c.a.config;
  Word model;
  const std::string recipe = r.quant.gguf_recipe.empty() ? r.quant.requested : r.quant.gguf_recipe;
  if (r.file) {
    model = lit(join_path(c.opt.base, r.cfg->model.value));
  } else if (const Artifact* art = prebuilt_gguf(*r.model, r.quant)) {
    if (!usable_repo(rl, "gguf_repo", art->repo)) return;
    std::vector<Word> argv = words({"hf", "download"});
    // File names differ in case between publishers (bartowski: -Q4_K_M, Qwen: -q4_k_m) and hf's
    // --include globs are case-sensitive; one --include per pattern (download.py:50).
    const std::string upper = fmt::format("*{}*.gguf", recipe), lower = to_lower(upper);
    for (const auto& pat : {upper, lower}) {
      argv.push_back(lit("--include"));
      argv.push_back(lit(pat));
      if (upper == lower) break;
    }
    argv.push_back(lit("--local-dir"));
    argv.push_back(lit(c.dir));
    argv.push_back(lit("--"));
    argv.push_back(lit(art->repo));
    rl.steps.push_back({StepKind::download, argv, fmt::format("the prebuilt {} GGUF from {}", shown_value(recipe), art->repo),
                        launch_source::kHfDownload, "", "", "", ""});
    add_tool(c.plan, "hf");
    const std::string var = fmt::format("model_file_{}", c.index);
    // Split GGUFs: llama-server is given the first shard (-00001-of-N) and finds the others.
    rl.steps.push_back({StepKind::locate, {}, "the downloaded file (the first shard when split)", "", "", c.dir,
                        lower, var});
    model = Word{"", "", var};
  } else if (needs_imatrix(recipe)) {
    rl.skipped = fmt::format("{} needs an importance matrix (llama-imatrix), which planner does not generate",
                             shown_value(recipe));
    return;
  } else {
    if (!usable_repo(rl, "hf_repo", r.model->hf_repo)) return;
    const std::string hf_dir = c.dir + "/hf";
    // File names from the model's name (a `models:` key is free text) stay inside the route's dir.
    const std::string id = path_component(r.model->id, "model");
    rl.steps.push_back({StepKind::download, words({"hf", "download", "--local-dir", hf_dir, "--", r.model->hf_repo}),
                        fmt::format("{}, to convert (no prebuilt {} GGUF in the catalog)", r.model->hf_repo,
                                    shown_value(recipe)),
                        launch_source::kHfDownload, "", "", "", ""});
    add_tool(c.plan, "hf");
    const std::string direct = direct_outtype(recipe);
    const std::string f16 = fmt::format("{}/{}-{}.gguf", c.dir, id, direct.empty() ? "f16" : direct);
    std::vector<Word> conv = {lit("python3"), Word{"convert_hf_to_gguf.py", "LLAMA_CPP_DIR", ""}, lit(hf_dir),
                              lit("--outfile"), lit(f16), lit("--outtype"), lit(direct.empty() ? "f16" : direct)};
    rl.steps.push_back({StepKind::convert, conv,
                        direct.empty() ? "to a 16-bit GGUF (K-quants are made by llama-quantize)"
                                       : fmt::format("straight to {}", direct),
                        launch_source::kConvertHf, f16, "", "", ""});
    add_tool(c.plan, "python3");
    c.plan.needs_llama_cpp_dir = true;
    std::string out = f16;
    if (direct.empty()) {
      out = fmt::format("{}/{}-{}.gguf", c.dir, id, path_component(recipe, "quant"));
      rl.steps.push_back({StepKind::quantize, words({"llama-quantize", f16, out, recipe}),
                          fmt::format("to {}", shown_value(recipe)), launch_source::kQuantize, out, "", "", ""});
      add_tool(c.plan, "llama-quantize");
    }
    model = lit(out);
  }
  const std::string kv = to_lower(r.kv_type);
  const bool kv_quantized = kv != "f16" && kv != "f32" && kv != "bf16";
  const bool cpu_only = cfg.architecture && cfg.architecture->value == "cpu";
  std::vector<Word> argv = {lit("llama-server"), lit("-m"), model, lit("-c"), lit(std::to_string(r.context)),
                            lit("-ngl"), lit(cpu_only ? "0" : "all"), lit("-fa"), lit(kv_quantized ? "on" : "auto"),
                            lit("-ctk"), lit(kv), lit("-ctv"), lit(kv), lit("--host"), lit("127.0.0.1"),
                            lit("--port"), lit(std::to_string(rl.port))};
  rl.steps.push_back({StepKind::serve, argv,
                      fmt::format("with llama.cpp: {} tokens of context, {} KV cache{}, {}", r.context, shown_value(kv),
                                  kv_quantized ? " (a quantized V cache needs flash attention: -fa on)" : "",
                                  cpu_only ? "CPU only" : "every layer on the GPU"),
                      launch_source::kLlamaServer, "", "", "", ""});
  add_tool(c.plan, "llama-server");
}

std::string why_line(const RouteAnalysis& ra) {
  const ResolvedRoute& r = *ra.route;
  std::string model = r.model ? r.model->id : r.cfg->model.value;
  std::string runtime = r.format == Format::mlx ? "mlx-lm" : "llama.cpp";
  std::string mem = ra.memory ? fmt::format(", {} estimated", gib(ra.memory->total())) : "";
  return fmt::format("{} on {} ({}), {} tokens{}", shown_value(model), runtime, shown_value(r.quant.label), r.context,
                     mem);
}

}  // namespace

std::string_view to_string(StepKind k) {
  switch (k) {
    case StepKind::wired_limit: return "wired_limit";
    case StepKind::download: return "download";
    case StepKind::locate: return "locate";
    case StepKind::convert: return "convert";
    case StepKind::quantize: return "quantize";
    case StepKind::serve: return "serve";
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
  for (const auto& w : s.argv) parts.push_back(render_word(w));
  return join(parts, " ");
}

LaunchPlan plan_launch(const Analysis& a, const LaunchOptions& opt) {
  LaunchPlan plan;
  const Config& cfg = a.config;
  plan.ram_bytes = a.budget.ram_bytes;
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

  for (std::size_t i = 0; i < a.routes.size(); ++i) {
    const RouteAnalysis& ra = a.routes[i];
    const ResolvedRoute& r = *ra.route;
    if (!opt.only_route.empty() && r.cfg->name != opt.only_route) continue;
    RouteLaunch rl;
    rl.name = r.cfg->name;
    rl.port = opt.first_port + static_cast<int>(i);
    rl.format = r.format;
    rl.why = why_line(ra);
    const std::string dir = path_component(r.cfg->name, "route");
    rl.log = not_an_option((std::filesystem::path(plan.log_dir) / (dir + ".log")).lexically_normal().string());
    if (ra.memory) rl.total_bytes = ra.memory->total();
    RouteContext c{a, ra, opt, plan, join_path(opt.base, "models/" + dir), static_cast<int>(i)};
    if (!r.file_error.empty()) rl.skipped = "its model file cannot be read: " + shown_text(r.file_error);
    else if (!r.model) rl.skipped = fmt::format("model '{}' is not in the catalog", shown_value(r.cfg->model.value));
    else if (!r.quant.known) rl.skipped = fmt::format("quantization '{}' is unknown", shown_value(r.quant.requested));
    else if (r.file && has_control(r.cfg->model.value))
      rl.skipped = fmt::format("its model path '{}' holds a control character", shown_value(r.cfg->model.value));
    else if (r.context <= 0) rl.skipped = "no max_context_tokens";
    else if (!r.file && r.model->hf_repo.empty()) rl.skipped = "the model has no Hugging Face repo to download";
    else if (r.format == Format::mlx) mlx_steps(c, rl);
    else gguf_steps(c, rl);
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

  // The wired limit: what one route alone, or the serving set together, keeps on the GPU.
  if (cfg.apple_silicon() && cfg.total_ram_gb && a.hardware) {
    double need = 0, together = 0;
    for (const auto& rl : plan.routes) {
      if (!rl.skipped.empty()) continue;
      need = std::max(need, rl.total_bytes);
      if (rl.serve) together += rl.total_bytes;
    }
    need = std::max(need, together);
    const int major = cfg.macos_version ? static_cast<int>(cfg.macos_version->value) : 0;
    std::string basis;
    const double dflt = a.hardware->default_wired_limit_bytes(cfg.total_ram_gb->value, major, &basis);
    std::string why;
    if (cfg.gpu_wired_limit_gb && cfg.gpu_wired_limit_gb->value * kGiB > dflt) {
      plan.wired_limit_mib = static_cast<long long>(std::floor(cfg.gpu_wired_limit_gb->value * 1024));
      why = fmt::format("hardware.gpu_wired_limit_gb is {} GiB, above the {} ({})",
                        fixed(cfg.gpu_wired_limit_gb->value, 2), gib(dflt), basis);
    } else if (!cfg.gpu_wired_limit_gb && need > dflt) {
      // RAM less the OS reserve: the OS keeps what the config reserves for it.
      plan.wired_limit_mib = static_cast<long long>(std::floor(a.budget.model_budget_bytes / kMiB));
      why = fmt::format("the routes need up to {} on the GPU, over the {} ({}); {} MiB is RAM less the OS reserve",
                        gib(need), gib(dflt), basis, plan.wired_limit_mib);
    }
    if (plan.wired_limit_mib > 0)
      plan.wired_limit = Step{StepKind::wired_limit,
                              words({"sudo", "sysctl", fmt::format("iogpu.wired_limit_mb={}", plan.wired_limit_mib)}),
                              why + "; resets at reboot", launch_source::kSysctl, "", "", "", ""};
  }
  return plan;
}

}  // namespace planner
