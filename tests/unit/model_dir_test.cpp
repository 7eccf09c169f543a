// MLX / Hugging Face model directories: config.json fields, safetensors headers, and the
// figures read_model_dir derives from them. Directories are written by the test into a temp
// dir with real tensor shapes and sparse data sections (nothing large touches the disk).
// Expected figures are computed by hand beside each assertion.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "modelfile/hf_config.h"
#include "modelfile/model_dir.h"
#include "modelfile/safetensors.h"

#include "support/thrown.h"

using namespace planner;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "planner-model-dir-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path operator/(const std::string& name) const { return path / name; }
};

struct T {
  std::string name, dtype;
  std::vector<std::uint64_t> shape;
};

std::uint64_t dtype_bytes(const std::string& d) { return static_cast<std::uint64_t>(safetensors_dtype_bits(d)) / 8; }

// The bytes of a safetensors file: header (padded to 8 like the reference writer) + data.
// With `sparse`, the data section is left as a hole by resizing the file.
void write_safetensors(const fs::path& file, const std::vector<T>& tensors, bool sparse = true,
                       const json& metadata = json{{"format", "mlx"}}) {
  json h = json::object();
  if (!metadata.is_null()) h["__metadata__"] = metadata;
  std::uint64_t off = 0;
  for (const auto& t : tensors) {
    std::uint64_t n = 1;
    for (auto d : t.shape) n *= d;
    std::uint64_t bytes = n * dtype_bytes(t.dtype);
    h[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {off, off + bytes}}};
    off += bytes;
  }
  std::string text = h.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::ofstream out(file, std::ios::binary);
  std::uint64_t len = text.size();
  for (int i = 0; i < 8; ++i) out.put(static_cast<char>((len >> (8 * i)) & 0xff));
  out << text;
  if (!sparse) out << std::string(static_cast<std::size_t>(off), '\0');
  out.close();
  if (sparse) fs::resize_file(file, 8 + len + off);
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

// Raw file: 8-byte length + header text (+ data bytes).
void write_raw(const fs::path& file, std::uint64_t len, const std::string& header, std::uint64_t data = 0) {
  std::ofstream out(file, std::ios::binary);
  for (int i = 0; i < 8; ++i) out.put(static_cast<char>((len >> (8 * i)) & 0xff));
  out << header << std::string(static_cast<std::size_t>(data), '\0');
}

// meta-llama/Llama-3.1-8B-Instruct config.json values (data/models/: mlc llama3_1_8b).
json llama31_8b_config() {
  return json{{"architectures", {"LlamaForCausalLM"}},
              {"model_type", "llama"},
              {"hidden_size", 4096},
              {"intermediate_size", 14336},
              {"num_hidden_layers", 32},
              {"num_attention_heads", 32},
              {"num_key_value_heads", 8},
              {"vocab_size", 128256},
              {"max_position_embeddings", 131072},
              {"rope_theta", 500000.0},
              {"rope_scaling",
               {{"factor", 8.0}, {"low_freq_factor", 1.0}, {"high_freq_factor", 4.0},
                {"original_max_position_embeddings", 8192}, {"rope_type", "llama3"}}},
              {"tie_word_embeddings", false},
              {"torch_dtype", "bfloat16"}};
}

// One Llama-3.1-8B decoder layer's tensors (HF names, bf16).
std::vector<T> llama_layer(int i, const std::string& dtype = "BF16") {
  std::string p = "model.layers." + std::to_string(i) + ".";
  return {{p + "input_layernorm.weight", dtype, {4096}},
          {p + "self_attn.q_proj.weight", dtype, {4096, 4096}},
          {p + "self_attn.k_proj.weight", dtype, {1024, 4096}},
          {p + "self_attn.v_proj.weight", dtype, {1024, 4096}},
          {p + "self_attn.o_proj.weight", dtype, {4096, 4096}},
          {p + "post_attention_layernorm.weight", dtype, {4096}},
          {p + "mlp.gate_proj.weight", dtype, {14336, 4096}},
          {p + "mlp.up_proj.weight", dtype, {14336, 4096}},
          {p + "mlp.down_proj.weight", dtype, {4096, 14336}}};
}

// Per layer: q 4096*4096 = 16,777,216; k, v 1024*4096 = 4,194,304 each; o 16,777,216;
// gate, up, down 14336*4096 = 58,720,256 each; two norms 4096 each.
constexpr std::uint64_t kLlamaLayerParams = 16777216ull * 2 + 4194304ull * 2 + 58720256ull * 3 + 4096 * 2;  // 218,112,000
constexpr std::uint64_t kLlamaEmbedParams = 128256ull * 4096;  // 525,336,576

std::vector<T> llama_model(int layers) {
  std::vector<T> ts = {{"model.embed_tokens.weight", "BF16", {128256, 4096}},
                       {"model.norm.weight", "BF16", {4096}},
                       {"lm_head.weight", "BF16", {128256, 4096}}};
  for (int i = 0; i < layers; ++i)
    for (auto& t : llama_layer(i)) ts.push_back(t);
  return ts;
}


}  // namespace

// ---------------------------------------------------------------- config.json

TEST_CASE("config.json: Llama-3.1-8B geometry") {
  HfConfig c = parse_hf_config(llama31_8b_config().dump(), "config.json");
  CHECK(c.model_type == "llama");
  CHECK(c.model.layers == 32);
  CHECK(c.model.hidden_size == 4096);
  CHECK(c.model.attention_heads == 32);
  CHECK(c.model.kv_heads == 8);
  CHECK(c.model.head_dim == 128);  // no head_dim: 4096 / 32
  CHECK(c.model.vocab == 128256);
  CHECK(c.model.context_trained == 131072);
  CHECK_FALSE(c.model.tied_embeddings);
  CHECK(c.model.sliding_window == 0);
  CHECK_FALSE(c.model.pattern.has_value());
  CHECK_FALSE(c.model.moe.has_value());
  CHECK(c.num_layers_with_kv == 32);
  CHECK_FALSE(c.quant.mlx);
  CHECK(c.warnings.empty());
}

TEST_CASE("config.json: num_key_value_heads defaults to the attention heads") {
  json j = llama31_8b_config();
  j.erase("num_key_value_heads");
  CHECK(parse_hf_config(j.dump(), "c").model.kv_heads == 32);
}

TEST_CASE("config.json: Qwen3.5-9B, a VLM wrapper with hybrid linear attention, MLX 4-bit") {
  // Values of data/models/ qwen3.5-9b (tyr / card-9b / exo); layer_types as transformers
  // writes them: full_attention where (i + 1) % 4 == 0.
  json layer_types = json::array();
  for (int i = 0; i < 32; ++i) layer_types.push_back((i + 1) % 4 == 0 ? "full_attention" : "linear_attention");
  json j = {{"architectures", {"Qwen3_5ForConditionalGeneration"}},
            {"model_type", "qwen3_5"},
            {"tie_word_embeddings", false},
            {"text_config",
             {{"model_type", "qwen3_5_text"}, {"hidden_size", 4096}, {"intermediate_size", 12288},
              {"num_hidden_layers", 32}, {"num_attention_heads", 16}, {"num_key_value_heads", 4},
              {"head_dim", 256}, {"vocab_size", 248320}, {"max_position_embeddings", 262144},
              {"full_attention_interval", 4}, {"layer_types", layer_types},
              {"linear_num_key_heads", 16}, {"linear_num_value_heads", 32}, {"linear_key_head_dim", 128},
              {"linear_value_head_dim", 128}, {"linear_conv_kernel_dim", 4}, {"mamba_ssm_dtype", "float32"}}},
            {"vision_config", {{"depth", 27}, {"hidden_size", 1152}}},
            {"quantization", {{"group_size", 64}, {"bits", 4}, {"mode", "affine"}}}};
  HfConfig c = parse_hf_config(j.dump(), "config.json");
  CHECK(c.outer_model_type == "qwen3_5");
  CHECK(c.model_type == "qwen3_5_text");
  CHECK(c.model.layers == 32);
  CHECK(c.model.kv_heads == 4);
  CHECK(c.model.head_dim == 256);
  CHECK(c.model.vocab == 248320);
  CHECK(c.model.context_trained == 262144);
  REQUIRE(c.model.pattern.has_value());
  CHECK(c.model.pattern->period == 4);
  CHECK(c.model.pattern->full_at == std::vector<int>{3});
  CHECK(c.model.pattern->others_linear);
  CHECK(c.num_layers_with_kv == 8);
  CHECK(c.model.layer_kind(3) == ModelInfo::LayerKind::full);
  CHECK(c.model.layer_kind(0) == ModelInfo::LayerKind::linear);
  REQUIRE(c.model.linear.has_value());
  CHECK(c.model.linear->key_heads == 16);
  CHECK(c.model.linear->value_heads == 32);
  CHECK(c.model.linear->key_head_dim == 128);
  CHECK(c.model.linear->conv_kernel == 4);
  CHECK(c.model.linear->state_dtype_bytes == 4);
  CHECK(c.quant.mlx);
  CHECK(c.quant.global.bits == 4);
  CHECK(c.quant.global.group_size == 64);
  CHECK(c.quant.global.mode == "affine");

  // Without layer_types: full_attention_interval gives the same pattern.
  j["text_config"].erase("layer_types");
  HfConfig c2 = parse_hf_config(j.dump(), "config.json");
  REQUIRE(c2.model.pattern.has_value());
  CHECK(c2.model.pattern->period == 4);
  CHECK(c2.model.pattern->full_at == std::vector<int>{3});
  CHECK(c2.num_layers_with_kv == 8);
}

TEST_CASE("config.json: sliding windows") {
  SECTION("Gemma 2 alternates without naming it: even layers slide") {
    // google/gemma-2-9b-it (data/models/ gemma-2-9b-it).
    json j = {{"model_type", "gemma2"}, {"num_hidden_layers", 42}, {"hidden_size", 3584},
              {"num_attention_heads", 16}, {"num_key_value_heads", 8}, {"head_dim", 256},
              {"vocab_size", 256000}, {"max_position_embeddings", 8192}, {"sliding_window", 4096}};
    HfConfig c = parse_hf_config(j.dump(), "c");
    CHECK(c.model.sliding_window == 4096);
    REQUIRE(c.model.pattern.has_value());
    CHECK(c.model.pattern->period == 2);
    CHECK(c.model.pattern->full_at == std::vector<int>{1});
    CHECK_FALSE(c.model.pattern->others_linear);
    CHECK(c.model.tied_embeddings);  // Gemma2Config default
    CHECK(c.model.layer_kind(0) == ModelInfo::LayerKind::sliding);
    CHECK(c.model.layer_kind(41) == ModelInfo::LayerKind::full);
  }
  SECTION("Gemma 3 text_config: sliding_window_pattern 6, other fields from Gemma3TextConfig defaults") {
    // google/gemma-3-4b-it: 34 layers, hidden 2560, window 1024 (data/models/ gemma-3-4b-it).
    json j = {{"model_type", "gemma3"},
              {"text_config", {{"model_type", "gemma3_text"}, {"num_hidden_layers", 34}, {"hidden_size", 2560},
                               {"intermediate_size", 10240}, {"sliding_window", 1024}, {"sliding_window_pattern", 6}}}};
    HfConfig c = parse_hf_config(j.dump(), "c");
    CHECK(c.model.attention_heads == 8);
    CHECK(c.model.kv_heads == 4);
    CHECK(c.model.head_dim == 256);
    CHECK(c.model.sliding_window == 1024);
    REQUIRE(c.model.pattern.has_value());
    CHECK(c.model.pattern->period == 6);
    CHECK(c.model.pattern->full_at == std::vector<int>{5});
    CHECK(c.num_layers_with_kv == 34);
  }
  SECTION("gpt-oss layer_types: sliding, full, ...") {
    // openai/gpt-oss-20b (data/models/ gpt-oss-20b).
    json lt = json::array();
    for (int i = 0; i < 24; ++i) lt.push_back(i % 2 == 0 ? "sliding_attention" : "full_attention");
    json j = {{"model_type", "gpt_oss"}, {"num_hidden_layers", 24}, {"hidden_size", 2880},
              {"num_attention_heads", 64}, {"num_key_value_heads", 8}, {"head_dim", 64},
              {"vocab_size", 201088}, {"max_position_embeddings", 131072}, {"sliding_window", 128},
              {"layer_types", lt}, {"num_local_experts", 32}, {"num_experts_per_tok", 4},
              {"quantization_config", {{"quant_method", "mxfp4"}}}};
    HfConfig c = parse_hf_config(j.dump(), "c");
    CHECK(c.model.sliding_window == 128);
    REQUIRE(c.model.pattern.has_value());
    CHECK(c.model.pattern->period == 2);
    CHECK(c.model.pattern->full_at == std::vector<int>{1});
    REQUIRE(c.model.moe.has_value());
    CHECK(c.model.moe->experts == 32);
    CHECK(c.model.moe->experts_per_token == 4);
    CHECK(c.model.moe->shared_experts == 0);
    CHECK_FALSE(c.quant.mlx);
    CHECK(c.quant.quant_method == "mxfp4");
  }
  SECTION("Qwen2.5: a sliding_window with use_sliding_window false is none") {
    json j = {{"model_type", "qwen2"}, {"num_hidden_layers", 28}, {"hidden_size", 3584},
              {"num_attention_heads", 28}, {"num_key_value_heads", 4}, {"vocab_size", 152064},
              {"max_position_embeddings", 32768}, {"sliding_window", 131072}, {"use_sliding_window", false},
              {"max_window_layers", 28}};
    HfConfig c = parse_hf_config(j.dump(), "c");
    CHECK(c.model.sliding_window == 0);
    CHECK_FALSE(c.model.pattern.has_value());
    CHECK(c.model.head_dim == 128);
  }
  SECTION("Mistral v0.3: sliding_window null") {
    json j = {{"model_type", "mistral"}, {"num_hidden_layers", 32}, {"hidden_size", 4096},
              {"num_attention_heads", 32}, {"num_key_value_heads", 8}, {"vocab_size", 32768},
              {"sliding_window", nullptr}};
    CHECK(parse_hf_config(j.dump(), "c").model.sliding_window == 0);
  }
  SECTION("Phi-3-mini-4k: a window on every layer that the runtimes ignore") {
    json j = {{"model_type", "phi3"}, {"num_hidden_layers", 32}, {"hidden_size", 3072},
              {"num_attention_heads", 32}, {"num_key_value_heads", 32}, {"vocab_size", 32064},
              {"max_position_embeddings", 4096}, {"sliding_window", 2047}};
    HfConfig c = parse_hf_config(j.dump(), "c");
    CHECK(c.model.sliding_window == 2047);
    CHECK(c.model.sliding_window_ignored);
    CHECK_FALSE(c.model.pattern.has_value());
    CHECK(c.model.head_dim == 96);
  }
}

TEST_CASE("config.json: MoE and MLA") {
  SECTION("DeepSeek-Coder-V2-Lite: routed + shared experts, MLA ranks") {
    json j = {{"model_type", "deepseek_v2"}, {"num_hidden_layers", 27}, {"hidden_size", 2048},
              {"num_attention_heads", 16}, {"num_key_value_heads", 16}, {"vocab_size", 102400},
              {"max_position_embeddings", 163840}, {"n_routed_experts", 64}, {"n_shared_experts", 2},
              {"num_experts_per_tok", 6}, {"kv_lora_rank", 512}, {"q_lora_rank", nullptr},
              {"qk_rope_head_dim", 64}, {"qk_nope_head_dim", 128}, {"v_head_dim", 128}};
    HfConfig c = parse_hf_config(j.dump(), "c");
    REQUIRE(c.model.moe.has_value());
    CHECK(c.model.moe->experts == 64);
    CHECK(c.model.moe->experts_per_token == 6);
    CHECK(c.model.moe->shared_experts == 2);
    REQUIRE(c.model.mla.has_value());
    CHECK(c.model.mla->kv_lora_rank == 512);
    CHECK(c.model.mla->qk_rope_head_dim == 64);
    CHECK(c.model.mla->qk_nope_head_dim == 128);
    CHECK(c.model.mla->v_head_dim == 128);
  }
  SECTION("Qwen3.5-35B-A3B style: num_experts and a shared expert by its size") {
    json j = {{"model_type", "qwen3_5_moe_text"}, {"num_hidden_layers", 40}, {"hidden_size", 2048},
              {"num_attention_heads", 16}, {"num_key_value_heads", 2}, {"vocab_size", 248320},
              {"num_experts", 256}, {"num_experts_per_tok", 8}, {"shared_expert_intermediate_size", 512}};
    HfConfig c = parse_hf_config(j.dump(), "c");
    REQUIRE(c.model.moe.has_value());
    CHECK(c.model.moe->experts == 256);
    CHECK(c.model.moe->shared_experts == 1);
  }
  SECTION("Mixtral: num_local_experts") {
    json j = {{"model_type", "mixtral"}, {"num_hidden_layers", 32}, {"hidden_size", 4096},
              {"num_attention_heads", 32}, {"num_key_value_heads", 8}, {"vocab_size", 32000},
              {"num_local_experts", 8}, {"num_experts_per_tok", 2}};
    HfConfig c = parse_hf_config(j.dump(), "c");
    REQUIRE(c.model.is_moe());
    CHECK(c.model.moe->experts == 8);
    CHECK(c.model.moe->experts_per_token == 2);
  }
}

TEST_CASE("config.json: mlx-lm quantization block with per-module overrides") {
  json j = llama31_8b_config();
  j["quantization"] = {{"group_size", 64}, {"bits", 4},
                       {"model.layers.0.mlp.down_proj", {{"group_size", 64}, {"bits", 8}}},
                       {"model.layers.0.mlp.gate_proj", false}};
  HfConfig c = parse_hf_config(j.dump(), "c");
  CHECK(c.quant.mlx);
  CHECK(c.quant.global.mode == "affine");  // mlx-lm's default when "mode" is absent
  CHECK(c.quant.for_module("model.layers.0.mlp.down_proj").bits == 8);
  CHECK_FALSE(c.quant.for_module("model.layers.0.mlp.gate_proj").quantized);
  CHECK(c.quant.for_module("model.layers.1.mlp.down_proj").bits == 4);
}

TEST_CASE("config.json: a layer type that is not a string is a warning, bad JSON an error") {
  json j = llama31_8b_config();
  j["layer_types"] = json::array({1, "full_attention"});
  j["num_hidden_layers"] = 2;
  HfConfig c = parse_hf_config(j.dump(), "c");
  CHECK(c.model.layers == 2);
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0] == "config.json: layer type '1' is not one planner models (1 layers): counted as full attention");
  std::string e = error_of([] { parse_hf_config("{\"model_type\": ", "dir/config.json"); });
  CHECK(e.rfind("dir/config.json: byte ", 0) == 0);
  CHECK(e.find('\n') == std::string::npos);
  CHECK(error_of([] { parse_hf_config("[1, 2]", "c"); }).find("not a JSON object") != std::string::npos);
}

// ---------------------------------------------------------------- directories

TEST_CASE("model dir: Llama-3.1-8B bf16, all 32 layers (sparse), exact parameters and bytes") {
  TempDir d;
  write_text(d / "config.json", llama31_8b_config().dump());
  write_safetensors(d / "model.safetensors", llama_model(32), true, json{{"format", "pt"}});
  ModelFileInfo info = read_model_dir(d.path);
  // 32 x 218,112,000 + 2 x 525,336,576 (embed, lm_head) + 4096 (final norm) = 8,030,261,248:
  // the catalog's calc for Llama-3.1-8B.
  CHECK(kLlamaLayerParams == 218112000ull);
  CHECK(info.parameters == 8030261248ull);
  CHECK(info.model.params_total == Approx(8030261248.0));
  CHECK(info.weights_bytes == 2 * 8030261248ull);
  CHECK(info.bytes_by_type.at("BF16") == 2 * 8030261248ull);
  CHECK(info.tensors_by_type.at("BF16") == 3 + 32 * 9);
  CHECK(info.tensor_count == 291);
  CHECK(info.format == "safetensors");
  CHECK(info.file_type == "bf16");
  CHECK(info.architecture == "llama");
  CHECK(info.model.layers == 32);
  CHECK(info.model.kv_heads == 8);
  CHECK_FALSE(info.model.tied_embeddings);
  CHECK(info.file_bytes == fs::file_size(d / "model.safetensors"));
  CHECK(info.warnings.empty());
}

TEST_CASE("model dir: sharded through model.safetensors.index.json") {
  TempDir d;
  write_text(d / "config.json", llama31_8b_config().dump());
  // Shard 1: embeddings + layer 0; shard 2: layer 1 + norm + lm_head.
  std::vector<T> s1 = {{"model.embed_tokens.weight", "BF16", {128256, 4096}}};
  for (auto& t : llama_layer(0)) s1.push_back(t);
  std::vector<T> s2 = llama_layer(1);
  s2.push_back({"model.norm.weight", "BF16", {4096}});
  s2.push_back({"lm_head.weight", "BF16", {128256, 4096}});
  write_safetensors(d / "model-00001-of-00002.safetensors", s1);
  write_safetensors(d / "model-00002-of-00002.safetensors", s2);
  const std::uint64_t params = 2 * kLlamaEmbedParams + 2 * kLlamaLayerParams + 4096;  // 1,486,901,248
  json index = {{"metadata", {{"total_size", 2 * params}}}, {"weight_map", json::object()}};
  for (auto& t : s1) index["weight_map"][t.name] = "model-00001-of-00002.safetensors";
  for (auto& t : s2) index["weight_map"][t.name] = "model-00002-of-00002.safetensors";
  write_text(d / "model.safetensors.index.json", index.dump());

  ModelFileInfo info = read_model_dir(d.path);
  CHECK(params == 1486901248ull);
  CHECK(info.parameters == params);
  CHECK(info.weights_bytes == 2 * params);
  CHECK(info.tensor_count == s1.size() + s2.size());
  CHECK(info.file_bytes ==
        fs::file_size(d / "model-00001-of-00002.safetensors") + fs::file_size(d / "model-00002-of-00002.safetensors"));
  CHECK(info.warnings.empty());

  SECTION("a missing shard is a clean error") {
    fs::remove(d / "model-00002-of-00002.safetensors");
    std::string e = error_of([&] { read_model_dir(d.path); });
    CHECK(e.find("model-00002-of-00002.safetensors") != std::string::npos);
    CHECK(e.find("missing") != std::string::npos);
  }
  SECTION("a shard outside the directory is refused") {
    index["weight_map"]["lm_head.weight"] = "../elsewhere.safetensors";
    write_text(d / "model.safetensors.index.json", index.dump());
    CHECK(error_of([&] { read_model_dir(d.path); }).find("outside the directory") != std::string::npos);
  }
  SECTION("a tensor in two shards is an error") {
    write_safetensors(d / "model-00002-of-00002.safetensors", s1);
    CHECK(error_of([&] { read_model_dir(d.path); }).find("is also in") != std::string::npos);
  }
}

TEST_CASE("model dir: MLX 4-bit (uint32-packed weights, bf16 scales and biases), one 8-bit override") {
  // mlx-community/Meta-Llama-3.1-8B-Instruct-4bit layout: a quantized R x C matrix is stored as
  // weight U32 [R, C*bits/32], scales and biases BF16 [R, C/64].
  TempDir d;
  json cfg = llama31_8b_config();
  cfg["quantization"] = {{"group_size", 64}, {"bits", 4},
                         {"model.layers.0.mlp.down_proj", {{"group_size", 64}, {"bits", 8}}}};
  cfg["quantization_config"] = cfg["quantization"];
  write_text(d / "config.json", cfg.dump());
  std::vector<T> ts;
  auto quantized = [&](const std::string& module, std::uint64_t rows, std::uint64_t cols, std::uint64_t bits) {
    ts.push_back({module + ".weight", "U32", {rows, cols * bits / 32}});
    ts.push_back({module + ".scales", "BF16", {rows, cols / 64}});
    ts.push_back({module + ".biases", "BF16", {rows, cols / 64}});
  };
  quantized("model.embed_tokens", 128256, 4096, 4);
  quantized("lm_head", 128256, 4096, 4);
  ts.push_back({"model.norm.weight", "BF16", {4096}});
  const std::string p = "model.layers.0.";
  ts.push_back({p + "input_layernorm.weight", "BF16", {4096}});
  ts.push_back({p + "post_attention_layernorm.weight", "BF16", {4096}});
  quantized(p + "self_attn.q_proj", 4096, 4096, 4);
  quantized(p + "self_attn.k_proj", 1024, 4096, 4);
  quantized(p + "self_attn.v_proj", 1024, 4096, 4);
  quantized(p + "self_attn.o_proj", 4096, 4096, 4);
  quantized(p + "mlp.gate_proj", 14336, 4096, 4);
  quantized(p + "mlp.up_proj", 14336, 4096, 4);
  quantized(p + "mlp.down_proj", 4096, 14336, 8);
  write_safetensors(d / "model.safetensors", ts);

  ModelFileInfo info = read_model_dir(d.path);
  // Parameters unpack to the bf16 model's: 2 x 525,336,576 + 4096 + 218,112,000 = 1,268,789,248.
  CHECK(info.parameters == 2 * kLlamaEmbedParams + 4096 + kLlamaLayerParams);
  CHECK(info.parameters == 1268789248ull);
  // Bytes: a 4-bit R x C matrix is R*C/2 (weight) + 2 x R*C/64*2 (scales, biases) = R*C * 9/16;
  // 8-bit: R*C + R*C/16 = R*C * 17/16. Norms: 3 x 4096 x 2.
  const std::uint64_t four_bit_elems = 2 * kLlamaEmbedParams + 16777216ull * 2 + 4194304ull * 2 + 58720256ull * 2;
  const std::uint64_t eight_bit_elems = 58720256ull;
  const std::uint64_t expected_bytes = four_bit_elems * 9 / 16 + eight_bit_elems * 17 / 16 + 3 * 4096 * 2;
  // 4-bit elements: 2 x 525,336,576 + 2 x 16,777,216 + 2 x 4,194,304 + 2 x 58,720,256 = 1,210,056,704
  // -> x 9/16 = 680,656,896; 8-bit: 58,720,256 x 17/16 = 62,390,272; norms 24,576.
  CHECK(expected_bytes == 743071744ull);
  CHECK(info.weights_bytes == expected_bytes);
  // U32: 4-bit weights elems/2 bytes + 8-bit elems bytes; BF16: scales/biases (elems/16) + norms.
  CHECK(info.bytes_by_type.at("U32") == four_bit_elems / 2 + eight_bit_elems);
  CHECK(info.bytes_by_type.at("BF16") == (four_bit_elems + eight_bit_elems) / 16 + 3 * 4096 * 2);
  CHECK(info.tensors_by_type.at("U32") == 9);
  CHECK(info.format == "MLX");
  CHECK(info.file_type == "MLX 4-bit, group 64 (1 modules at 8-bit)");
  CHECK(info.model.params_total == Approx(1268789248.0));
  CHECK(info.warnings.empty());

  SECTION("bits that contradict the scales are reported") {
    cfg["quantization"]["bits"] = 8;
    cfg["quantization"].erase("model.layers.0.mlp.down_proj");
    write_text(d / "config.json", cfg.dump());
    ModelFileInfo wrong = read_model_dir(d.path);
    REQUIRE_FALSE(wrong.warnings.empty());
    CHECK(wrong.warnings.front().find("do not match their scales") != std::string::npos);
  }
}

TEST_CASE("model dir: MoE active parameters and a tied model without lm_head") {
  // A two-expert toy with Mixtral's naming: experts count for the total, top-1 of 2 for active.
  TempDir d;
  json cfg = {{"model_type", "mixtral"}, {"num_hidden_layers", 1}, {"hidden_size", 64},
              {"num_attention_heads", 4}, {"num_key_value_heads", 2}, {"vocab_size", 100},
              {"num_local_experts", 2}, {"num_experts_per_tok", 1}, {"tie_word_embeddings", false}};
  write_text(d / "config.json", cfg.dump());
  write_safetensors(d / "model.safetensors",
                    {{"model.embed_tokens.weight", "F16", {100, 64}},
                     {"model.layers.0.block_sparse_moe.gate.weight", "F16", {2, 64}},
                     {"model.layers.0.block_sparse_moe.experts.0.w1.weight", "F16", {128, 64}},
                     {"model.layers.0.block_sparse_moe.experts.1.w1.weight", "F16", {128, 64}}});
  ModelFileInfo info = read_model_dir(d.path);
  // total 6400 + 128 + 2 x 8192 = 22,912; active 6400 + 128 + 8192 = 14,720.
  CHECK(info.parameters == 22912);
  CHECK(info.model.params_active == Approx(14720.0));
  CHECK(info.model.tied_embeddings);  // no lm_head tensor, whatever the config says
  CHECK(info.file_type == "f16");
  REQUIRE(info.warnings.size() == 1);
  CHECK(info.warnings[0].find("tie_word_embeddings") != std::string::npos);
}

// ---------------------------------------------------------------- hostile input

TEST_CASE("safetensors: every truncation of a valid file is a clean error") {
  TempDir d;
  const fs::path good = d / "good.safetensors";
  write_safetensors(good, {{"a", "F32", {2, 3}}, {"b", "BF16", {5}}, {"c", "U8", {}}}, false);
  std::string bytes;
  {
    std::ifstream in(good, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  REQUIRE(read_safetensors_header(good).tensors.size() == 3);
  const fs::path cut = d / "cut.safetensors";
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    write_text(cut, bytes.substr(0, n));
    std::string e = error_of([&] { read_safetensors_header(cut); });
    INFO("prefix of " << n << " bytes: " << e);
    CHECK(e.rfind(cut.string() + ": byte ", 0) == 0);
    CHECK(e.find('\n') == std::string::npos);
  }
}

TEST_CASE("safetensors: hostile headers") {
  TempDir d;
  const fs::path f = d / "x.safetensors";
  auto err = [&](std::uint64_t len, const std::string& header, std::uint64_t data = 0) {
    write_raw(f, len, header, data);
    return error_of([&] { read_safetensors_header(f); });
  };
  auto hdr = [&](const std::string& header, std::uint64_t data = 0) { return err(header.size(), header, data); };

  CHECK(err(1ull << 62, "{}").find("exceeds the 100,000,000-byte limit") != std::string::npos);
  CHECK(err(200'000'000, "{}").find("exceeds") != std::string::npos);
  CHECK(err(50, "{}").find("runs past the end of the file") != std::string::npos);
  CHECK(hdr("{bad json").find("invalid JSON") != std::string::npos);
  CHECK(hdr("").find("not a JSON object") != std::string::npos);
  CHECK(hdr("[1,2]").find("not a JSON object") != std::string::npos);
  CHECK(hdr(std::string(5000, '[') + std::string(5000, ']')).find("not a JSON object") != std::string::npos);
  CHECK(hdr("{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}").find("nests deeper") != std::string::npos);
  CHECK(hdr(R"({"a":{"dtype":"Q4_K","shape":[2],"data_offsets":[0,2]}})", 2).find("unknown dtype 'Q4_K'") != std::string::npos);
  CHECK(hdr(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4).find("run past the end") != std::string::npos);
  CHECK(hdr(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}})", 12).find("span 12 bytes") != std::string::npos);
  CHECK(hdr(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}})", 6)
            .find("overlap") != std::string::npos);
  CHECK(hdr(R"({"a":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,1]}})", 1).find("overflows") != std::string::npos);
  CHECK(hdr(R"({"a":{"dtype":"F64","shape":[4294967296,1073741824],"data_offsets":[0,1]}})", 1).find("overflows") != std::string::npos);
  CHECK(hdr(R"({"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}})", 1).find("shape entry") != std::string::npos);
  CHECK(hdr(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0]}})", 1).find("data_offsets") != std::string::npos);
  CHECK(hdr(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[1,0]}})", 1).find("end before begin") != std::string::npos);
  CHECK(hdr(R"({"a":{"shape":[1],"data_offsets":[0,1]}})", 1).find("no dtype") != std::string::npos);
  CHECK(hdr(R"({"a":[1]})", 1).find("not an object") != std::string::npos);
  CHECK(hdr(R"({"__metadata__":[1]})").find("__metadata__") != std::string::npos);
  // The byte offset points at the tensor's name in the header: 8 + position of "\"b\"".
  std::string e = hdr(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"b":{"dtype":"BAD","shape":[1],"data_offsets":[1,2]}})", 2);
  CHECK(e.find(": byte 61: ") != std::string::npos);

  // A short file, and a file that is fine: zero-size tensors and trailing bytes are not errors.
  write_text(f, "abc");
  CHECK(error_of([&] { read_safetensors_header(f); }).find("too short") != std::string::npos);
  const std::string empty_tensor = R"({"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}})";
  write_raw(f, empty_tensor.size(), empty_tensor, 4);
  SafetensorsFile ok = read_safetensors_header(f);
  CHECK(ok.tensors.size() == 1);
  CHECK(ok.warnings.size() == 1);  // 4 bytes after the last tensor
}

TEST_CASE("model dir: hostile directories") {
  TempDir d;
  CHECK(error_of([&] { read_model_dir(d.path); }).find("no config.json") != std::string::npos);
  CHECK(error_of([&] { read_model_dir(d / "nope"); }).find("not a directory") != std::string::npos);
  write_text(d / "config.json", "{\"model_type\": \"llama\",");
  CHECK(error_of([&] { read_model_dir(d.path); }).find("invalid JSON") != std::string::npos);
  write_text(d / "config.json", llama31_8b_config().dump());
  CHECK(error_of([&] { read_model_dir(d.path); }).find("no .safetensors files") != std::string::npos);
  write_text(d / "model.safetensors.index.json", "{\"weight_map\": 3}");
  CHECK(error_of([&] { read_model_dir(d.path); }).find("no weight_map") != std::string::npos);
  write_text(d / "model.safetensors.index.json", "{\"weight_map\": {}}");
  CHECK(error_of([&] { read_model_dir(d.path); }).find("weight_map is empty") != std::string::npos);
  fs::remove(d / "model.safetensors.index.json");
  write_raw(d / "model.safetensors", 1ull << 40, "{}");
  std::string e = error_of([&] { read_model_dir(d.path); });
  CHECK(e.rfind((d / "model.safetensors").string() + ": byte 0: ", 0) == 0);
}

// Issue 10: one warning for a class of oddities, however many tensors or entries show it (a
// header can list 200,000 tensors, and inspect prints every warning).
TEST_CASE("model dir: many oddities of one kind make one warning") {
  TempDir d;
  json cfg = llama31_8b_config();
  cfg["quantization"] = {{"group_size", 64}, {"bits", 4}};
  write_text(d / "config.json", cfg.dump());
  std::vector<T> ts;
  for (int i = 0; i < 300; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".mlp.down_proj.";
    ts.push_back({p + "weight", "BF16", {64, 64}});  // quantized (it has scales) but not U32
    ts.push_back({p + "scales", "BF16", {64, 1}});
  }
  write_safetensors(d / "model.safetensors", ts, true, json{{"format", 1}, {"a", 2}, {"b", "ok"}});
  ModelFileInfo info = read_model_dir(d.path);
  std::vector<std::string> not_u32, metadata;
  for (const auto& w : info.warnings) {
    if (w.find("not U32") != std::string::npos) not_u32.push_back(w);
    if (w.find("__metadata__") != std::string::npos) metadata.push_back(w);
  }
  REQUIRE(not_u32.size() == 1);
  CHECK(not_u32[0] == (d / "model.safetensors").string() +
                          ": quantized tensor 'model.layers.0.mlp.down_proj.weight' is BF16, not U32 (and 299 more "
                          "quantized tensors)");
  REQUIRE(metadata.size() == 1);
  CHECK(metadata[0] == (d / "model.safetensors").string() + ": __metadata__ 'a' and 1 more are not a string: ignored");
}
