// The per-tensor recipe simulation (estimate/gguf_recipe.cpp, mlx_recipe.cpp) and llama.cpp's
// compute buffer with and without flash attention (estimate/memory.cpp), pinned to the tensor
// lists of the measured files (bench/accuracy/logs/*.tensors.tsv), to llama.cpp's logs
// (tests/data/llama-cpp-ground-truth.json) and to figures computed by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "estimate/gguf_recipe.h"
#include "estimate/memory.h"
#include "estimate/mlx_recipe.h"
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

struct TsvRow {
  std::string shape, type;
  double bytes = 0;
};

// name -> row, in file order (bench/accuracy/make_gguf.py wrote them).
std::vector<std::pair<std::string, TsvRow>> read_tsv(const std::string& id) {
  std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/bench/accuracy/logs/" + id + ".q4_k_m.tensors.tsv");
  REQUIRE(in);
  std::vector<std::pair<std::string, TsvRow>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream s(line);
    std::string name;
    TsvRow r;
    std::getline(s, name, '\t');
    std::getline(s, r.shape, '\t');
    std::getline(s, r.type, '\t');
    s >> r.bytes;
    rows.emplace_back(name, r);
  }
  return rows;
}

std::string shape_of(const RecipeTensor& t) {
  std::string out;
  for (size_t i = 0; i < t.ne.size(); ++i) out += (i ? "x" : "") + std::to_string(t.ne[i]);
  return out;
}

bool use_more_bits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

}  // namespace

TEST_CASE("Q4_K_M tensor list and types equal the measured files, tensor by tensor", "[recipe]") {
  const auto& q = QuantTables::builtin();
  for (const char* id : {"llama-3.1-8b-instruct", "qwen2.5-7b-instruct", "gemma-2-9b-it", "phi-3-mini-4k-instruct",
                         "qwen3-30b-a3b"}) {
    const auto rows = read_tsv(id);
    const auto typed = gguf_recipe_tensors(model(id), "Q4_K_M", q);
    REQUIRE(typed.has_value());
    std::map<std::string, const RecipeTensor*> by_name;
    for (const auto& t : *typed) by_name[t.name] = &t;
    CHECK(typed->size() == rows.size());
    for (const auto& [name, row] : rows) {
      INFO(id << ": " << name);
      auto it = by_name.find(name);
      REQUIRE(it != by_name.end());
      const RecipeTensor& t = *it->second;
      CHECK(shape_of(t) == row.shape);
      if (name.find("attn_qkv.weight") != std::string::npos) {
        // make_gguf.py gave Phi-3's fused qkv the older Q5_K rule; llama.cpp 0ad4a86 files it under
        // attn_v (category_is_attn_v), so use_more_bits layers get Q6_K and the rest Q4_K.
        CHECK(row.type == "Q5_K");
        const int layer = std::stoi(name.substr(4));
        CHECK(t.type == (use_more_bits(layer, 32) ? "Q6_K" : "Q4_K"));
      } else {
        CHECK(t.type == row.type);
        CHECK(t.bytes == row.bytes);
      }
    }
  }
}

TEST_CASE("Recipe details: tied embeddings, 8-expert MoE, 70B attn_v, row-length fallback", "[recipe]") {
  const auto& q = QuantTables::builtin();
  auto type_of = [&](const char* id, const char* recipe, const std::string& name) {
    auto list = gguf_recipe_tensors(model(id), recipe, q);
    REQUIRE(list.has_value());
    for (const auto& t : *list)
      if (t.name == name) return t.type;
    return std::string("missing");
  };
  // Tied embeddings: token_embd takes output's Q6_K (Llama-3.2-3B); untied it keeps the base.
  CHECK(type_of("llama-3.2-3b-instruct", "Q4_K_M", "token_embd.weight") == "Q6_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q4_K_M", "token_embd.weight") == "Q4_K");
  // Mixtral (8 experts): attn_v and attn_k Q8_0, attn_output Q5_K.
  CHECK(type_of("mixtral-8x7b", "Q4_K_M", "blk.5.attn_v.weight") == "Q8_0");
  CHECK(type_of("mixtral-8x7b", "Q4_K_M", "blk.5.attn_k.weight") == "Q8_0");
  CHECK(type_of("mixtral-8x7b", "Q4_K_M", "blk.5.attn_output.weight") == "Q5_K");
  // Llama-3.1-70B is LLM_TYPE_70B: a Q4_K attn_v becomes Q5_K. Layer 11 of 80 is not a
  // use_more_bits layer (11 >= 80/8 and (11 - 10) % 3 = 1), so it would be Q4_K otherwise.
  CHECK(type_of("llama-3.1-70b-instruct", "Q4_K_M", "blk.11.attn_v.weight") == "Q5_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q4_K_M", "blk.11.attn_v.weight") == "Q4_K");
  // Qwen2.5-72B's FFN width 29568 is not a multiple of 256: ffn_down falls back Q4_K -> Q5_0 and
  // Q6_K -> Q8_0 (layer 0 is use_more_bits).
  CHECK(type_of("qwen2.5-72b-instruct", "Q4_K_M", "blk.11.ffn_down.weight") == "Q5_0");
  CHECK(type_of("qwen2.5-72b-instruct", "Q4_K_M", "blk.0.ffn_down.weight") == "Q8_0");
  // Other recipes: Q4_K_S gives Q5_K to the first 4 attn_v and the first n/8 ffn_down.
  CHECK(type_of("llama-3.1-8b-instruct", "Q4_K_S", "blk.3.attn_v.weight") == "Q5_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q4_K_S", "blk.4.attn_v.weight") == "Q4_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q4_K_S", "blk.3.ffn_down.weight") == "Q5_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q4_K_S", "blk.4.ffn_down.weight") == "Q4_K");
  // Q3_K_M: first 2 attn_v Q5_K, ffn_down Q5_K below n/16 then Q4_K, attn_output Q4_K.
  CHECK(type_of("llama-3.1-8b-instruct", "Q3_K_M", "blk.1.attn_v.weight") == "Q5_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q3_K_M", "blk.2.attn_v.weight") == "Q4_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q3_K_M", "blk.1.ffn_down.weight") == "Q5_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q3_K_M", "blk.2.ffn_down.weight") == "Q4_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q3_K_M", "blk.2.attn_output.weight") == "Q4_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q3_K_M", "blk.2.attn_q.weight") == "Q3_K");
  // Q2_K: attn_v Q4_K when n_head / n_kv >= 4 (Llama 32/8), ffn_down Q3_K, attn_output Q3_K.
  CHECK(type_of("llama-3.1-8b-instruct", "Q2_K", "blk.2.attn_v.weight") == "Q4_K");
  CHECK(type_of("llama-3.1-8b-instruct", "Q2_K", "blk.2.ffn_down.weight") == "Q3_K");
  // Q8_0 keeps output Q8_0; norms stay F32 in every recipe.
  CHECK(type_of("llama-3.1-8b-instruct", "Q8_0", "output.weight") == "Q8_0");
  CHECK(type_of("llama-3.1-8b-instruct", "Q8_0", "blk.0.attn_norm.weight") == "F32");
  // Recipes not simulated and layouts not known fall back (nullopt).
  CHECK_FALSE(gguf_recipe_tensors(model("llama-3.1-8b-instruct"), "IQ4_XS", q).has_value());
  CHECK_FALSE(gguf_recipe_tensors(model("glm-5"), "Q4_K_M", q).has_value());  // glm_moe_dsa: not laid out
}

TEST_CASE("Qwen3.5 hybrid: Gated DeltaNet and gated attention layers tensor by tensor", "[recipe]") {
  // llama.cpp src/models/qwen35.cpp@06e514f6 load_arch_tensors, for Qwen3.5-9B's config.json:
  // 32 layers, full attention at i % 4 == 3, 16 key / 32 value heads of 128, conv kernel 4.
  const auto& q = QuantTables::builtin();
  const auto& m = model("qwen3.5-9b");
  const auto t = gguf_recipe_tensors(m, "Q4_K_M", q);
  REQUIRE(t.has_value());
  std::map<std::string, RecipeTensor> by_name;
  for (const auto& x : *t) by_name[x.name] = x;
  // A linear layer: qkv {4096, 2 x 2048 + 4096}, the z gate {4096, 4096}, the conv {4, 8192} in F32.
  CHECK(by_name.at("blk.0.attn_qkv.weight").ne == std::vector<int64_t>{4096, 8192});
  CHECK(by_name.at("blk.0.attn_gate.weight").ne == std::vector<int64_t>{4096, 4096});
  CHECK(by_name.at("blk.0.ssm_conv1d.weight").ne == std::vector<int64_t>{4, 8192});
  CHECK(by_name.at("blk.0.ssm_conv1d.weight").type == "F32");
  CHECK(by_name.at("blk.0.ssm_beta.weight").ne == std::vector<int64_t>{4096, 32});
  CHECK(by_name.at("blk.0.ssm_out.weight").ne == std::vector<int64_t>{4096, 4096});
  CHECK(by_name.count("blk.0.attn_q.weight") == 0);
  // A full-attention layer: q and its output gate, 16 heads x 256 x 2; 4 KV heads x 256.
  CHECK(by_name.at("blk.3.attn_q.weight").ne == std::vector<int64_t>{4096, 8192});
  CHECK(by_name.at("blk.3.attn_k.weight").ne == std::vector<int64_t>{4096, 1024});
  CHECK(by_name.count("blk.3.attn_qkv.weight") == 0);
  CHECK(by_name.count("blk.3.post_attention_norm.weight") == 1);
  CHECK(by_name.count("blk.3.ffn_norm.weight") == 0);
  // attn_qkv is attn_v-like: 24 of them and 8 attn_v share the Q4_K_M use_more_bits count
  // (n = 32: the first 4, the last 4 and every third between take Q6_K).
  CHECK(by_name.at("blk.0.attn_qkv.weight").type == "Q6_K");
  CHECK(by_name.at("blk.4.attn_qkv.weight").type == "Q4_K");
  // unsloth/Qwen3.5-9B-GGUF Q4_K_M: 5.3 GiB (janhq/model-catalog@fbcab78).
  constexpr double GiB = 1024.0 * 1024 * 1024;
  CHECK(*gguf_recipe_bytes(m, "Q4_K_M", q) / GiB == Approx(5.3).epsilon(0.02));
  // mlx-community/Qwen3.5-9B-4bit: 5,950,062,560 B with its 0.456e9-parameter bf16 vision tower
  // (exo card @b5375f8); the language model alone is what mlx-lm keeps.
  CHECK(*mlx_weight_bytes(m, 4, 64) + m.vision_params * 2 == Approx(5'950'062'560.0).epsilon(0.005));
}

TEST_CASE("Recipe sizes against published whole-file figures", "[recipe]") {
  const auto& q = QuantTables::builtin();
  const auto& llama = model("llama-3.1-8b-instruct");
  // tools/quantize/README.md (data/quantization.yaml quantize_readme): Llama-3.1-8B Q4_K_M
  // 4.58 GiB, Q8_0 7.95 GiB, Q6_K 6.14 GiB, Q5_K_M 5.33 GiB (two decimals).
  constexpr double GiB = 1024.0 * 1024 * 1024;
  CHECK(*gguf_recipe_bytes(llama, "Q4_K_M", q) / GiB == Approx(4.58).margin(0.005));
  CHECK(*gguf_recipe_bytes(llama, "Q8_0", q) / GiB == Approx(7.95).margin(0.005));
  CHECK(*gguf_recipe_bytes(llama, "Q6_K", q) / GiB == Approx(6.14).margin(0.005));
  CHECK(*gguf_recipe_bytes(llama, "Q5_K_M", q) / GiB == Approx(5.33).margin(0.005));
  // The estimate uses it for a GGUF catalog route.
  CHECK(weight_bytes(llama, resolve_quant(q, "Q4_K_M", Format::gguf)) == *gguf_recipe_bytes(llama, "Q4_K_M", q));
}

TEST_CASE("MLX 4-bit per module: Llama-3.1-8B", "[recipe]") {
  const auto& m = model("llama-3.1-8b-instruct");
  // Quantized at 4 + 32/64 = 4.5 bits: embedding and lm_head 2 x 4096 x 128256, per layer
  // q 4096x4096, k and v 4096x1024, o 4096x4096, gate/up/down 3 x 4096x14336.
  const double per_layer = 2.0 * 4096 * 4096 + 2.0 * 4096 * 1024 + 3.0 * 4096 * 14336;
  const double quantized = 2.0 * 4096 * 128256 + 32 * per_layer;
  // bf16: 2 norms per layer and the final norm, 4096 each.
  const double plain = (32 * 2 + 1) * 4096.0;
  CHECK(*mlx_weight_bytes(m, 4, 64) == Approx(quantized * 4.5 / 8 + plain * 2));
  // Qwen3-30B-A3B: the router (2048 x 128 per layer) at 8 bits, group 64 (qwen3_moe.py quant_predicate).
  const auto& moe = model("qwen3-30b-a3b");
  const auto bits4 = *mlx_weight_bytes(moe, 4, 64);
  const double router = 48.0 * 2048 * 128;
  CHECK(bits4 > router * 8.5 / 8);
  CHECK(!mlx_weight_bytes(model("glm-5"), 4, 64).has_value());
}

TEST_CASE("llama.cpp compute buffer with and without flash attention", "[recipe]") {
  const auto& m = model("llama-3.1-8b-instruct");
  const Runtime& on = test::llama_cpp();
  Runtime off = on;
  off.defaults.flash_attention = false;
  const double out = 4.0 * 128256;  // output buffer: n_vocab f32
  // On: 4 B x 512 x (128256 + 2 x 4096) = 279,445,504 B (266.5 MiB), whatever the context.
  CHECK(llama_compute_bytes(m, 32768, on) == Approx(4.0 * 512 * (128256 + 2 * 4096) + out));
  // Off at 8192: scores and mask 8192 x 512 x (32 + 1) x 4 B, plus 4 x 512 x (4 x 4096 + 4096 + 2 x 1024)
  // = 553,648,128 + 46,137,344 = 599,785,472 B = 572.0 MiB (llama.cpp printed 572.01).
  CHECK(llama_compute_bytes(m, 8192, off) == Approx(599785472.0 + out));
  // Off at a short context the logits phase is the peak again (Qwen2.5-7B at 4096: 311.00 MiB).
  const auto& qw = model("qwen2.5-7b-instruct");
  CHECK(llama_compute_bytes(qw, 4096, off) == Approx(4.0 * 512 * (152064 + 2 * 3584) + 4.0 * 152064));
}

TEST_CASE("Compute buffer against every measured case", "[recipe]") {
  std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/tests/data/llama-cpp-ground-truth.json");
  REQUIRE(in);
  const auto data = nlohmann::json::parse(in);
  for (const auto& c : data.at("cases")) {
    const ModelInfo* m = Catalog::builtin().find(c.at("model").get<std::string>());
    REQUIRE(m != nullptr);
    Runtime rt = test::llama_cpp();
    rt.defaults.flash_attention = c.value("flash_attn", false);
    const double predicted = llama_compute_bytes(*m, c.at("context").get<long long>(), rt) - 4.0 * m->vocab;
    const double measured = c.at("compute_buffer_bytes").get<double>();
    INFO(m->id << " ctx " << c.at("context") << " fa " << rt.defaults.flash_attention << ": " << predicted << " vs " << measured);
    // Flash attention on: Phi-3's buffer wanders (74.6-98.0 MiB) above the formula's 74.6; the
    // others are within 3 %. Off: within 4.1 % (the fitted live-tensor term; worst Phi-3 at 4096).
    const double tolerance = rt.defaults.flash_attention ? (m->family == "phi3" ? 0.25 : 0.03) : 0.041;
    CHECK(std::abs(predicted - measured) / measured <= tolerance);
  }
}
