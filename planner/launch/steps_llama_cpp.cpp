// llama.cpp's launch steps (runtime/llama_cpp.cpp names them): the prebuilt GGUF, or
// convert_hf_to_gguf.py (+ llama-quantize) from the Hugging Face repo, then llama-server.
#include <fmt/format.h>

#include "core/text.h"
#include "launch/names.h"
#include "launch/quote.h"
#include "launch/sources.h"
#include "launch/steps.h"

namespace planner {

using steps::add_tool;
using steps::lit;
using steps::served_path;
using steps::usable_repo;
using steps::words;

namespace {

constexpr const char* kConvertHf =
    "ggml-org/llama.cpp@bb4caa7540 convert_hf_to_gguf.py:51-170 (MODEL_DIR positional, --outfile, --outtype "
    "f32|f16|bf16|q8_0)";
constexpr const char* kQuantize =
    "ggml-org/llama.cpp@bb4caa7540 tools/quantize/quantize.cpp:123-126 (INPUT OUTPUT TYPE), :34-75 (TYPE names)";
constexpr const char* kLlamaServer =
    "ggml-org/llama.cpp@bb4caa7540 common/arg.cpp:3010 (-m), :1637 (-c), :2764 (-ngl N|all), :1744 (-fa "
    "on|off|auto), :2427 (-ctk), :2440 (-ctv; quantized V needs FA: src/llama-context.cpp:3596-3605), :3289 "
    "(--host), :3296 (--port); GET /health tools/server/server.cpp:227-295";

constexpr const char* kServingFlags =
    "llama.cpp de3ff815 (node-llama-cpp 3.22.1's bundle) common/arg.cpp:1721 (-kvu), :2541 (-np N; unset: 4 "
    "slots with kv_unified, tools/server/server.cpp:157-160), :2756 (--cpu-moe), :2763 (--n-cpu-moe N), :2785 "
    "(-ngl N|auto|all), :2803 (-sm none|layer|row|tensor), :2827 (-ts N0,N1,...), :2854 (-mg INDEX)";

// Recipes llama-quantize refuses without an importance matrix (llama.cpp@bb4caa7540
// src/llama-quant.cpp:785-803); planner does not generate one.
bool needs_imatrix(std::string_view recipe) {
  static const char* const kNames[] = {"IQ1_S", "IQ1_M", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ3_XXS", "Q2_K_S"};
  for (const char* n : kNames)
    if (iequals(recipe, n)) return true;
  return false;
}

// Types convert_hf_to_gguf.py writes itself (`--outtype`, convert_hf_to_gguf.py:60); the rest
// go through llama-quantize.
std::string direct_outtype(std::string_view recipe) {
  for (const char* t : {"f32", "f16", "bf16", "q8_0"})
    if (to_lower(recipe) == t) return t;
  return "";
}

const Artifact* prebuilt_gguf(const ModelInfo& m, const WeightQuant& q) {
  for (const auto& a : m.gguf) {
    if (a.quant.empty() && a.source == "config") return &a;
    if (!a.quant.empty() && iequals(a.quant, q.gguf_recipe)) return &a;
  }
  return nullptr;
}

}  // namespace

void llama_cpp_launch_steps(LaunchContext& c, RouteLaunch& rl) {
  const ResolvedRoute& r = *c.ra.route;
  const Config& cfg = c.a.config;
  Word model;
  const std::string recipe = r.quant.gguf_recipe.empty() ? r.quant.requested : r.quant.gguf_recipe;
  if (r.file) {
    model = lit(served_path(c, r));
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
  } else if (r.quant.published_only) {
    rl.skipped = fmt::format("no prebuilt {} GGUF in the catalog, and llama-quantize cannot make one (Unsloth's "
                             "own per-layer recipe): give the unsloth GGUF repo as models: gguf_repo, or a "
                             "llama-quantize type such as Q4_K_M",
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
                        kConvertHf, f16, "", "", ""});
    add_tool(c.plan, "python3");
    c.plan.needs_llama_cpp_dir = true;
    std::string out = f16;
    if (direct.empty()) {
      out = fmt::format("{}/{}-{}.gguf", c.dir, id, path_component(recipe, "quant"));
      // llama-quantize's own name for the type (MXFP4 files are made as MXFP4_MOE).
      const std::string type = r.quant.size_recipe.empty() ? recipe : r.quant.size_recipe;
      rl.steps.push_back({StepKind::quantize, words({"llama-quantize", f16, out, type}),
                          fmt::format("to {}", shown_value(recipe)), kQuantize, out, "", "", ""});
      add_tool(c.plan, "llama-quantize");
    }
    model = lit(out);
  }
  const Serving& sv = r.serving;
  const std::string kv_k = to_lower(sv.kv_type_k), kv_v = to_lower(sv.kv_type_v);
  auto quantized = [](const std::string& t) { return t != "f16" && t != "f32" && t != "bf16"; };
  const bool v_quantized = quantized(kv_v);
  const bool cpu_only = cfg.architecture && cfg.architecture->value == "cpu";
  // Slots that each hold their own context share -c among them (llama-context: n_ctx_seq =
  // n_ctx / n_seq), so -c is the context times the slots; a unified pool is the context itself.
  const long long c_total = sv.kv_unified ? r.context : r.context * sv.slots;
  std::vector<Word> argv = {lit("llama-server"), lit("-m"), model, lit("-c"), lit(std::to_string(c_total))};
  const bool slots_stated = sv.slots_set || !sv.kv_unified;
  if (slots_stated) {
    argv.push_back(lit("-np"));
    argv.push_back(lit(std::to_string(sv.slots)));
    if (sv.kv_unified) argv.push_back(lit("-kvu"));
  }
  const std::string ngl = cpu_only ? "0" : sv.gpu_layers == kAllLayers ? "all" : std::to_string(sv.gpu_layers);
  argv.push_back(lit("-ngl"));
  argv.push_back(lit(ngl));
  if (sv.cpu_moe_layers == kAllLayers) {
    argv.push_back(lit("--cpu-moe"));
  } else if (sv.cpu_moe_layers > 0) {
    argv.push_back(lit("--n-cpu-moe"));
    argv.push_back(lit(std::to_string(sv.cpu_moe_layers)));
  }
  // The split over several GPUs, as the route states it (LI029 reports what llama.cpp ignores).
  const RouteConfig& rc = *r.cfg;
  std::string split_text;
  if (rc.split_mode) {
    const char* mode = sv.split_mode == SplitMode::row ? "row" : sv.split_mode == SplitMode::none ? "none" : "layer";
    argv.push_back(lit("-sm"));
    argv.push_back(lit(mode));
    split_text += fmt::format(", split mode {}", mode);
  }
  if (rc.tensor_split) {
    std::vector<std::string> parts;
    for (double x : sv.tensor_split) parts.push_back(fmt::format("{:g}", x));
    argv.push_back(lit("-ts"));
    argv.push_back(lit(join(parts, ",")));
    split_text += fmt::format(", the layers split {} over the GPUs", join(parts, ":"));
  }
  if (rc.main_gpu) {
    argv.push_back(lit("-mg"));
    argv.push_back(lit(std::to_string(sv.main_gpu)));
    split_text += fmt::format(", main GPU {}", sv.main_gpu);
  }
  // A quantized V cache needs flash attention: on, unless the config says otherwise (LI028).
  const std::string fa = sv.flash_attention_set ? (sv.flash_attention ? "on" : "off") : v_quantized ? "on" : "auto";
  for (const auto& w : {std::string("-fa"), fa, std::string("-ctk"), kv_k, std::string("-ctv"), kv_v,
                        std::string("--host"), std::string("127.0.0.1"), std::string("--port"),
                        std::to_string(rl.port)})
    argv.push_back(lit(w));
  std::string slots_text;
  if (slots_stated)
    slots_text = sv.kv_unified ? fmt::format(", {} slots sharing them", sv.slots)
                               : fmt::format(" for each of {} slots", sv.slots);
  const std::string kv_text = kv_k == kv_v ? fmt::format("{} KV cache", shown_value(kv_k))
                                           : fmt::format("{} K / {} V cache", shown_value(kv_k), shown_value(kv_v));
  // Several GPUs (hardware.gpus) take the layers together, unless split mode none keeps one.
  const char* gpu = cfg.gpus.size() > 1 && sv.split_mode != SplitMode::none ? "the GPUs" : "the GPU";
  std::string where = cpu_only ? "CPU only" : sv.gpu_layers == kAllLayers ? fmt::format("every layer on {}", gpu)
                                                                          : fmt::format("{} layers on {}", ngl, gpu);
  if (sv.cpu_moe_layers == kAllLayers) where += ", the experts in host memory";
  else if (sv.cpu_moe_layers > 0) where += fmt::format(", the experts of the first {} layers in host memory", sv.cpu_moe_layers);
  where += split_text;
  rl.steps.push_back({StepKind::serve, argv,
                      fmt::format("with llama.cpp: {} tokens of context{}, {}{}, {}", r.context, slots_text, kv_text,
                                  v_quantized && !sv.flash_attention_set
                                      ? " (a quantized V cache needs flash attention: -fa on)"
                                      : "",
                                  where),
                      fmt::format("{}; {}", kLlamaServer, kServingFlags), "", "", "", ""});
  add_tool(c.plan, "llama-server");
}

}  // namespace planner
