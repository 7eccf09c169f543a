// Decode-speed estimate: bandwidth x measured efficiency / bytes read per token.
#include <catch2/catch.hpp>

#include "estimate/speed.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"
#include "support/runtimes.h"

using namespace planner;

TEST_CASE("Dense model on a measured chip: M2 Max, Llama-3.1-8B at MLX 4-bit") {
  const auto& hw = HardwareTables::builtin();
  const ChipInfo* chip = hw.chip("M2 Max");
  REQUIRE(chip != nullptr);
  CHECK(chip->bandwidth_gbs == 400);
  CHECK(chip->eta_q4 == Approx(0.63));  // llama-bench tg128 Q4_0 65.95 t/s x 3.82 GB / 400 GB/s
  const ModelInfo* m = Catalog::builtin().find("llama-3.1-8b-instruct");
  REQUIRE(m != nullptr);
  WeightQuant q = resolve_quant(QuantTables::builtin(), "4bit", Format::mlx);
  MemoryEstimate mem = estimate_memory(*m, q, test::mlx_lm(), 8192, 2.0);
  auto s = estimate_decode_speed(*m, q, mem, *chip, hw);
  REQUIRE(s);
  CHECK(s->efficiency_measured);
  // 0.63 x 400e9 / (8.03e9 x 4.5 / 8) = 55.8 tokens/s before any context (the per-module weights
  // are within 0.1 % of 8.03e9 x 4.5 / 8).
  CHECK(mem.weights_bytes == Approx(m->params_total * 4.5 / 8).epsilon(0.001));
  CHECK(s->tokens_per_second_empty == Approx(0.63 * 400e9 / mem.weights_bytes));
  CHECK(s->tokens_per_second_empty == Approx(55.8).epsilon(0.001));
  // With 8K tokens of f16 KV cache (1 GiB) to read as well, slower.
  CHECK(s->tokens_per_second_full == Approx(0.63 * 400e9 / (mem.weights_bytes + mem.kv_bytes)));
  CHECK(s->tokens_per_second_full < s->tokens_per_second_empty);
}

TEST_CASE("A MoE model reads only its active experts per token") {
  const auto& hw = HardwareTables::builtin();
  const ChipInfo* chip = hw.chip("M4 Max 40");
  REQUIRE(chip != nullptr);
  CHECK(chip->bandwidth_gbs == 546);  // the 40-core bin, not the 32-core one (410)
  const ModelInfo* m = Catalog::builtin().find("qwen3-30b-a3b");
  REQUIRE(m != nullptr);
  WeightQuant q = resolve_quant(QuantTables::builtin(), "4bit", Format::mlx);
  MemoryEstimate mem = estimate_memory(*m, q, test::mlx_lm(), 4096, 2.0);
  auto s = estimate_decode_speed(*m, q, mem, *chip, hw);
  REQUIRE(s);
  CHECK(s->weight_bytes_per_token == Approx(mem.weights_bytes * m->params_active / m->params_total));
  CHECK(s->weight_bytes_per_token < mem.weights_bytes / 5);
}

TEST_CASE("A chip without its own benchmark row uses its class's lowest efficiency") {
  const auto& hw = HardwareTables::builtin();
  const ChipInfo* chip = hw.chip("RTX 4060 Ti 16GB");
  REQUIRE(chip != nullptr);
  const ModelInfo* m = Catalog::builtin().find("qwen2.5-7b-instruct");
  WeightQuant q = resolve_quant(QuantTables::builtin(), "Q4_K_M", Format::gguf);
  MemoryEstimate mem = estimate_memory(*m, q, test::llama_cpp(), 4096, 2.0);
  auto s = estimate_decode_speed(*m, q, mem, *chip, hw);
  REQUIRE(s);
  CHECK_FALSE(s->efficiency_measured);
  CHECK(s->efficiency == Approx(0.62));  // nvidia_consumer eta_min
}
