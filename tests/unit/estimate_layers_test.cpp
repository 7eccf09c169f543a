// The estimator's cost does not grow with the layer count (issue 10: `layers: 2147483647` in a
// config's models: section took 40 s a route, config.json's num_hidden_layers 32 s): layer kinds
// are counted from the pattern, and the counts equal a layer-by-layer walk with layer_kind().
#include <catch2/catch.hpp>

#include <climits>
#include <random>

#include "estimate/gguf_recipe.h"
#include "estimate/memory.h"
#include "modelfile/limits.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"
#include "support/runtimes.h"

using namespace planner;

namespace {

ModelInfo plain(int layers) {
  ModelInfo m;
  m.family = "user";
  m.layers = layers;
  m.kv_heads = 8;
  m.attention_heads = 32;
  m.head_dim = 128;
  m.hidden_size = 4096;
  m.vocab = 32000;
  m.params_total = m.params_active = 7e9;
  return m;
}

// What kv_cache_bytes and the layer counts were before: one layer_kind() call a layer.
struct Walk {
  long long full = 0, sliding = 0, linear = 0;
};
Walk walk(const ModelInfo& m) {
  Walk w;
  for (int i = 0; i < m.layers; ++i) switch (m.layer_kind(i)) {
      case ModelInfo::LayerKind::full: ++w.full; break;
      case ModelInfo::LayerKind::sliding: ++w.sliding; break;
      case ModelInfo::LayerKind::linear: ++w.linear; break;
    }
  return w;
}

}  // namespace

TEST_CASE("Layer counts from the pattern equal a layer-by-layer walk (random patterns)") {
  std::mt19937 rng(42);
  WeightQuant q;
  q.bpw = 4.5;
  for (int round = 0; round < 3000; ++round) {
    ModelInfo m = plain(static_cast<int>(rng() % 200));
    m.sliding_window = rng() % 3 == 0 ? 0 : 1024;
    m.sliding_window_ignored = rng() % 5 == 0;
    if (rng() % 4 != 0) {
      LayerPattern p;
      p.period = 1 + static_cast<int>(rng() % 12);
      p.others_linear = rng() % 2 == 0;
      // Positions may repeat or fall outside the period (a hand-written catalog entry).
      for (int k = static_cast<int>(rng() % 5); k > 0; --k) p.full_at.push_back(static_cast<int>(rng() % 16) - 2);
      m.pattern = p;
    }
    const Walk w = walk(m);
    const MemoryEstimate e = estimate_memory(m, q, rng() % 2 ? test::llama_cpp() : test::mlx_lm(), 5000, 2.0);
    INFO(round);
    CHECK(e.kv_layers == w.full + w.sliding);
    CHECK(e.sliding_layers == w.sliding);
    CHECK(e.linear_layers == w.linear);
  }
}

TEST_CASE("KV cache bytes equal the per-layer sum, for full, sliding and linear layers") {
  ModelInfo m = plain(42);
  m.sliding_window = 4096;
  m.pattern = LayerPattern{2, {1}, false};  // Gemma-2: 21 sliding + 21 global
  // 21 x 16384 cells + 21 x pad(4096 + 512, 256) = 4608 cells, 2 x 8 x 128 x 2 B per cell.
  CHECK(kv_cache_bytes(m, test::llama_cpp(), 16384, 2.0) == 21.0 * 16384 * 4096 + 21.0 * 4608 * 4096);
  m.pattern = LayerPattern{4, {3}, true};  // Qwen3.5: 1 attention layer in 4
  CHECK(kv_cache_bytes(m, test::llama_cpp(), 16384, 2.0) == 10.0 * 16384 * 4096);  // layers 3, 7, ... 39
}

TEST_CASE("The estimate at INT_MAX layers costs what it costs at 32") {
  // A config's models: section is bounded by the schema (its owner's); the estimator must not
  // depend on that bound to stay fast.
  const ModelInfo m = plain(INT_MAX);
  WeightQuant q;
  q.bpw = 4.5;
  // Its cost is measured in bench/micro (BM_EstimateLayers, flat in the layer count); a
  // layer-by-layer walk (40 s here) hangs past the unit suite's ctest timeout.
  const MemoryEstimate e = estimate_memory(m, q, test::llama_cpp(), 4096, 2.0);
  const long long fits = max_context_for(m, test::llama_cpp(), 64.0 * (1ULL << 30), 2.0, 1 << 20);
  CHECK(e.kv_layers == INT_MAX);
  CHECK(e.kv_bytes == static_cast<double>(INT_MAX) * 4096 * 4096);  // 2 x 8 x 128 x 2 B a cell
  CHECK(fits == 0);  // not even 256 tokens of 2^31 layers fit in 64 GiB
}

TEST_CASE("The per-tensor weight recipe stops at the layer limit") {
  const ModelInfo* base = Catalog::builtin().find("llama-3.1-8b-instruct");
  REQUIRE(base != nullptr);
  ModelInfo m = *base;
  REQUIRE(gguf_recipe_bytes(m, "Q4_K_M", QuantTables::builtin()).has_value());
  m.layers = static_cast<int>(limits::kLayers);
  CHECK(gguf_recipe_bytes(m, "Q4_K_M", QuantTables::builtin()).has_value());  // ~100,000 tensors (BM_RecipeLayers)
  m.layers = static_cast<int>(limits::kLayers) + 1;
  CHECK_FALSE(gguf_tensor_list(m).has_value());
  CHECK_FALSE(gguf_recipe_bytes(m, "Q4_K_M", QuantTables::builtin()).has_value());
  WeightQuant q;
  q.bpw = 4.5;
  q.gguf_recipe = "Q4_K_M";
  CHECK(weight_bytes(m, q) == m.params_total * 4.5 / 8);  // the fallback: parameters x bits per weight
}
