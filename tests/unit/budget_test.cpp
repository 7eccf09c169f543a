// Budget and macOS wired-limit arithmetic, pinned to the observed values in data/hardware.yaml.
#include <catch2/catch.hpp>

#include "estimate/budget.h"
#include "load/document.h"
#include "resolve/hardware.h"
#include "resolve/quant.h"

using namespace planner;

TEST_CASE("Default wired limit, macOS 15 and earlier: 2/3 below 36 GB (page-rounded), 3/4 above") {
  const auto& hw = HardwareTables::builtin();
  // Observed recommendedMaxWorkingSetSize (hardware.yaml regime_a.observed, bytes).
  CHECK(hw.default_wired_limit_bytes(8, 0, nullptr) == 5726633984.0);
  CHECK(hw.default_wired_limit_bytes(16, 0, nullptr) == 11453251584.0);
  CHECK(hw.default_wired_limit_bytes(32, 0, nullptr) == 22906503168.0);
  CHECK(hw.default_wired_limit_bytes(36, 0, nullptr) == 28991029248.0);
  CHECK(hw.default_wired_limit_bytes(48, 0, nullptr) == 38654705664.0);
  CHECK(hw.default_wired_limit_bytes(128, 0, nullptr) == 103079215104.0);
}

TEST_CASE("Default wired limit, macOS 26: the observed tiers") {
  const auto& hw = HardwareTables::builtin();
  CHECK(hw.default_wired_limit_bytes(16, 26, nullptr) == 12713115648.0);
  CHECK(hw.default_wired_limit_bytes(24, 26, nullptr) == 19069665280.0);
  CHECK(hw.default_wired_limit_bytes(128, 26, nullptr) == 115448725504.0);
}

TEST_CASE("Budget from the seed template: 16 GiB, 22 % OS reserve, 35 % KV reserve") {
  LoadResult r = parse_yaml("t.yaml",
                            "hardware: {total_ram_gb: 16, os_reserve_percent: 22, architecture: apple_silicon}\n"
                            "inference: {kv_cache_reserve_percent: 35}\n");
  REQUIRE(r.ok());
  Budget b = compute_budget(read_config(r.doc), HardwareTables::builtin());
  CHECK(b.ram_bytes == 16 * kGiB);
  CHECK(b.model_budget_bytes == Approx(16 * kGiB * 0.78));   // 12.48 GiB
  CHECK(b.kv_reserve_bytes == Approx(16 * kGiB * 0.78 * 0.35));
  REQUIRE(b.gpu_limit_bytes);
  CHECK(*b.gpu_limit_bytes == 11453251584.0);
  CHECK(b.gpu_limit_is_default);
}

TEST_CASE("A raised wired limit and discrete VRAM replace the default") {
  LoadResult r = parse_yaml("t.yaml", "hardware: {total_ram_gb: 16, architecture: apple_silicon, gpu_wired_limit_gb: 13}\n");
  REQUIRE(r.ok());
  CHECK(*compute_budget(read_config(r.doc), HardwareTables::builtin()).gpu_limit_bytes == 13 * kGiB);
  LoadResult n = parse_yaml("t.yaml", "hardware: {total_ram_gb: 64, architecture: linux_nvidia, chip: RTX 4090}\n");
  REQUIRE(n.ok());
  Budget b = compute_budget(read_config(n.doc), HardwareTables::builtin());
  REQUIRE(b.gpu_limit_bytes);
  CHECK(*b.gpu_limit_bytes == Approx(24564.0 / 1024 * kGiB));  // nvidia-smi memory.total 24564 MiB
  CHECK_FALSE(b.unified_memory);
}

TEST_CASE("Quantization names resolve per runtime") {
  const auto& q = QuantTables::builtin();
  WeightQuant mlx = resolve_quant(q, "Q4_K_M", Format::mlx);
  CHECK(mlx.known);
  CHECK(mlx.mapped);
  CHECK(mlx.mlx_bits == 4);
  CHECK(mlx.bpw == Approx(4.5));  // 4 bits + fp16 scale and bias per 64 weights
  CHECK(resolve_quant(q, "8bit", Format::mlx).bpw == Approx(8.5));
  CHECK(resolve_quant(q, "4bit-g32", Format::mlx).bpw == Approx(5.0));
  CHECK(resolve_quant(q, "F16", Format::mlx).bpw == 16);
  WeightQuant gguf = resolve_quant(q, "q4_k_m", Format::gguf);
  CHECK(gguf.label == "Q4_K_M");
  CHECK(gguf.bits_class == 4);
  CHECK(gguf.bpw > 4.5);  // Q6_K promotions: about 4.89 bits on Llama-3.1-8B
  CHECK(gguf.bpw < 5.0);
  CHECK(resolve_quant(q, "Q3_K_M", Format::gguf).bits_class == 3);
  CHECK(resolve_quant(q, "4bit", Format::gguf).label == "Q4_K_M");
  CHECK_FALSE(resolve_quant(q, "Q4_KM", Format::gguf).known);
  // Every GGUF type's bits per weight is its block geometry (ggml-common.h).
  CHECK(q.type("Q4_K")->bpw() == Approx(4.5));
  CHECK(q.type("Q6_K")->bpw() == Approx(6.5625));
  CHECK(q.type("Q8_0")->bpw() == Approx(8.5));
  CHECK(q.kv_type("q8_0")->bytes_per_element == Approx(34.0 / 32));
}
