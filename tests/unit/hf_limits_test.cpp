// config.json under hostile values (issue 10): every integer planner reads is a whole number in
// its range (modelfile/limits.h) or an error naming the key, the value and the limit, at the
// key's byte; layer_types is bounded and its period found in linear time. Messages pinned exactly.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <vector>

#include "modelfile/hf_config.h"
#include "modelfile/layer_pattern.h"

using namespace planner;
using nlohmann::json;

namespace {

json base() {
  return {{"model_type", "llama"}, {"num_hidden_layers", 32}, {"hidden_size", 4096}, {"num_attention_heads", 32},
          {"num_key_value_heads", 8}, {"vocab_size", 128256}, {"max_position_embeddings", 131072}};
}

std::string error_of(const std::string& text) {
  try {
    (void)parse_hf_config(text, "c");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

// "c: byte N: MESSAGE" with N the offset of `"key"` in `text`.
std::string at_key(const std::string& text, const std::string& key, const std::string& message) {
  return "c: byte " + std::to_string(text.find("\"" + key + "\"")) + ": " + message;
}

}  // namespace

TEST_CASE("config.json: an integer out of its range is an error naming key, value and limit") {
  struct Case {
    const char* key;
    json value;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"num_hidden_layers", 2147483647, "'num_hidden_layers' is 2147483647, over the limit of 10000"},
      {"num_hidden_layers", 10001, "'num_hidden_layers' is 10001, over the limit of 10000"},
      {"num_key_value_heads", 4294967297ULL, "'num_key_value_heads' is 4294967297, over the limit of 65536"},
      {"num_attention_heads", 18446744073709551615ULL,
       "'num_attention_heads' is 18446744073709551615, over the limit of 65536"},
      {"hidden_size", -4096, "'hidden_size' is -4096: it cannot be negative"},
      {"head_dim", 128.5, "'head_dim' is 128.5, not a whole number"},
      {"vocab_size", 1e300, "'vocab_size' is 1e+300, over the limit of 16777216"},
      {"vocab_size", -0.5, "'vocab_size' is -0.5: it cannot be negative"},
      {"max_position_embeddings", 1LL << 31, "'max_position_embeddings' is 2147483648, over the limit of 1073741824"},
      {"sliding_window", "4096", "'sliding_window' is \"4096\", not an integer"},
      {"num_local_experts", true, "'num_local_experts' is true, not an integer"},
      {"n_routed_experts", json::array({1}), "'n_routed_experts' is a list, not an integer"},
      {"num_experts", 70000, "'num_experts' is 70000, over the limit of 65536"},
      {"kv_lora_rank", json::object(), "'kv_lora_rank' is an object, not an integer"},
      {"linear_num_key_heads", 1 << 20, "'linear_num_key_heads' is 1048576, over the limit of 65536"},
      {"full_attention_interval", 20000, "'full_attention_interval' is 20000, over the limit of 10000"},
  };
  for (const auto& c : cases) {
    json j = base();
    j[c.key] = c.value;
    const std::string text = j.dump();
    INFO(text);
    CHECK(error_of(text) == at_key(text, c.key, c.message));
  }
}

TEST_CASE("config.json: values at the limits, and whole floats, are read exactly") {
  json j = base();
  j["num_hidden_layers"] = 10000;
  j["num_key_value_heads"] = 8.0;  // some converters write floats
  j["max_position_embeddings"] = 10485760;  // Llama 4 Scout
  HfConfig c = parse_hf_config(j.dump(), "c");
  CHECK(c.model.layers == 10000);
  CHECK(c.model.kv_heads == 8);
  CHECK(c.model.context_trained == 10485760);
  // JSON has no NaN or infinity: the parser refuses them with the byte.
  CHECK(error_of(R"({"num_hidden_layers": NaN})") ==
        "c: byte 23: invalid JSON: parse error at line 1, column 23: syntax error while parsing value - invalid "
        "literal; last read: '\"num_hidden_layers\": N'");
}

TEST_CASE("config.json: a value read from text_config is located there") {
  json j = {{"model_type", "qwen3_5"}, {"num_hidden_layers", 2},
            {"text_config", {{"model_type", "qwen3_5_text"}, {"num_hidden_layers", 4294967297ULL}}}};
  const std::string text = j.dump();
  const std::size_t inner = text.find("\"num_hidden_layers\"", text.find("\"text_config\""));
  CHECK(error_of(text) ==
        "c: byte " + std::to_string(inner) + ": 'num_hidden_layers' is 4294967297, over the limit of 10000");
}

TEST_CASE("config.json: quantization bits and group sizes are range-checked, never wrapped") {
  json j = base();
  // Located at the `"bits"` / `"group_size"` inside the block (or the module's override).
  auto inside = [](const std::string& text, const std::string& scope, const std::string& key) {
    return "c: byte " + std::to_string(text.find("\"" + key + "\"", text.find("\"" + scope + "\""))) + ": ";
  };
  j["quantization"] = {{"group_size", 64}, {"bits", 4294967300ULL}};
  std::string text = j.dump();
  CHECK(error_of(text) == inside(text, "quantization", "bits") + "'quantization.bits' is 4294967300, over the limit of 32");
  j["quantization"] = {{"group_size", 64}, {"bits", 4}, {"model.layers.0.mlp.down_proj", {{"bits", 64}}}};
  text = j.dump();
  CHECK(error_of(text) == inside(text, "model.layers.0.mlp.down_proj", "bits") +
                              "'quantization.model.layers.0.mlp.down_proj.bits' is 64, over the limit of 32");
  j["quantization"] = {{"group_size", -64}, {"bits", 4}};
  text = j.dump();
  CHECK(error_of(text) == inside(text, "quantization", "group_size") + "'quantization.group_size' is -64: it cannot be negative");
  j.erase("quantization");
  j["quantization_config"] = {{"quant_method", "gptq"}, {"bits", 4.5}};
  text = j.dump();
  CHECK(error_of(text) == inside(text, "quantization_config", "bits") + "'quantization_config.bits' is 4.5, not a whole number");
  // In range: a module override keeps the block's group size when it names only bits.
  j.erase("quantization_config");
  j["quantization"] = {{"group_size", 32}, {"bits", 4}, {"model.layers.0.mlp.down_proj", {{"bits", 8}}}};
  HfConfig c = parse_hf_config(j.dump(), "c");
  CHECK(c.quant.for_module("model.layers.0.mlp.down_proj").bits == 8);
  CHECK(c.quant.for_module("model.layers.0.mlp.down_proj").group_size == 32);
}

TEST_CASE("config.json: 100,000 quantization overrides are read in linear time") {
  // An error's byte is searched for only when there is an error: one search per override was
  // quadratic (250,000 overrides: over 100 s).
  json j = base();
  j["quantization"] = {{"group_size", 64}, {"bits", 4}};
  for (int i = 0; i < 100000; ++i) j["quantization"]["model.layers." + std::to_string(i) + ".mlp"] = {{"bits", 8}};
  const std::string text = j.dump();
  // Its cost is measured in bench/micro (BM_HfConfigOverrides); a quadratic reader hangs here
  // past the unit suite's ctest timeout.
  HfConfig c = parse_hf_config(text, "c");
  CHECK(c.quant.modules.size() == 100000);
  CHECK(c.quant.for_module("model.layers.99999.mlp").bits == 8);
}

TEST_CASE("config.json: layer_types is bounded by the layer limit, and its period is found in linear time") {
  json j = base();
  j.erase("num_hidden_layers");
  j["sliding_window"] = 4096;
  j["layer_types"] = json::array();
  for (int i = 0; i < 10001; ++i) j["layer_types"].push_back("full_attention");
  std::string text = j.dump();
  CHECK(error_of(text) == at_key(text, "layer_types", "'layer_types' lists 10001 layers, over the limit of 10000"));

  // 10,000 layers whose only full-attention layer is the last: no shorter period exists, the
  // worst case of the old quadratic search (~5 x 10^7 comparisons; 100,000 took 23 s).
  j["layer_types"] = json::array();
  for (int i = 0; i < 9999; ++i) j["layer_types"].push_back("sliding_attention");
  j["layer_types"].push_back("full_attention");
  HfConfig c = parse_hf_config(j.dump(), "c");  // a quadratic search hangs past ctest's timeout
  REQUIRE(c.model.pattern.has_value());
  CHECK(c.model.pattern->period == 10000);
  CHECK(c.model.pattern->full_at == std::vector<int>{9999});
  CHECK(c.model.sliding_window == 4096);

  // num_hidden_layers at INT_MAX with layer_types no longer resizes the list to 2^31 entries.
  j["num_hidden_layers"] = 2147483647;
  text = j.dump();
  CHECK(error_of(text) == at_key(text, "num_hidden_layers", "'num_hidden_layers' is 2147483647, over the limit of 10000"));
}

TEST_CASE("config.json: an unknown layer type is shown cut and escaped in its warning") {
  json j = base();
  j["num_hidden_layers"] = 2;
  j["layer_types"] = {std::string("evil\x1b[2J") + std::string(500, 'x'), "full_attention"};
  HfConfig c = parse_hf_config(j.dump(), "c");
  REQUIRE(c.warnings.size() == 1);
  // shown_value (core/text.h): the escape written out as \x1b (4 characters), cut at 100.
  CHECK(c.warnings[0] == "config.json: layer type 'evil\\x1b[2J" + std::string(89, 'x') +
                             "...' is not one planner models (1 layers): counted as full attention");
}

TEST_CASE("config.json: more JSON values than any config holds are refused before parsing") {
  std::string text = R"({"model_type": "llama", "x": [)";
  for (int i = 0; i < (1 << 20); ++i) text += "0,";
  text += "0]}";
  // The count (1 + commas + brackets) is 4 at the '[' ('{', the comma after "llama", '['): the
  // (2^20 - 3)th comma of the list passes 2^20.
  CHECK(error_of(text) == "c: byte " + std::to_string(text.find('[') + 2 * ((1 << 20) - 3)) +
                              ": config.json holds more than 1048576 JSON values (the limit)");
}

TEST_CASE("shortest_period agrees with the brute-force search (random layer lists)") {
  auto brute = [](const std::vector<int>& s) {
    for (std::size_t p = 1; p < s.size(); ++p) {
      bool ok = true;
      for (std::size_t i = p; i < s.size() && ok; ++i) ok = s[i] == s[i % p];
      if (ok) return p;
    }
    return s.size();
  };
  std::mt19937 rng(10);
  for (int round = 0; round < 2000; ++round) {
    std::vector<int> s(1 + rng() % 40);
    const int kinds = 1 + static_cast<int>(rng() % 3);
    const std::size_t period = 1 + rng() % s.size();
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = i < period ? static_cast<int>(rng() % kinds) : s[i - period];
    if (rng() % 4 == 0) s[rng() % s.size()] = static_cast<int>(rng() % kinds);  // break it sometimes
    INFO(round);
    CHECK(shortest_period(s) == brute(s));
  }
  CHECK(shortest_period(std::vector<int>{}) == 0);
  CHECK(shortest_period(std::vector<int>{1, 1, 1}) == 1);
  CHECK(shortest_period(std::vector<int>{0, 0, 0, 1, 0, 0, 0, 1, 0, 0}) == 4);  // the last period partial
}
