// The generated catalog (data/models/ through planner/embed/catalog_gen.cpp) held against its own
// files: every folder is a model found by its repo id, every name leads back to its model, and the
// KV cache per token is the arithmetic of the model's config.json, worked out here from the raw
// keys rather than through the reader the catalog was built with.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "estimate/memory.h"
#include "resolve/catalog.h"
#include "resolve/model_name.h"
#include "support/runtimes.h"

using namespace planner;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(PLANNER_SOURCE_DIR) / "data" / "models";

std::vector<std::string> repo_ids() {
  std::vector<std::string> out;
  for (const auto& org : fs::directory_iterator(kModels))
    for (const auto& name : fs::directory_iterator(org.path()))
      out.push_back(org.path().filename().string() + "/" + name.path().filename().string());
  return out;
}

nlohmann::json config_of(const std::string& repo) {
  std::ifstream in(kModels / repo / "config.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

}  // namespace

TEST_CASE("every data/models folder is a catalog model under its repo id", "[catalog]") {
  const Catalog& c = Catalog::builtin();
  const auto repos = repo_ids();
  CHECK(repos.size() == c.size());
  CHECK(c.size() >= 150);  // issue 11: at least 150 models, each from its own config.json
  for (const auto& repo : repos) {
    INFO(repo);
    const ModelInfo* m = c.find(repo);
    REQUIRE(m != nullptr);
    CHECK(m->hf_repo == repo);
    CHECK(c.find(m->id) == m);
    CHECK(m->params_total > 0);
    CHECK(m->params_active <= m->params_total);
    CHECK_THAT(m->source, Catch::StartsWith("config.json: "));
  }
}

TEST_CASE("every artifact and Ollama tag leads back to its model with the quantization it carries", "[catalog]") {
  const Catalog& c = Catalog::builtin();
  int named = 0;
  for (const auto& m : c.models()) {
    for (const auto& a : m.mlx) {
      INFO(a.repo);
      auto hit = c.lookup(a.repo);
      REQUIRE(hit);
      CHECK(hit->model->id == m.id);
      CHECK(hit->format == "mlx");
      CHECK(hit->quant == hit->artifact->quant);
      ++named;
    }
    for (const auto& a : m.gguf) {
      INFO(a.repo);
      auto hit = c.lookup(a.repo);
      REQUIRE(hit);
      CHECK(hit->model->id == m.id);
      CHECK(hit->format == "gguf");
      CHECK(hit->quant.empty());  // a GGUF repo holds a file per quantization
      ++named;
    }
    for (const auto& t : m.ollama) {
      INFO(t.repo);
      auto hit = c.lookup(t.repo);
      REQUIRE(hit);
      CHECK(hit->model->id == m.id);
      CHECK(hit->quant == t.quant);
      ++named;
    }
  }
  CHECK(named > 0);
}

TEST_CASE("catalog names are case-insensitive and unknown names stay unknown", "[catalog]") {
  const Catalog& c = Catalog::builtin();
  const ModelInfo* m = c.find("Qwen/Qwen3-8B");
  REQUIRE(m != nullptr);
  CHECK(c.find("QWEN/QWEN3-8B") == m);
  CHECK(c.find("qwen3-8b") == m);
  CHECK(c.find("qwen3-8") == nullptr);
  CHECK(c.find("") == nullptr);
  CHECK_FALSE(c.lookup("Qwen/Qwen3-8B-does-not-exist"));
}

TEST_CASE("KV cache per token of every catalog model is its config.json arithmetic", "[catalog]") {
  // 256 tokens: one llama.cpp cell block, below every sliding window in the catalog, so every
  // attention layer holds every token: 2 (K and V) x kv_heads x head_dim x layers x 2 bytes (f16).
  const Catalog& c = Catalog::builtin();
  int checked = 0;
  for (const auto& repo : repo_ids()) {
    INFO(repo);
    nlohmann::json cfg = config_of(repo);
    if (cfg.contains("text_config") && cfg["text_config"].is_object()) cfg = cfg["text_config"];
    if (cfg.contains("kv_lora_rank") && !cfg["kv_lora_rank"].is_null()) continue;  // MLA: latent cache, below
    const int layers = cfg.at("num_hidden_layers").get<int>();
    // Gemma3TextConfig's defaults where text_config leaves them out: 8 heads, 4 KV heads.
    const bool gemma3 = cfg.value("model_type", "") == "gemma3_text";
    const int heads = cfg.value("num_attention_heads", gemma3 ? 8 : 0);
    const int kv_heads = cfg.contains("num_key_value_heads") && !cfg["num_key_value_heads"].is_null()
                             ? cfg["num_key_value_heads"].get<int>()
                             : (gemma3 ? 4 : heads);
    // Without head_dim, transformers' config class decides: Gemma2Config and Gemma3TextConfig default
    // to 256 (configuration_gemma2.py, configuration_gemma3.py), the others to hidden / heads.
    const std::string type = cfg.value("model_type", "");
    REQUIRE(heads > 0);
    const int default_head_dim = type == "gemma2" || type == "gemma3_text" ? 256 : cfg.at("hidden_size").get<int>() / heads;
    const int head_dim = cfg.contains("head_dim") && !cfg["head_dim"].is_null() ? cfg["head_dim"].get<int>() : default_head_dim;
    int kv_layers = layers;
    if (cfg.contains("layer_types")) {
      kv_layers = 0;
      for (const auto& t : cfg["layer_types"]) kv_layers += t != "linear_attention";
    } else if (cfg.contains("linear_num_key_heads")) {
      kv_layers = layers / cfg.value("full_attention_interval", 4);
    }
    const ModelInfo* m = c.find(repo);
    REQUIRE(m != nullptr);
    const double expected = 256.0 * 2 * kv_heads * head_dim * kv_layers * 2;
    CHECK(kv_cache_bytes(*m, test::llama_cpp(), 256, 2.0) == expected);
    ++checked;
  }
  CHECK(checked > 0);
}

TEST_CASE("MLA models cache one latent per token on llama.cpp: kv_lora_rank + qk_rope_head_dim", "[catalog]") {
  const Catalog& c = Catalog::builtin();
  for (const auto& repo : repo_ids()) {
    nlohmann::json cfg = config_of(repo);
    if (!cfg.contains("kv_lora_rank") || cfg["kv_lora_rank"].is_null()) continue;
    INFO(repo);
    const ModelInfo* m = c.find(repo);
    REQUIRE(m != nullptr);
    REQUIRE(m->mla);
    CHECK(m->mla->kv_lora_rank == cfg["kv_lora_rank"].get<int>());
    CHECK(m->mla->qk_rope_head_dim == cfg["qk_rope_head_dim"].get<int>());
    CHECK(m->layers == cfg["num_hidden_layers"].get<int>());
  }
}

TEST_CASE("parameters counted from shapes give first_k_dense_replace layers a dense FFN", "[catalog]") {
  // GLM-4.5-Air (config.json: 46 layers, hidden 4096, 96 x 128 query and 8 x 128 KV heads, layer 0
  // dense with intermediate 10944, 45 layers of 128 experts x 1408 plus 1 shared, vocab 151552,
  // untied): the arithmetic by hand, biases aside as the count leaves them.
  const auto m = Catalog::builtin().lookup("zai-org/GLM-4.5-Air");
  REQUIRE(m);
  const double h = 4096, vocab = 151552;
  const double attention = h * 96 * 128 * 2 + h * 8 * 128 * 2, norms = 2 * h;
  const double dense = 3 * h * 10944, moe = 128 * 3 * h * 1408 + 3 * h * 1408 + h * 128;
  const double total = 2 * vocab * h + h + 46 * (attention + norms) + dense + 45 * moe;
  CHECK(m->model->params_total == Approx(total).epsilon(1e-4));  // 106.85e9; 108.95e9 with every layer a MoE
  const double active = total - 45 * 120 * 3 * h * 1408;  // 8 of the 128 routed experts
  CHECK(m->model->params_active == Approx(active).epsilon(1e-4));  // the count adds a shared-expert gate row per layer
}

// data/unsized_models.yaml: real models the catalog cannot hold (no config.json found). An entry
// stays only while the catalog knows none of its names: once the model is added, the entry goes.
TEST_CASE("unsized models are named by their repo, conversions and tags, and are no catalog model", "[catalog]") {
  const Catalog& c = Catalog::builtin();
  const auto& unsized = c.unsized_models();
  REQUIRE(unsized.size() == 2);
  for (const auto& u : unsized) {
    INFO(u.repo);
    CHECK(c.find(u.repo) == nullptr);
    CHECK(c.find(u.repo.substr(u.repo.find('/') + 1)) == nullptr);
    for (const auto& n : u.names) CHECK(c.find(n) == nullptr);
    CHECK(c.unsized(u.repo) == &u);
  }
  auto repo_of = [&](std::string_view name) { const UnsizedModel* u = c.unsized(name); return u ? u->repo : std::string("(none)"); };
  // The Qwen2.5-Coder Instructs left this table for the catalog (litgpt's transcription of
  // their config.json, data/models/Qwen/Qwen2.5-Coder-*-Instruct): their names are catalog models.
  const std::vector<std::pair<std::string_view, std::string_view>> coder = {
      {"qwen2.5-coder:7b", "Qwen/Qwen2.5-Coder-7B-Instruct"},
      {"QWEN2.5-CODER:32B", "Qwen/Qwen2.5-Coder-32B-Instruct"},
      {"qwen2.5-coder:14b", "Qwen/Qwen2.5-Coder-14B-Instruct"},
      {"qwen2.5-coder:14b-instruct", "Qwen/Qwen2.5-Coder-14B-Instruct"},  // Ollama's spelt-out tag
      {"Qwen2.5-Coder-14B-Instruct", "Qwen/Qwen2.5-Coder-14B-Instruct"},  // what `-4bit`, `-GGUF` reduce to
      {"qwen/qwen2.5-coder-7b-instruct", "Qwen/Qwen2.5-Coder-7B-Instruct"},  // the LM Studio key
      {"qwen2.5-coder-32b", "Qwen/Qwen2.5-Coder-32B-Instruct"}};
  for (const auto& [n, repo] : coder) {
    INFO(n);
    CHECK(repo_of(n) == "(none)");
    const ModelName m = resolve_model_name(c, QuantTables::builtin(), n);
    REQUIRE(m.match);
    CHECK(m.match->model->hf_repo == repo);
  }
  CHECK(repo_of("Qwen3.5-2B") == "Qwen/Qwen3.5-2B");
  CHECK(repo_of("qwen3.5:2b") == "Qwen/Qwen3.5-2B");
  CHECK(repo_of("devstral:24b") == "mistralai/Devstral-Small-2505");
  // Other sizes and families are other models: nothing the table does not name.
  CHECK(repo_of("qwen2.5-coder:3b") == "(none)");
  CHECK(repo_of("qwen2.5-coder") == "(none)");
  CHECK(repo_of("Qwen2.5-7B-Instruct") == "(none)");
  CHECK(repo_of("qwen3.5:27b") == "(none)");
  CHECK(repo_of("Qwen3.5-2B-Base") == "(none)");
  CHECK(repo_of("devstral-small-2507") == "(none)");  // in the catalog
  CHECK(repo_of("") == "(none)");
}
