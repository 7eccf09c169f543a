// `planner models`: the catalog as a table, with the size at common quantizations and the KV
// cache per 1,000 tokens, so a user can pick a model before writing a route.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <utility>
#include <vector>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/models_local.h"
#include "core/json_text.h"
#include "estimate/budget.h"
#include "estimate/memory.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"

namespace planner::cli {

namespace {

struct Sizes {
  double q4_k_m = 0, q8_0 = 0, mlx4 = 0, mlx8 = 0;
  double kv1k_gguf = 0, kv1k_mlx = 0;  // f16 KV cache for 1,000 tokens of context
};

Sizes sizes_of(const ModelInfo& m) {
  const auto& q = QuantTables::builtin();
  Sizes s;
  s.q4_k_m = weight_bytes(m, resolve_quant(q, "Q4_K_M", Format::gguf));
  s.q8_0 = weight_bytes(m, resolve_quant(q, "Q8_0", Format::gguf));
  s.mlx4 = weight_bytes(m, resolve_quant(q, "4bit", Format::mlx));
  s.mlx8 = weight_bytes(m, resolve_quant(q, "8bit", Format::mlx));
  // Unpadded per-token rate (no 256-cell rounding): 1,000 x the cost of one token.
  Runtime llama = *find_runtime("llama.cpp"), mlx = *find_runtime("mlx-lm");
  llama.kv.cell_step = mlx.kv.cell_step = 1;
  s.kv1k_gguf = kv_cache_bytes(m, llama, 1000, 2.0);
  s.kv1k_mlx = kv_cache_bytes(m, mlx, 1000, 2.0);
  return s;
}

// A published conversion whose download holds weights the runtime drops at load (model.yaml
// `not_loaded`: a vision tower, MTP layers): planner sizes what is resident, so the two differ.
struct Apart {
  const Artifact* artifact;
  const char* format;
  double download_bytes, resident_bytes;
};

std::vector<Apart> downloads_apart(const ModelInfo& m) {
  std::vector<Apart> out;
  const auto& q = QuantTables::builtin();
  const std::pair<const std::vector<Artifact>*, Format> lists[] = {{&m.mlx, Format::mlx}, {&m.gguf, Format::gguf}};
  for (const auto& [list, format] : lists)
    for (const auto& a : *list) {
      if (!a.not_loaded) continue;
      const WeightQuant w = resolve_quant(q, a.quant, format);
      if (!w.known) continue;
      out.push_back({&a, format == Format::mlx ? "mlx" : "gguf", a.size_gib * kGiB, weight_bytes(m, w)});
    }
  return out;
}

std::string params(const ModelInfo& m) {
  if (m.is_moe()) return fmt::format("{:.1f}B/{:.1f}B", m.params_total / 1e9, m.params_active / 1e9);
  return fmt::format("{:.1f}B", m.params_total / 1e9);
}

std::string kind(const ModelInfo& m) {
  std::string k;
  if (m.is_moe()) k += "MoE ";
  if (m.mla) k += "MLA ";
  if (m.linear) k += "hybrid ";
  if (m.layer_kind(0) == ModelInfo::LayerKind::sliding || (m.pattern && !m.pattern->others_linear)) k += "SWA ";
  if (!k.empty()) k.pop_back();
  return k.empty() ? "dense" : k;
}

int run(const std::string& format) {
  const auto& catalog = Catalog::builtin();
  if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& m : catalog.models()) {
      Sizes s = sizes_of(m);
      nlohmann::ordered_json mlx = nlohmann::ordered_json::array(), gguf = nlohmann::ordered_json::array();
      for (const auto& a : m.mlx) mlx.push_back(a.repo);
      for (const auto& a : m.gguf) gguf.push_back(a.repo);
      nlohmann::ordered_json apart = nlohmann::ordered_json::array();
      for (const auto& d : downloads_apart(m))
        apart.push_back({{"repo", d.artifact->repo},
                         {"format", d.format},
                         {"quant", d.artifact->quant},
                         {"download_bytes", d.download_bytes},
                         {"resident_bytes", d.resident_bytes},
                         {"not_loaded", d.artifact->size_note}});
      arr.push_back({{"id", m.id},
                     {"hf_repo", m.hf_repo},
                     {"aliases", m.aliases},
                     {"parameters", m.params_total},
                     {"active_parameters", m.params_active},
                     {"layers", m.layers},
                     {"kv_heads", m.kv_heads},
                     {"head_dim", m.head_dim},
                     {"context_trained", m.context_trained},
                     {"architecture", kind(m)},
                     {"weights_bytes",
                      {{"gguf_q4_k_m", s.q4_k_m}, {"gguf_q8_0", s.q8_0}, {"mlx_4bit", s.mlx4}, {"mlx_8bit", s.mlx8}}},
                     {"kv_cache_bytes_per_1k_tokens_f16", {{"llama_cpp", s.kv1k_gguf}, {"mlx_lm", s.kv1k_mlx}}},
                     {"mlx_repos", mlx},
                     {"gguf_repos", gguf},
                     {"downloads_larger_than_resident", apart},
                     {"source", m.source}});
    }
    std::cout << json_text(arr) << '\n';
    return kExitOk;
  }
  std::cout << fmt::format("{:<34} {:>11} {:<10} {:>7} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9}  {}\n", "model",
                           "params", "kind", "ctx", "Q4_K_M", "Q8_0", "MLX 4b", "MLX 8b", "KV/1K", "KV/1K", "MLX");
  std::cout << fmt::format("{:<34} {:>11} {:<10} {:>7} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9}  {}\n", "", "total/act",
                           "", "tokens", "GiB", "GiB", "GiB", "GiB", find_runtime("llama.cpp")->name,
                           find_runtime("mlx-lm")->name, "conversion");
  for (const auto& m : catalog.models()) {
    Sizes s = sizes_of(m);
    std::cout << fmt::format("{:<34} {:>11} {:<10} {:>7} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>6.0f}MiB {:>6.0f}MiB  {}\n",
                             m.id, params(m), kind(m), m.context_trained, s.q4_k_m / kGiB, s.q8_0 / kGiB,
                             s.mlx4 / kGiB, s.mlx8 / kGiB, s.kv1k_gguf / (1024 * 1024), s.kv1k_mlx / (1024 * 1024),
                             m.mlx.empty() ? "-" : "yes");
  }
  bool heading = false;
  for (const auto& m : catalog.models())
    for (const auto& d : downloads_apart(m)) {
      if (!heading) {
        std::cout << "\nDownloads that hold weights the runtime does not load (the sizes above are what is resident):\n";
        std::cout << fmt::format("  {:<44} {:>9} {:>9}  {}\n", "conversion", "download", "resident", "not loaded");
        heading = true;
      }
      // The note's first phrase ("the vision tower"); --format json gives it whole, with its sources.
      std::string what = d.artifact->size_note.substr(0, d.artifact->size_note.find_first_of(":("));
      while (!what.empty() && (what.back() == ' ' || what.back() == ',')) what.pop_back();
      std::cout << fmt::format("  {:<44} {:>5.2f} GiB {:>5.2f} GiB  {}\n", d.artifact->repo + " " + d.artifact->quant,
                               d.download_bytes / kGiB, d.resident_bytes / kGiB, what);
    }
  if (heading) std::cout << "  (--format json gives each reason whole, with its sources)\n";
  std::cout << "\nSizes are weights only, in GiB; KV/1K is the f16 KV cache per 1,000 tokens of context\n"
               "(sliding-window layers stop growing at their window). data/models/ cites every figure.\n";
  return kExitOk;
}

}  // namespace

Command add_models(CLI::App& app) {
  auto format = std::make_shared<std::string>("text");
  auto local = std::make_shared<ModelsLocalArgs>();
  auto is_local = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("models", "list the model catalog with sizes per quantization and KV cache per 1K tokens");
  cmd->add_option("--format", *format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--local", *is_local,
                "list the models already on disk (Hugging Face cache, Ollama, LM Studio) and whether they fit this machine");
  add_machine_options(cmd, local->machine);  // with --local: the machine to fit (default: this one, detected)
  return {cmd, [format, local, is_local, cmd] {
            if (!*is_local) {
              for (const char* o : {"--ram", "--arch", "--chip", "--gpu", "--vram", "--macos", "--wired-limit-gb",
                                    "--prefer", "--context", "--kv-type"})
                if (cmd->get_option(o)->count() > 0) {
                  std::cerr << "planner: error: " << o << " goes with --local (the catalog table has no machine)\n";
                  return kExitUsage;
                }
              return run(*format);
            }
            local->format = *format;
            local->context_given = cmd->get_option("--context")->count() > 0;
            return run_models_local(*local);
          }};
}

}  // namespace planner::cli
