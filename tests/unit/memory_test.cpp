// Memory math pinned to figures computed by hand from published config.json values
// (data/models/ cites each). Hand computations are written out beside each assertion.
#include <catch2/catch.hpp>

#include "estimate/memory.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"
#include "support/runtimes.h"

using namespace planner;

namespace {
const ModelInfo& model(const char* id) {
  const ModelInfo* m = Catalog::builtin().find(id);
  REQUIRE(m != nullptr);
  return *m;
}
constexpr double KiB = 1024.0;
}  // namespace

TEST_CASE("KV cache of a plain GQA model: Llama-3.1-8B") {
  // 32 layers x 8 KV heads x 128 head dim x 2 (K,V) x 2 B (f16) = 131072 B = 128 KiB per token.
  const auto& m = model("llama-3.1-8b-instruct");
  CHECK(kv_cache_bytes(m, test::mlx_lm(), 8192, 2.0) == Approx(128 * KiB * 8192));
  // llama.cpp pads the context to 256 cells: 8000 tokens -> 8192 cells.
  CHECK(kv_cache_bytes(m, test::llama_cpp(), 8000, 2.0) == Approx(128 * KiB * 8192));
  // q8_0: 34 bytes per 32 values.
  CHECK(kv_cache_bytes(m, test::llama_cpp(), 4096, 34.0 / 32) == Approx(32.0 * 8 * 128 * 2 * 4096 * 34 / 32));
}

TEST_CASE("KV cache without GQA: Phi-3-mini-4k keeps every token (window ignored by both runtimes)") {
  // 32 layers x 32 KV heads x 96 x 2 x 2 B = 393216 B = 384 KiB per token.
  const auto& m = model("phi3-mini-3.8b");
  CHECK(kv_cache_bytes(m, test::mlx_lm(), 4096, 2.0) == Approx(384 * KiB * 4096));
}

TEST_CASE("Sliding-window layers are capped where the runtime caps them: Gemma-2-9B") {
  // 42 layers, 8 KV heads x 256 x 2 x 2 B = 8 KiB per layer per token; 21 global + 21 sliding (4096).
  const auto& m = model("gemma-2-9b-it");
  const double per_layer = 8 * 256 * 2 * 2.0;
  // mlx-lm: gemma2.py keeps a plain cache on every layer, so all 42 layers hold 8192.
  CHECK(kv_cache_bytes(m, test::mlx_lm(), 8192, 2.0) == Approx(42 * per_layer * 8192));
  // llama.cpp: sliding layers hold pad(4096 + 512 ubatch, 256) = 4608 cells.
  CHECK(kv_cache_bytes(m, test::llama_cpp(), 8192, 2.0) == Approx(21 * per_layer * 8192 + 21 * per_layer * 4608));
  // Below the window nothing is capped.
  CHECK(kv_cache_bytes(m, test::llama_cpp(), 2048, 2.0) == Approx(42 * per_layer * 2048));
}

TEST_CASE("Hybrid Qwen3.5-9B: only the 8 full-attention layers grow a KV cache") {
  // Full attention at i % 4 == 3 -> 8 of 32 layers; 4 KV heads x 256 x 2 x 2 B = 4 KiB per layer.
  const auto& m = model("qwen3.5-9b");
  CHECK(kv_cache_bytes(m, test::mlx_lm(), 8192, 2.0) == Approx(8 * 4 * KiB * 8192));
  const WeightQuant q = resolve_quant(QuantTables::builtin(), "Q4_K_M", Format::mlx);
  const MemoryEstimate e = estimate_memory(m, q, test::mlx_lm(), 8192, 2.0);
  CHECK(e.kv_layers == 8);
  CHECK(e.linear_layers == 24);
  // Fixed state per linear layer: 32 value heads x 128 x 128 x 4 B (fp32) = 2 MiB recurrent,
  // plus conv (4 - 1) x (2 x 16 x 128 + 32 x 128) x 2 B = 49152 B.
  CHECK(e.state_bytes == Approx(24 * (2.0 * 1024 * 1024 + 49152)));
}

TEST_CASE("MLA: llama.cpp caches the latent, mlx-lm the expanded heads (DeepSeek-Coder-V2-Lite)") {
  const auto& m = model("deepseek-v2-lite");
  // llama.cpp: (kv_lora_rank 512 + rope 64) x 2 B x 27 layers = 31104 B per token.
  CHECK(kv_cache_bytes(m, test::llama_cpp(), 4096, 2.0) == Approx(576.0 * 2 * 27 * 4096));
  // mlx-lm: 16 heads x (128 + 64 + 128) x 2 B x 27 layers = 276480 B = 270 KiB per token.
  CHECK(kv_cache_bytes(m, test::mlx_lm(), 4096, 2.0) == Approx(270 * KiB * 4096));
}

TEST_CASE("Weights count every expert of a MoE model") {
  // DeepSeek-Coder-V2-Lite: 15.71e9 params x 4.5 bits (MLX 4-bit, group 64) / 8 = 8.837e9 B; the
  // per-module sum (estimate/mlx_recipe.cpp) adds the bf16 router and norms: within 0.1 %.
  const auto& m = model("deepseek-v2-lite");
  const WeightQuant q = resolve_quant(QuantTables::builtin(), "Q4_K_M", Format::mlx);
  CHECK(q.bpw == Approx(4.5));
  CHECK(weight_bytes(m, q) == Approx(m.params_total * 4.5 / 8).epsilon(0.001));
  CHECK(m.params_total > 15e9);
  CHECK(m.params_active < 3e9);
}

TEST_CASE("Largest context that fits a KV budget") {
  const auto& m = model("llama-3.1-8b-instruct");
  // 1 GiB of f16 KV at 128 KiB per token = 8192 tokens exactly.
  CHECK(max_context_for(m, test::mlx_lm(), 1024.0 * 1024 * 1024, 2.0, 131072) == 8192);
  // One byte less no longer holds the last 256-token step.
  CHECK(max_context_for(m, test::mlx_lm(), 1024.0 * 1024 * 1024 - 1, 2.0, 131072) == 8192 - 256);
  CHECK(max_context_for(m, test::mlx_lm(), 1000, 2.0, 131072) == 0);
}

TEST_CASE("mlx-lm caps sliding layers at exactly the window: gpt-oss-20b") {
  // 24 layers alternate sliding (128) and full; 8 KV heads x 64 x 2 x 2 B = 2 KiB per layer per token.
  const auto& m = model("gpt-oss-20b");
  const double per_layer = 8 * 64 * 2 * 2.0;
  CHECK(kv_cache_bytes(m, test::mlx_lm(), 4096, 2.0) == Approx(12 * per_layer * 4096 + 12 * per_layer * 128));
  // llama.cpp keeps pad(128 + 512, 256) = 768 cells on the sliding layers.
  CHECK(kv_cache_bytes(m, test::llama_cpp(), 4096, 2.0) == Approx(12 * per_layer * 4096 + 12 * per_layer * 768));
}
