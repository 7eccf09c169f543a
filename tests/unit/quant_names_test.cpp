// Quantization names as published (fp16, q4_k_m, MXFP4, UD-Q4_K_XL, MLX mxfp4 / bf16) and the
// sizes they give; gpt-oss sized with its experts at MXFP4, as every published file keeps them.
#include <catch2/catch.hpp>

#include "estimate/gguf_recipe.h"
#include "estimate/memory.h"
#include "estimate/mlx_recipe.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"

using namespace planner;

namespace {

constexpr double GiB = 1024.0 * 1024 * 1024;

const ModelInfo& model(const char* id) {
  const ModelInfo* m = Catalog::builtin().find(id);
  REQUIRE(m != nullptr);
  return *m;
}

WeightQuant gguf(const char* name) { return resolve_quant(QuantTables::builtin(), name, Format::gguf); }
WeightQuant mlx(const char* name) { return resolve_quant(QuantTables::builtin(), name, Format::mlx); }

// openai/gpt-oss-120b: mlx-lm's gpt_oss.py ModelArgs defaults are the 120b's (36 layers, 128
// experts, 4 per token; ml-explore/mlx-lm:mlx_lm/models/gpt_oss.py@d78bf58e21, and
// ../shared/docs/models.md: "gpt_oss/torch/model.py defaults (36 layers, 128 experts) are the
// 120b's"); the other shapes are the 20b's, which share them.
ModelInfo gpt_oss_120b() {
  ModelInfo m = model("gpt-oss-20b");
  m.id = "gpt-oss-120b";
  m.layers = 36;
  m.moe->experts = 128;
  return m;
}

}  // namespace

TEST_CASE("Quantization names: llama-quantize types in any case, fp16, MXFP4") {
  CHECK(gguf("q4_k_m").label == "Q4_K_M");
  CHECK(gguf("q4_k_m").gguf_recipe == "Q4_K_M");
  for (const char* n : {"fp16", "f16", "F16", "float16"}) {
    INFO(n);
    CHECK(gguf(n).known);
    CHECK(gguf(n).label == "F16");
    CHECK_FALSE(gguf(n).mapped);
  }
  for (const char* n : {"bf16", "BF16", "bfloat16"}) CHECK(gguf(n).label == "BF16");
  // llama-quantize's aliases (quantize.cpp): Q4_K is Q4_K_M.
  CHECK(gguf("Q4_K").label == "Q4_K_M");
  // The gpt-oss files are named MXFP4 (bartowski) / mxfp4 (ggml-org): the recipe is MXFP4_MOE,
  // the download pattern keeps the files' spelling.
  const WeightQuant mx = gguf("mxfp4");
  CHECK(mx.known);
  CHECK(mx.label == "MXFP4_MOE");
  CHECK(mx.gguf_recipe == "MXFP4");
  CHECK(mx.size_recipe == "MXFP4_MOE");
  CHECK(mx.bits_class == 4);
  // Every IQ type of ggml-common.h has a recipe (data/quantization.yaml cites the block sizes).
  for (const char* n : {"IQ1_S", "IQ1_M", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ2_M", "IQ3_XXS", "IQ3_XS", "IQ3_S", "IQ3_M",
                        "IQ4_NL", "IQ4_XS", "iq4_xs"}) {
    INFO(n);
    CHECK(gguf(n).known);
  }
  CHECK(QuantTables::builtin().type("IQ2_XXS")->bpw() == 2.0625);  // 66 bytes per 256 weights
  CHECK(QuantTables::builtin().type("MXFP4")->bpw() == 4.25);      // 17 bytes per 32 weights
  CHECK_FALSE(gguf("Q4_KM").known);
}

TEST_CASE("Unsloth dynamic quants are known, kept as written, and sized as an estimate") {
  const WeightQuant ud = gguf("UD-Q4_K_XL");
  REQUIRE(ud.known);
  CHECK(ud.label == "UD-Q4_K_XL");
  CHECK(ud.gguf_recipe == "UD-Q4_K_XL");  // the file the launch plan downloads, not a Q4_K_M
  CHECK(ud.size_recipe == "Q4_K_M");
  CHECK(ud.size_factor == 1.020);
  CHECK(ud.bits_class == 4);
  CHECK(ud.estimate_note ==
        "Unsloth dynamic mix, its per-layer types not published: sized as Q4_K_M x 1.020, the median size ratio of "
        "23 published unsloth repos (range 0.930-1.074); an estimate");
  CHECK(gguf("ud-q4_k_xl").label == "UD-Q4_K_XL");
  CHECK(gguf("UD-IQ1_S").size_recipe == "Q2_K");
  CHECK(gguf("UD-IQ1_S").bits_class == 1);
  CHECK(gguf("UD-Q8_K_XL").size_factor == 1.168);
  // A computed recipe carries no estimate note.
  CHECK(gguf("Q4_K_M").estimate_note.empty());

  // Sized as the simulated Q4_K_M times the published ratio.
  const ModelInfo& llama = model("llama-3.1-8b-instruct");
  CHECK(weight_bytes(llama, ud) == *gguf_recipe_bytes(llama, "Q4_K_M", QuantTables::builtin()) * 1.020);
  // Llama-3.1-8B Q4_K_M is 4.58 GiB (tools/quantize/README.md), so UD-Q4_K_XL ~4.67.
  CHECK(weight_bytes(llama, ud) / GiB == Approx(4.67).margin(0.005));
  // On an MLX route a UD name maps as its sized-as recipe does: 4-bit.
  CHECK(mlx("UD-Q4_K_XL").mlx_bits == 4);
  CHECK(mlx("UD-Q4_K_XL").mapped);
}

TEST_CASE("MLX names: bit widths, the mxfp4 / nvfp4 / mxfp8 modes, bf16") {
  CHECK(mlx("6bit").bpw == 6.5);
  const WeightQuant m4 = mlx("mxfp4");
  REQUIRE(m4.known);
  CHECK_FALSE(m4.mapped);  // MLX's own mode name, not a GGUF name
  CHECK(m4.mlx_mode == "mxfp4");
  CHECK(m4.mlx_bits == 4);
  CHECK(m4.mlx_group == 32);
  CHECK(m4.bpw == 4.25);  // one 8-bit scale per 32 weights
  CHECK(m4.label == "MLX mxfp4, group 32");
  CHECK(mlx("nvfp4").mlx_group == 16);
  CHECK(mlx("mxfp8").bpw == 8.25);
  for (const char* n : {"bf16", "fp16", "mlx-bf16"}) {
    INFO(n);
    CHECK(mlx(n).mlx_bits == 16);
    CHECK(mlx(n).bpw == 16);
    CHECK_FALSE(mlx(n).mapped);
  }
  // The GGUF spelling MXFP4 on an MLX route is MLX's mxfp4 mode (data gguf_to_mlx).
  CHECK(mlx("MXFP4").mlx_mode == "mxfp4");
  CHECK(mlx("MXFP4").mapped);
  // mxfp4 on a GGUF route is the MXFP4_MOE recipe.
  CHECK(gguf("mxfp4").label == "MXFP4_MOE");
}

TEST_CASE("gpt-oss GGUF: the experts stay MXFP4 whatever the recipe") {
  const auto& q = QuantTables::builtin();
  const ModelInfo& m = model("gpt-oss-20b");
  auto t = gguf_recipe_tensors(m, "Q4_K_M", q);
  REQUIRE(t.has_value());
  int experts = 0;
  for (const auto& x : *t) {
    if (x.name.find("_exps.weight") != std::string::npos) {
      ++experts;
      CHECK(x.type == "MXFP4");
    }
    // 2880-wide rows are not whole 256-blocks: K-quants fall back (llama-quant.cpp tensor_type_fallback).
    if (x.name == "blk.0.attn_q.weight") CHECK(x.type == "Q5_0");
    if (x.name == "output.weight") CHECK(x.type == "Q8_0");
    if (x.name == "blk.0.attn_output.weight") CHECK(x.type == "Q4_K");  // 4096-wide rows
    if (x.name == "blk.0.attn_sinks.weight") CHECK(x.type == "F32");
    if (x.name == "blk.0.ffn_gate_exps.bias") CHECK(x.type == "F32");
  }
  CHECK(experts == 3 * 24);
  // Every parameter of the model is listed: 20.91B (data/models.yaml, calc).
  double params = 0;
  for (const auto& x : *t) params += static_cast<double>(x.elements());
  CHECK(params / 1e9 == Approx(20.91).margin(0.005));

  // Published files (GiB = 2^30 B): bartowski/openai_gpt-oss-20b-GGUF Q4_K_M 10.9 GiB and
  // unsloth/gpt-oss-20b-GGUF Q4_K_M 10.8 GiB (janhq/model-catalog@5410b10); bartowski MXFP4
  // 12.1 GB = 11.27 GiB and Q6_K 12.04 GB = 11.21 GiB (its README). All within 2 %.
  const double q4 = weight_bytes(m, gguf("Q4_K_M")) / GiB;
  const double mxfp4 = weight_bytes(m, gguf("MXFP4")) / GiB;
  const double q6 = weight_bytes(m, gguf("Q6_K")) / GiB;
  const double q8 = weight_bytes(m, gguf("Q8_0")) / GiB;
  CHECK(q4 == Approx(10.9).epsilon(0.02));
  CHECK(mxfp4 == Approx(12.1e9 / GiB).epsilon(0.02));
  CHECK(q6 == Approx(12.04e9 / GiB).epsilon(0.02));
  // Q8_0 is about as large as MXFP4 (the experts dominate), not params x 8.5 bits (20.69 GiB).
  CHECK(q8 < 12.0);
  CHECK(q8 > q4);

  // gpt-oss-120b: ggml-org MXFP4 59.02 GiB, unsloth F16 (experts still MXFP4) 60.87 GiB
  // (llama-bench listings, community.frame.work/t/.../73280/26).
  const ModelInfo big = gpt_oss_120b();
  CHECK(weight_bytes(big, gguf("MXFP4")) / GiB == Approx(59.02).epsilon(0.02));
  CHECK(weight_bytes(big, gguf("F16")) / GiB == Approx(60.87).epsilon(0.02));
}

TEST_CASE("gpt-oss MLX: the released MXFP4 experts stay MXFP4, the rest takes the bits") {
  const ModelInfo& m = model("gpt-oss-20b");
  // mlx-community/gpt-oss-20b-MXFP4-Q8 is 12,025,908,224 B (exo-explore/exo model card @b5375f8).
  const double q8 = *mlx_weight_bytes(m, 8, 64);
  CHECK(q8 == Approx(12'025'908'224.0).epsilon(0.02));
  // The experts cost 4.25 bits whatever the bits asked: 4-bit saves only on the rest.
  const double q4 = *mlx_weight_bytes(m, 4, 64);
  const double experts = 3.0 * 24 * 32 * 2880 * 2880;
  CHECK(q8 - q4 == Approx((m.params_total - experts - 24.0 * 2880 * 32) * 4 / 8).epsilon(0.01));
}

