// The names people write for a model (resolve/model_name.h), one case per form, against today's
// catalog; the Ollama library forms against a small catalog of names only (no figures).
#include <catch2/catch.hpp>

#include "estimate/analysis.h"
#include "resolve/model_name.h"
#include "support/test_catalog.h"

using namespace planner;

namespace {
ModelName named(std::string_view name) {
  return resolve_model_name(Catalog::builtin(), QuantTables::builtin(), name);
}
std::string id_of(const ModelName& n) { return n.match ? n.match->model->id : "(none)"; }

// What quant.h makes of a name another engineer may be adding: the expected value follows it.
std::string gguf_quant(std::string_view q) {
  const WeightQuant w = resolve_quant(QuantTables::builtin(), q, Format::gguf);
  return w.known && !w.mapped ? w.gguf_recipe : "";
}
std::string mlx_quant(std::string_view q) {
  return resolve_quant(QuantTables::builtin(), q, Format::mlx).known ? std::string(q) : "";
}

// Ollama library tags as the library names them; ids and repos only, no architecture figures.
const Catalog& ollama_catalog() {
  static const testing::TestCatalog c(R"({"models": [
    {"id": "qwen3-14b", "hf_repo": "Qwen/Qwen3-14B", "ollama": [{"tag": "qwen3:14b", "quant": "Q4_K_M"}]},
    {"id": "qwen3-8b", "hf_repo": "Qwen/Qwen3-8B", "ollama": [{"tag": "qwen3:8b", "quant": "Q4_K_M"},
                                                               {"tag": "qwen3:latest", "quant": "Q4_K_M"}]},
    {"id": "gemma-3-27b-it", "hf_repo": "google/gemma-3-27b-it", "ollama": [{"tag": "gemma3:27b", "quant": "Q4_K_M"}]},
    {"id": "llama-3.3-70b-instruct", "hf_repo": "meta-llama/Llama-3.3-70B-Instruct",
     "ollama": [{"tag": "llama3.3:70b", "quant": "Q4_K_M"}]},
    {"id": "gpt-oss-120b", "hf_repo": "openai/gpt-oss-120b", "ollama": [{"tag": "gpt-oss:120b", "quant": "MXFP4"}]},
    {"id": "qwen2.5-coder-32b-instruct", "hf_repo": "Qwen/Qwen2.5-Coder-32B-Instruct",
     "ollama": [{"tag": "qwen2.5-coder:32b", "quant": "Q4_K_M"}]},
    {"id": "deepseek-r1-distill-qwen-14b", "hf_repo": "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B",
     "ollama": [{"tag": "deepseek-r1:14b", "quant": "Q4_K_M"}]},
    {"id": "llama-3.1-8b-instruct", "hf_repo": "meta-llama/Llama-3.1-8B-Instruct", "aliases": ["llama3.1:8b"]}
  ]})");
  return c.get();
}
ModelName tagged(std::string_view name) { return resolve_model_name(ollama_catalog(), QuantTables::builtin(), name); }
}  // namespace

TEST_CASE("model names: Hugging Face repo ids in any case", "[model_name]") {
  for (const char* n : {"Qwen/Qwen3-8B", "qwen/qwen3-8b", "QWEN/QWEN3-8B"}) {
    INFO(n);
    const ModelName m = named(n);
    CHECK(id_of(m) == "qwen3-8b");
    CHECK(m.form == NameForm::repo_id);
    CHECK(m.quant.empty());
    CHECK(m.format.empty());
  }
  CHECK(id_of(named("meta-llama/Llama-3.1-8B-Instruct")) == "llama-3.1-8b-instruct");
  CHECK(id_of(named("OPENAI/GPT-OSS-20B")) == "gpt-oss-20b");
  CHECK(named("qwen3-8b").form == NameForm::catalog);
}

TEST_CASE("model names: MLX conversions, listed or not, are the base model", "[model_name]") {
  struct Case {
    const char* name;
    const char* id;
    std::string quant;
  };
  const Case cases[] = {
      {"mlx-community/Qwen3-8B-4bit", "qwen3-8b", "4bit"},  // a listed artifact
      {"mlx-community/Qwen3-8B-8bit", "qwen3-8b", "8bit"},
      {"mlx-community/Qwen3-8B-6bit", "qwen3-8b", "6bit"},
      {"mlx-community/Qwen3-8B-3bit", "qwen3-8b", "3bit"},
      {"mlx-community/qwen3-8b-4BIT", "qwen3-8b", "4bit"},
      {"mlx-community/Qwen3-8B-bf16", "qwen3-8b", mlx_quant("bf16")},
      {"mlx-community/gpt-oss-20b-mxfp4", "gpt-oss-20b", mlx_quant("mxfp4")},
      {"lmstudio-community/Qwen3-8B-MLX-4bit", "qwen3-8b", "4bit"},
      {"lmstudio-community/Qwen3-Coder-30B-A3B-Instruct-MLX-8bit", "qwen3-coder-30b-a3b-instruct", "8bit"},
      {"mlx-community/Meta-Llama-3.1-8B-Instruct-8bit", "llama-3.1-8b-instruct", "8bit"},
      {"mlx-community/gemma-3-4b-it-8bit", "gemma-3-4b-it", "8bit"},
      {"mlx-community/gemma-3-4b-it-4bit", "gemma-3-4b-it", "4bit"},  // issue 11: was "unknown model"
      {"mlx-community/Mistral-7B-Instruct-v0.3-8bit", "mistral-7b-instruct-v0.3", "8bit"},
      // Gemma 3 QAT: the same architecture with quantization-aware-trained weights (its model.yaml).
      {"mlx-community/gemma-3-12b-it-qat-4bit", "gemma-3-12b-it", "4bit"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const ModelName m = named(c.name);
    CHECK(id_of(m) == c.id);
    CHECK(m.quant == c.quant);
    CHECK(m.format == "mlx");
    CHECK(m.form == NameForm::mlx_conversion);
  }
  CHECK(named("mlx-community/Qwen3-8B-4bit").match->artifact != nullptr);   // the catalog's own entry
  CHECK(named("mlx-community/Qwen3-8B-8bit").match->artifact == nullptr);   // not listed: the model only
  CHECK(named("mlx-community/Qwen3-8B-8bit").reduced == "Qwen3-8B");
}

TEST_CASE("model names: GGUF repos of any publisher, with or without :QUANT", "[model_name]") {
  struct Case {
    const char* name;
    const char* id;
  };
  const Case cases[] = {
      {"unsloth/Qwen3-8B-GGUF", "qwen3-8b"},
      {"bartowski/Qwen_Qwen3-8B-GGUF", "qwen3-8b"},
      {"lmstudio-community/Qwen3-8B-GGUF", "qwen3-8b"},
      {"ggml-org/Qwen3-8B-GGUF", "qwen3-8b"},
      {"Qwen/Qwen3-8B-GGUF", "qwen3-8b"},  // listed
      {"bartowski/openai_gpt-oss-20b-GGUF", "gpt-oss-20b"},
      {"unsloth/gpt-oss-20b-GGUF", "gpt-oss-20b"},
      {"bartowski/Meta-Llama-3.1-8B-Instruct-GGUF", "llama-3.1-8b-instruct"},
      {"unsloth/Qwen3-Coder-30B-A3B-Instruct-GGUF", "qwen3-coder-30b-a3b-instruct"},  // issue 11: was unknown
      {"bartowski/Qwen_Qwen3-30B-A3B-gguf", "qwen3-30b-a3b"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const ModelName m = named(c.name);
    CHECK(id_of(m) == c.id);
    CHECK(m.quant.empty());  // a GGUF repo holds one file per quantization
    CHECK(m.format == "gguf");
    CHECK(m.form == NameForm::gguf_repo);
  }
  const ModelName q = named("unsloth/Qwen3-8B-GGUF:Q8_0");
  CHECK(id_of(q) == "qwen3-8b");
  CHECK(q.quant == "Q8_0");
  const ModelName hf = named("hf.co/bartowski/Qwen_Qwen3-8B-GGUF:q4_k_m");  // Ollama's and llama.cpp's -hf form
  CHECK(id_of(hf) == "qwen3-8b");
  CHECK(hf.quant == "Q4_K_M");
  const ModelName ud = named("unsloth/Qwen3-8B-GGUF:UD-Q4_K_XL");
  CHECK(id_of(ud) == "qwen3-8b");
  CHECK(ud.quant == gguf_quant("UD-Q4_K_XL"));
}

TEST_CASE("model names: Ollama tags, :latest and a quantization in the tag", "[model_name]") {
  struct Case {
    const char* name;
    const char* id;
    std::string quant;
  };
  const Case cases[] = {
      {"qwen3:14b", "qwen3-14b", "Q4_K_M"},
      {"gemma3:27b", "gemma-3-27b-it", "Q4_K_M"},
      {"llama3.3:70b", "llama-3.3-70b-instruct", "Q4_K_M"},
      {"gpt-oss:120b", "gpt-oss-120b", gguf_quant("MXFP4")},
      {"qwen2.5-coder:32b", "qwen2.5-coder-32b-instruct", "Q4_K_M"},
      {"deepseek-r1:14b", "deepseek-r1-distill-qwen-14b", "Q4_K_M"},
      {"qwen3:latest", "qwen3-8b", "Q4_K_M"},  // the library's own :latest tag
      {"qwen3:14b-q8_0", "qwen3-14b", "Q8_0"},
      {"qwen3:14b-Q5_K_M", "qwen3-14b", "Q5_K_M"},
      {"llama3.1:8b-instruct-q4_K_M", "llama-3.1-8b-instruct", "Q4_K_M"},
      {"llama3.1:8b-instruct-q8_0", "llama-3.1-8b-instruct", "Q8_0"},
      {"llama3.1:8b-fp16", "llama-3.1-8b-instruct", gguf_quant("fp16")},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const ModelName m = tagged(c.name);
    CHECK(id_of(m) == c.id);
    CHECK(m.quant == c.quant);
    CHECK(m.form == NameForm::ollama_tag);
  }
  // `:latest` is the bare name, and only where the catalog has that name.
  CHECK(id_of(tagged("qwen3-8b:latest")) == "qwen3-8b");
  CHECK(id_of(tagged("gemma3:latest")) == "(none)");
  // Another size is another model: never the nearest tag.
  for (const char* n : {"qwen3:32b", "gpt-oss:20b", "qwen2.5-coder:7b", "qwen3:14b-instruct-q4_K_M-extra", "qwen3:"}) {
    INFO(n);
    CHECK(id_of(tagged(n)) == "(none)");
  }
  // Today's catalog: its aliases are Ollama's tags.
  CHECK(id_of(named("qwen3:8b")) == "qwen3-8b");
  CHECK(id_of(named("gpt-oss:20b")) == "gpt-oss-20b");
  CHECK(id_of(named("qwen2.5-coder:7b")) == "qwen2.5-coder-7b-instruct");  // the model.yaml `ollama:` tag
  CHECK(id_of(named("devstral:24b")) == "(none)");  // Devstral-Small-2505: data/unsized_models.yaml
  CHECK(named("qwen3:8b-q8_0").quant == "Q8_0");
  // Mistral Nemo: the library tags are the chat model, not Mistral-Nemo-Base-2407.
  CHECK(id_of(named("mistral-nemo:12b")) == "mistral-nemo-instruct-2407");
  CHECK(id_of(named("mistral-nemo")) == "mistral-nemo-instruct-2407");
  CHECK(id_of(named("mistral-nemo-instruct-2407")) == "mistral-nemo-instruct-2407");
  CHECK(id_of(named("gpt-oss:120b")) != "gpt-oss-20b");
}

TEST_CASE("model names: GGUF file names that are no path", "[model_name]") {
  struct Case {
    const char* name;
    const char* id;
    std::string quant;
  };
  const Case cases[] = {
      {"Qwen3-8B-Q4_K_M.gguf", "qwen3-8b", "Q4_K_M"},
      {"qwen3-8b-q4_k_m.gguf", "qwen3-8b", "Q4_K_M"},
      {"Qwen3-8B-Q8_0.GGUF", "qwen3-8b", "Q8_0"},
      {"Qwen3-8B-UD-Q4_K_XL.gguf", "qwen3-8b", gguf_quant("UD-Q4_K_XL")},
      {"Qwen3-8B-IQ4_XS.gguf", "qwen3-8b", "IQ4_XS"},
      {"Qwen3-8B-BF16.gguf", "qwen3-8b", "BF16"},
      {"Qwen3-Coder-30B-A3B-Instruct-Q8_0-00001-of-00003.gguf", "qwen3-coder-30b-a3b-instruct", "Q8_0"},
      {"Qwen3-Coder-30B-A3B-Instruct-UD-Q4_K_XL-00002-of-00002.gguf", "qwen3-coder-30b-a3b-instruct",
       gguf_quant("UD-Q4_K_XL")},
      {"Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", "llama-3.1-8b-instruct", "Q4_K_M"},
      {"mistral-7b-instruct-v0.3.Q4_K_M.gguf", "mistral-7b-instruct-v0.3", "Q4_K_M"},
      {"gpt-oss-20b-mxfp4.gguf", "gpt-oss-20b", gguf_quant("mxfp4")},
      {"openai_gpt-oss-20b-Q4_K_M.gguf", "gpt-oss-20b", "Q4_K_M"},
      {"lmstudio-community/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf", "qwen3-8b", "Q4_K_M"},  // LM Studio's model path
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const ModelName m = named(c.name);
    CHECK(id_of(m) == c.id);
    CHECK(m.quant == c.quant);
    CHECK(m.format == "gguf");
    CHECK(m.form == NameForm::gguf_file);
  }
  CHECK(named("Qwen3-8B-UD-Q4_K_XL.gguf").reduced == "Qwen3-8B");
  // Paths are paths: the model file stage reads them.
  for (const char* n : {"./Qwen3-8B-Q4_K_M.gguf", "/models/Qwen3-8B-Q4_K_M.gguf", "~/Qwen3-8B-Q4_K_M.gguf",
                        "a/b/c/Qwen3-8B-Q4_K_M.gguf"}) {
    INFO(n);
    CHECK_FALSE(named(n).match);
  }
  CHECK_FALSE(named("Qwen3-9B-Q4_K_M.gguf").match);  // no Qwen3-9B: not the 8B
  CHECK(named("Qwen3-9B-Q4_K_M.gguf").reduced == "Qwen3-9B");
}

TEST_CASE("model names: LM Studio keys and aliases under the model's own org", "[model_name]") {
  CHECK(id_of(named("qwen/qwen3-8b")) == "qwen3-8b");
  CHECK(id_of(named("openai/gpt-oss-20b")) == "gpt-oss-20b");
  CHECK(id_of(named("google/gemma-3-4b")) == "gemma-3-4b-it");  // the alias gemma-3-4b, Google's own org
  CHECK(named("google/gemma-3-4b").form == NameForm::repo_id);
  CHECK_FALSE(named("someone/gemma-3-4b").match);  // another org's repo may be a fine-tune
  CHECK(id_of(named("google/gemma-3-12b-it-qat-q4_0-unquantized")) == "gemma-3-12b-it");  // QAT weights, same shapes
}

TEST_CASE("model names: a different size or family is never matched", "[model_name]") {
  for (const char* n : {"mlx-community/Qwen3-9B-4bit", "unsloth/Qwen3-9B-GGUF", "Qwen/Qwen3-9B", "qwen3:9b",
                        "mlx-community/Qwen3-8B-Chat-4bit", "unsloth/gpt-oss-21b-GGUF", "unsloth/Qwen3-8B-GGUF:nonsense",
                        "mlx-community/-4bit", "-GGUF", "", ":", "/", "a/", "hf.co/"}) {
    INFO(n);
    CHECK_FALSE(named(n).match);
  }
  CHECK(named("mlx-community/Qwen3-9B-4bit").reduced == "Qwen3-9B");
}

TEST_CASE("spelling keys: case, punctuation, org and -instruct aside, every number kept", "[model_name]") {
  const std::string k = spelling_key("qwen3-8b");
  for (const char* n : {"Qwen3 8B Instruct", "qwen-3-8b", "Qwen/Qwen3-8B", "QWEN3_8B", "qwen3-8b-chat"}) CHECK(spelling_key(n) == k);
  for (const char* n : {"qwen3-14b", "qwen3.5-8b", "qwen2.5-8b", "qwen3-0.8b", "qwen3-8b-coder", "qwen38b"}) {
    INFO(n);
    CHECK(spelling_key(n) != k);
  }
  CHECK(spelling_key("Meta-Llama-3.1-8B-Instruct") == spelling_key("llama-3.1-8b-instruct"));
  CHECK(spelling_key("llama3.1-8b") == spelling_key("llama-3.1-8b-instruct"));
  CHECK(spelling_key("deepseekcoder-v2-lite") == spelling_key("deepseek-coder-v2-lite-instruct"));
  CHECK(spelling_key("deepseek-coder-v2-7b") != spelling_key("deepseek-coder-v2-lite-instruct"));
  CHECK(spelling_key("gpt-oss:120b") != spelling_key("gpt-oss-20b"));
  CHECK(spelling_key("mixtral-7b") != spelling_key("mistral-7b"));
  CHECK(spelling_key("qwen3-30b-a3b") != spelling_key("qwen3-30b"));
  CHECK(spelling_key("mixtral-8x7b") != spelling_key("mixtral-8x22b"));
}

TEST_CASE("spells_model: the seed's wrong names are not spellings of the models they map to", "[model_name]") {
  const Catalog& c = Catalog::builtin();
  CHECK_FALSE(spells_model(*c.find("deepseek-v2-lite"), "deepseek-coder-v2-7b"));
  CHECK_FALSE(spells_model(*c.find("qwen3.5-9b"), "qwen3.5-8b"));
  CHECK_FALSE(spells_model(*c.find("qwen2.5-72b-instruct"), "qwen3.5-72b"));
  CHECK(spells_model(*c.find("llama-3.1-8b-instruct"), "Llama 3.1 8B"));
  CHECK(spells_model(*c.find("qwen3-8b"), "qwen3-8b-instruct"));
}

TEST_CASE("routes: the quantization and format a name carries win", "[model_name]") {
  const char* text = R"(hardware: {total_ram_gb: 32, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: Q4_K_M, max_context_tokens: 4096}
routing:
  code: {model: Qwen3-8B-Q8_0.gguf}
  chat: {model: mlx-community/Qwen3-8B-8bit, quantization: 4bit}
  general: {model: bartowski/Qwen_Qwen3-8B-GGUF}
  quick_qa: {model: qwen3:8b-q6_K}
  reasoning: {model: ./no-such-dir/Qwen3-8B-Q8_0.gguf}
)";
  LoadResult loaded = parse_yaml("/nonexistent/config.yaml", text);
  REQUIRE(loaded.ok());
  Analysis a = analyze(loaded.doc);
  const ResolvedRoute& code = *a.route("code")->route;
  REQUIRE(code.model);
  CHECK(code.model->id == "qwen3-8b");
  CHECK(code.format == Format::gguf);  // a GGUF file, whatever preferred_format says
  CHECK(code.quant.label == "Q8_0");
  CHECK(code.file_error.empty());
  const ResolvedRoute& chat = *a.route("chat")->route;
  CHECK(chat.format == Format::mlx);
  CHECK(chat.quant.label == "MLX 8-bit, group 64");  // the name's 8bit over the route's 4bit
  CHECK(chat.name_quant == "8bit");
  const ResolvedRoute& general = *a.route("general")->route;
  CHECK(general.format == Format::gguf);
  CHECK(general.quant.label == "Q4_K_M");  // a repo of many files: inference's quantization
  CHECK(general.name_quant.empty());
  const ResolvedRoute& qa = *a.route("quick_qa")->route;
  CHECK(qa.model->id == "qwen3-8b");
  CHECK(qa.format == Format::gguf);  // qwen3:8b is one of the model's Ollama tags: Ollama runs GGUF
  CHECK(qa.quant_name == "Q6_K");
  const ResolvedRoute& reasoning = *a.route("reasoning")->route;
  CHECK_FALSE(reasoning.model);  // a path stays a path: LI042 says it is missing
  CHECK_FALSE(reasoning.file_error.empty());
}

TEST_CASE("model names: words with spaces, QAT weights and DWQ conversions", "[model_name]") {
  // Written as words, as a model card's title: the words joined by dashes, an exact catalog name.
  CHECK(id_of(named("Llama 3.1 8B Instruct")) == "llama-3.1-8b-instruct");
  CHECK(named("Llama 3.1 8B Instruct").reduced == "Llama 3.1 8B Instruct");
  CHECK(id_of(named("Qwen3 8B")) == "qwen3-8b");
  CHECK(id_of(named("Qwen3  14B ")) == "qwen3-14b");
  CHECK_FALSE(named("Qwen3 9B").match);  // no Qwen3-9B: never the 8B
  // Quantization-aware trained Gemma 3: the model's own shapes, in every name form.
  const ModelName mlx = named("mlx-community/gemma-3-27b-it-qat-4bit");
  CHECK(id_of(mlx) == "gemma-3-27b-it");
  CHECK(mlx.form == NameForm::mlx_conversion);
  CHECK(mlx.quant == mlx_quant("4bit"));
  const ModelName file = named("gemma-3-4b-it-qat-Q4_0.gguf");
  CHECK(id_of(file) == "gemma-3-4b-it");
  CHECK(file.quant == gguf_quant("Q4_0"));
  CHECK(id_of(named("gemma3:12b-it-qat")) == "gemma-3-12b-it");
  CHECK(named("gemma3:12b-it-qat").form == NameForm::ollama_tag);
  // mlx-community's DWQ repos are mlx-lm's affine format at the bits the name gives.
  for (const char* n : {"mlx-community/Qwen3-14B-4bit-DWQ", "mlx-community/Qwen3-14B-4bit-DWQ-053125"}) {
    INFO(n);
    const ModelName m = named(n);
    CHECK(id_of(m) == "qwen3-14b");
    CHECK(m.form == NameForm::mlx_conversion);
    CHECK(m.format == "mlx");
    CHECK(m.quant == mlx_quant("4bit"));
    CHECK(m.reduced == "Qwen3-14B");
  }
  CHECK_FALSE(named("mlx-community/Qwen3-9B-4bit-DWQ").match);
}

TEST_CASE("model names: Ollama library tags the catalog lists (llmfit's mapping)", "[model_name]") {
  CHECK(id_of(named("gemma2:2b")) == "gemma-2-2b-it");
  CHECK(id_of(named("qwen2.5:32b")) == "qwen2.5-32b-instruct");
  CHECK(id_of(named("smollm2:1.7b")) == "smollm2-1.7b-instruct");
  CHECK(id_of(named("smollm2:135m")) == "smollm2-135m-instruct");
  const ModelName m = named("mistral:7b-instruct-v0.3-q4_K_M");
  CHECK(id_of(m) == "mistral-7b-instruct-v0.3");
  CHECK(m.form == NameForm::ollama_tag);
  CHECK(m.quant == gguf_quant("Q4_K_M"));
  CHECK_FALSE(named("qwen2.5:14b").match);  // llmfit maps it to the Instruct model, which the catalog does not hold
}

TEST_CASE("model names: the Ollama tags of Gemma 3 4B, Phi-4 and Qwen3 sizes, bare and sized", "[model_name]") {
  // Each is one of the model's own Ollama tags: a GGUF file Ollama serves.
  const std::pair<const char*, const char*> tags[] = {
      {"gemma3:4b", "gemma-3-4b-it"},     {"phi4:14b", "phi-4"},      {"qwen3:30b", "qwen3-30b-a3b"},
      {"qwen3:30b-a3b", "qwen3-30b-a3b"}, {"qwen3:4b", "qwen3-4b"},   {"qwen3:1.7b", "qwen3-1.7b"},
      {"qwen3:235b", "qwen3-235b-a22b"},
  };
  for (const auto& [tag, id] : tags) {
    INFO(tag);
    const ModelName m = named(tag);
    CHECK(id_of(m) == id);
    CHECK(m.form == NameForm::ollama_tag);
    CHECK(m.format == "gguf");
  }
  // The bare library name is the README's model (Gemma 3 4B, Phi 4 14B), and so is `:latest`.
  for (const auto& [bare, id] : {std::pair{"gemma3", "gemma-3-4b-it"}, std::pair{"phi4", "phi-4"}}) {
    INFO(bare);
    CHECK(id_of(named(bare)) == id);
    CHECK(named(bare).format == "gguf");
    CHECK(id_of(named(std::string(bare) + ":latest")) == id);
  }
  const ModelName q8 = named("phi4:14b-q8_0");
  CHECK(id_of(q8) == "phi-4");
  CHECK(q8.quant == gguf_quant("Q8_0"));
  // Sizes the library does not list for these models stay unknown: never the nearest size.
  for (const char* n : {"gemma3:2b", "phi4:7b", "qwen3:30b-a6b", "qwen3:3b"}) {
    INFO(n);
    CHECK_FALSE(named(n).match);
  }
}
