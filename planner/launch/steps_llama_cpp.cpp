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

const Artifact* prebuilt_gguf(const ModelInfo& m, const WeightQuant& q) {
  for (const auto& a : m.gguf) {
    if (a.quant.empty() && a.source == "config") return &a;
    if (!a.quant.empty() && to_lower(a.quant) == to_lower(q.gguf_recipe)) return &a;
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
                      kLlamaServer, "", "", "", ""});
  add_tool(c.plan, "llama-server");
}

}  // namespace planner
