// models: describes what the catalog can: layer patterns, MoE, MLA, linear attention, or a
// config.json. Gemma 3 27B by hand must get its 5:1 sliding/global KV cache, not all-sliding.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "check/check.h"
#include "estimate/analysis.h"

using namespace planner;
namespace fs = std::filesystem;

namespace {

constexpr double GiB = 1024.0 * 1024 * 1024;

// Gemma 3 27B: 62 layers, 16 KV heads of 128, window 1024, 5 local layers to 1 global
// (AI-Hypercomputer/maxtext:src/maxtext/configs/models/gemma3-27b.yml and
// src/maxtext/models/gemma3.py GEMMA3_ATTENTION_PATTERN @e591f30).
const char* kGemma = R"(hardware: {total_ram_gb: 64, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: 4bit, max_context_tokens: 32768}
models:
  gemma-3-27b-by-hand:
    params_b: 27
    layers: 62
    kv_heads: 16
    head_dim: 128
    attention_heads: 32
    sliding_window: 1024
    layer_pattern: {period: 6, full_at: [5]}
  gemma-3-27b-no-pattern:
    params_b: 27
    layers: 62
    kv_heads: 16
    head_dim: 128
    sliding_window: 1024
routing:
  general: {model: gemma-3-27b-by-hand}
  code: {model: gemma-3-27b-by-hand, format: GGUF, quantization: Q4_K_M}
  chat: {model: gemma-3-27b-no-pattern}
)";

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "planner-models-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("models: Gemma 3 27B by hand with its 5:1 pattern gets ~2.9 GiB of KV at 32K") {
  LoadResult loaded = parse_yaml("config.yaml", kGemma);
  REQUIRE(loaded.ok());
  Analysis a = analyze(loaded.doc);
  const RouteAnalysis* mlx = a.route("general");
  REQUIRE(mlx);
  REQUIRE(mlx->memory);
  // 8192 B per token and layer (2 x 16 x 128 x 2 B). 10 global layers hold 32768 cells, 52 local
  // layers the 1024-token window (mlx-lm RotatingKVCache).
  CHECK(mlx->memory->kv_bytes == 8192.0 * (10 * 32768 + 52 * 1024));
  CHECK(mlx->memory->kv_bytes / GiB == Approx(2.906).margin(0.001));
  CHECK(mlx->memory->sliding_layers == 52);
  // llama-server's default 4 slots share one pool: the local layers keep pad(1024 x 4 + 512, 256)
  // = 4608 cells (src/llama-kv-cache-iswa.cpp:73 @de3ff815), one slot would keep 1536.
  const RouteAnalysis* gguf = a.route("code");
  REQUIRE(gguf->memory);
  CHECK(gguf->memory->kv_bytes == 8192.0 * (10 * 32768 + 52 * 4608));
  CHECK(gguf->memory->kv_bytes / GiB == Approx(4.328).margin(0.001));
  // Without layer_pattern every layer slides: the 0.48 GiB the issue found.
  const RouteAnalysis* all = a.route("chat");
  REQUIRE(all->memory);
  CHECK(all->memory->kv_bytes == 8192.0 * 62 * 1024);
  CHECK(all->memory->kv_bytes / GiB == Approx(0.484).margin(0.001));
}

TEST_CASE("models: MoE, MLA and linear attention by hand") {
  // Figures of data/models.yaml's deepseek-coder-v2-lite-instruct and qwen3.5-9b.
  const char* text = R"(hardware: {total_ram_gb: 64, architecture: linux_nvidia}
inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 4096}
models:
  dsv2-lite:
    params_b: 15.71
    active_params_b: 2.4
    layers: 27
    kv_heads: 16
    head_dim: 128
    attention_heads: 16
    moe: {experts: 64, experts_per_token: 6, shared_experts: 2}
    mla: {kv_lora_rank: 512, qk_rope_head_dim: 64, qk_nope_head_dim: 128, v_head_dim: 128}
  q35-9b:
    params_b: 8.95
    layers: 32
    kv_heads: 4
    head_dim: 256
    layer_pattern: {period: 4, full_at: [3], others: linear}
    linear_attention: {key_heads: 16, value_heads: 32, key_head_dim: 128, value_head_dim: 128, conv_kernel: 4}
routing:
  code: {model: dsv2-lite}
  general: {model: q35-9b}
  mlx: {model: dsv2-lite, format: MLX, quantization: 4bit}
)";
  LoadResult loaded = parse_yaml("config.yaml", text);
  REQUIRE(loaded.ok());
  Analysis a = analyze(loaded.doc);
  const ModelInfo& ds = *a.route("code")->route->model;
  REQUIRE(ds.moe);
  CHECK(ds.moe->experts == 64);
  CHECK(ds.moe->experts_per_token == 6);
  CHECK(ds.moe->shared_experts == 2);
  CHECK(ds.is_moe());
  // llama.cpp caches the latent: 27 layers x (512 + 64) values x 2 B per token.
  CHECK(a.route("code")->memory->kv_bytes == 4096.0 * 27 * 576 * 2);
  CHECK(a.route("code")->memory->mla_latent);
  // mlx-lm caches the expanded heads: 16 x (128 + 64 + 128) values per layer.
  CHECK(a.route("mlx")->memory->kv_bytes == 4096.0 * 27 * 16 * 320 * 2);
  // 8 attention layers of 4 x 256 (K and V), 24 Gated DeltaNet layers with a fixed state:
  // 32 x 128 x 128 x 4 B recurrent + 3 x (2 x 16 x 128 + 32 x 128) x 2 B conv = 2.05 MiB each, once
  // per sequence: llama-server's default 4 slots hold 4 (src/llama-model.cpp create_memory, n_seq_max).
  const MemoryEstimate& q = *a.route("general")->memory;
  CHECK(q.kv_bytes == 4096.0 * 8 * 2 * 4 * 256 * 2);
  CHECK(q.linear_layers == 24);
  CHECK(q.state_bytes == 4 * 24.0 * (32.0 * 128 * 128 * 4 + 3.0 * (2 * 16 * 128 + 32 * 128) * 2));
}

TEST_CASE("models: config names a config.json, read relative to the config file") {
  TempDir dir;
  fs::create_directories(dir.path / "gemma");
  // Gemma 3 27B's text config as hf_config reads it (the shapes above; sliding_window_pattern 6,
  // transformers configuration_gemma3.py).
  std::ofstream(dir.path / "gemma" / "config.json")
      << R"({"model_type": "gemma3_text", "num_hidden_layers": 62, "hidden_size": 5376, "num_attention_heads": 32,
             "num_key_value_heads": 16, "head_dim": 128, "sliding_window": 1024, "sliding_window_pattern": 6,
             "max_position_embeddings": 131072, "vocab_size": 262208})";
  const std::string text = R"(hardware: {total_ram_gb: 64, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: 4bit, max_context_tokens: 32768}
models:
  g27: {params_b: 27, config: ./gemma/config.json}
  g27-short: {params_b: 27, config: gemma/config.json, context_trained: 8192}
  missing: {params_b: 7, config: ./nowhere/config.json}
routing:
  general: {model: g27}
  chat: {model: g27-short}
  code: {model: missing}
)";
  const std::string path = (dir.path / "config.yaml").string();
  LoadResult loaded = parse_yaml(path, text);
  REQUIRE(loaded.ok());
  Analysis a = analyze(loaded.doc);
  const RouteAnalysis* g = a.route("general");
  REQUIRE(g->route->model);
  CHECK(g->route->model->layers == 62);
  CHECK(g->route->model->context_trained == 131072);
  REQUIRE(g->memory);
  CHECK(g->memory->kv_bytes == 8192.0 * (10 * 32768 + 52 * 1024));  // the same 2.9 GiB
  CHECK(a.route("chat")->route->model->context_trained == 8192);   // a key here overrides the file
  CHECK(a.route("code")->route->model == nullptr);
  REQUIRE(a.resolution.model_config_errors.size() == 1);

  // The unreadable one is LI042, at the config: value.
  std::ofstream(path) << text;
  FileResult r = check_text(path, text, {});
  int found = 0;
  for (const auto& d : r.diagnostics)
    if (d.code == "LI042") {
      ++found;
      CHECK(d.line == 6);
      CHECK(d.column == 34);
      CHECK(d.message.find("models.missing: cannot read config './nowhere/config.json': ") == 0);
    }
  CHECK(found == 1);
}

TEST_CASE("models: without config, layers, kv_heads and head_dim are required; blocks keep their maxima") {
  const std::string text = R"(hardware: {total_ram_gb: 64, architecture: linux_nvidia}
inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 4096}
models:
  a: {params_b: 7, layers: 28, kv_heads: 4}
  b: {params_b: 7, layers: 28, kv_heads: 4, head_dim: 128, moe: {experts: 70000, experts_per_token: 2}}
  c: {params_b: 7, layers: 28, kv_heads: 4, head_dim: 128, layer_pattern: {period: 2000, full_at: [1]}}
  d: {params_b: 7, layers: 28, kv_heads: 4, head_dim: 128, layer_pattern: {period: 6, full_at: [5, 6]}}
  e: {params_b: 7, layers: 28, kv_heads: 4, head_dim: 128, moe: {experts: 8, experts_per_token: 9}}
routing:
  code: {model: a}
)";
  FileResult r = check_text("config.yaml", text, {});
  std::vector<std::string> messages;
  for (const auto& d : r.diagnostics)
    if (d.code == "LI002") messages.push_back(d.message);
  REQUIRE(messages.size() == 5);
  CHECK(messages[0] == "missing required key 'head_dim' in 'models.a'");
  CHECK(messages[1] == "models.b.moe.experts: 70000 is above the maximum 65536");
  CHECK(messages[2] == "models.c.layer_pattern.period: 2000 is above the maximum 1024");
  // What the schema cannot say: a position past the period, more experts per token than exist.
  CHECK(messages[3] ==
        "models.d.layer_pattern.full_at: position 6 is not below the period 6: positions count from 0 within one "
        "period");
  CHECK(messages[4] == "models.e.moe.experts_per_token: 9 is more than the 8 experts");
}
