// Routes whose model is a path: the file's header replaces the catalog, weights are exact bytes.
#include <catch2/catch.hpp>

#include "estimate/analysis.h"
#include "modelfile/load_model.h"

using namespace planner;

namespace {
const char* kConfig = R"(hardware: {total_ram_gb: 16, architecture: linux_nvidia}
inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 1024}
routing:
  quick_qa: {model: ./gguf-hostile/tiny-valid.gguf, format: MLX}
  code: {model: ./gguf-hostile/truncated-data.gguf}
)";
}  // namespace

TEST_CASE("A route naming a GGUF file is sized from the file") {
  const std::string dir = std::string(PLANNER_SOURCE_DIR) + "/tests/data";
  LoadResult loaded = parse_yaml(dir + "/config.yaml", kConfig);
  REQUIRE(loaded.ok());
  Analysis a = analyze(loaded.doc);
  const RouteAnalysis* qa = a.route("quick_qa");
  REQUIRE(qa != nullptr);
  REQUIRE(qa->route->file != nullptr);
  CHECK(qa->route->format == Format::gguf);  // the file decides the runtime, not `format: MLX`
  REQUIRE(qa->memory);
  CHECK(qa->memory->weights_bytes == static_cast<double>(qa->route->file->weights_bytes));
  CHECK(qa->route->model->layers == 2);
  CHECK(qa->route->quant.label == "Q8_0");

  const RouteAnalysis* code = a.route("code");
  REQUIRE(code != nullptr);
  CHECK(code->route->model == nullptr);
  CHECK(code->route->file_error.find("truncated model file") != std::string::npos);
  CHECK_FALSE(code->memory);
}

TEST_CASE("Which model values are paths") {
  CHECK(looks_like_model_path("./m.gguf"));
  CHECK(looks_like_model_path("models/m.gguf"));
  CHECK(looks_like_model_path("/abs/Qwen3-8B-4bit"));
  CHECK(looks_like_model_path("~/models/x"));
  CHECK_FALSE(looks_like_model_path("Qwen/Qwen3-8B"));  // a Hugging Face repo id
  CHECK_FALSE(looks_like_model_path("llama3.1-8b"));
}
