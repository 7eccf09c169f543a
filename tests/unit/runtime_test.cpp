// The runtime layer: the registry, what each descriptor states, the schema's enum kept equal to
// the registry, and how a route's runtime is resolved.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "core/embedded.h"
#include "estimate/analysis.h"
#include "launch/plan.h"
#include "runtime/runtime.h"

using namespace planner;

namespace {
Analysis analyze_text(const std::string& text, LoadResult& loaded) {
  loaded = parse_yaml(std::string(PLANNER_SOURCE_DIR) + "/tests/data/config.yaml", text);
  REQUIRE(loaded.ok());
  return analyze(loaded.doc);
}
}  // namespace

TEST_CASE("The registry lists each runtime once, by id", "[runtime]") {
  std::set<std::string_view> ids;
  for (const Runtime* r : all_runtimes()) {
    INFO(r->id);
    CHECK(ids.insert(r->id).second);
    CHECK(find_runtime(r->id) == r);
    CHECK_FALSE(r->name.empty());
    CHECK_FALSE(r->formats.empty());
    // Every fact names where it was read.
    CHECK_FALSE(r->source.empty());
    CHECK_FALSE(r->kv.source.empty());
    CHECK_FALSE(r->overhead.source.empty());
    CHECK_FALSE(r->slots.source.empty());
    CHECK_FALSE(r->defaults.source.empty());
    if (r->launch_steps) CHECK_FALSE(r->launch_source.empty());
  }
  CHECK(ids == std::set<std::string_view>{"mlx-lm", "llama.cpp", "ollama", "lm-studio", "vllm"});
  CHECK(find_runtime("lmstudio") == nullptr);
  CHECK(find_runtime("LLAMA.CPP") == nullptr);  // ids are exact, as the schema's enum
}

TEST_CASE("A format's default runtime loads it", "[runtime]") {
  CHECK(default_runtime(Format::mlx).id == "mlx-lm");
  CHECK(default_runtime(Format::gguf).id == "llama.cpp");
  CHECK(default_runtime(Format::safetensors).id == "vllm");
  for (Format f : {Format::mlx, Format::gguf, Format::safetensors}) CHECK(default_runtime(f).loads(f));
  CHECK_FALSE(find_runtime("vllm")->loads(Format::gguf));
  CHECK_FALSE(find_runtime("mlx-lm")->loads(Format::gguf));
  CHECK_FALSE(find_runtime("llama.cpp")->loads(Format::mlx));
}

TEST_CASE("The engines' KV rules as planner has always applied them", "[runtime]") {
  const Runtime& llama = *find_runtime("llama.cpp");
  const Runtime& mlx = *find_runtime("mlx-lm");
  CHECK(llama.kv.cell_step == 256);
  CHECK(mlx.kv.cell_step == 256);
  CHECK(llama.kv.window_adds_ubatch);
  CHECK(llama.defaults.ubatch == 512);
  CHECK_FALSE(mlx.kv.window_adds_ubatch);
  CHECK(llama.kv.mla_latent);
  CHECK_FALSE(mlx.kv.mla_latent);
  CHECK(llama.defaults.flash_attention);
  CHECK(mlx.defaults.prefill_step == 2048);
  CHECK(mlx.warns_near_wired_limit);
  CHECK_FALSE(llama.warns_near_wired_limit);
  CHECK(llama.slots.default_slots == 4);
  CHECK(llama.slots.preallocated);
  CHECK(llama.slots.default_unified);
  CHECK_FALSE(mlx.slots.preallocated);
  CHECK_FALSE(mlx.slots.can_unify);
}

TEST_CASE("The schema's runtime enum is the registry's ids, in its order", "[runtime]") {
  const auto schema = nlohmann::json::parse(embedded::schema_json());
  const auto& e = schema.at("definitions").at("route").at("properties").at("runtime").at("enum");
  std::vector<std::string> ids;
  for (const Runtime* r : all_runtimes()) ids.emplace_back(r->id);
  CHECK(e.get<std::vector<std::string>>() == ids);
}

TEST_CASE("docs/format.md documents every runtime id", "[runtime]") {
  std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/docs/format.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const Runtime* r : all_runtimes()) CHECK(text.str().find(fmt::format("`{}`", r->id)) != std::string::npos);
}

TEST_CASE("A route's runtime: its own, else its format's", "[runtime]") {
  LoadResult loaded;
  const Analysis a = analyze_text(R"(hardware: {total_ram_gb: 32, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: Q4_K_M, max_context_tokens: 4096}
routing:
  plain: {model: qwen2.5-7b-instruct}
  gguf: {model: qwen2.5-7b-instruct, format: GGUF}
  named: {model: qwen2.5-7b-instruct, runtime: llama.cpp}
  both: {model: qwen2.5-7b-instruct, format: GGUF, runtime: llama.cpp}
  wrong: {model: qwen2.5-7b-instruct, format: GGUF, runtime: mlx-lm}
  file: {model: ./gguf-hostile/tiny-valid.gguf, runtime: mlx-lm}
)",
                                  loaded);
  auto route = [&](const char* name) -> const ResolvedRoute& {
    const ResolvedRoute* r = a.resolution.route(name);
    REQUIRE(r != nullptr);
    REQUIRE(r->runtime != nullptr);
    return *r;
  };
  CHECK(route("plain").runtime->id == "mlx-lm");
  CHECK(route("gguf").runtime->id == "llama.cpp");
  // A runtime and no format: the format is one the runtime loads, not preferred_format.
  CHECK(route("named").format == Format::gguf);
  CHECK(route("named").runtime->id == "llama.cpp");
  CHECK(route("both").runtime->id == "llama.cpp");
  // A runtime that cannot load the format (LI026): the route is checked on the format's runtime.
  CHECK(route("wrong").format == Format::gguf);
  CHECK(route("wrong").runtime->id == "llama.cpp");
  CHECK(route("file").format == Format::gguf);
  CHECK(route("file").runtime->id == "llama.cpp");
  // The same model on the same runtime gets the same estimate, whatever the route says.
  const RouteAnalysis* gguf = a.route("gguf");
  const RouteAnalysis* named = a.route("named");
  REQUIRE(gguf->memory);
  REQUIRE(named->memory);
  CHECK(gguf->memory->total() == named->memory->total());
  CHECK(a.route("plain")->memory->total() != gguf->memory->total());
}

TEST_CASE("A descriptor copy is a what-if: exact cells", "[runtime]") {
  ModelInfo m;
  m.layers = 2;
  m.kv_heads = 1;
  m.head_dim = 1;
  Runtime exact = *find_runtime("llama.cpp");
  exact.kv.cell_step = 1;
  CHECK(kv_cache_bytes(m, exact, 1000, 1.0) == 2.0 * 2 * 1000);
  CHECK(kv_cache_bytes(m, *find_runtime("llama.cpp"), 1000, 1.0) == 2.0 * 2 * 1024);
}

TEST_CASE("Launch steps come from the route's runtime", "[runtime]") {
  LoadResult loaded;
  const Analysis a = analyze_text(R"(hardware: {total_ram_gb: 32, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: Q4_K_M, max_context_tokens: 4096}
routing:
  mac: {model: qwen2.5-7b-instruct}
  gguf: {model: qwen2.5-7b-instruct, runtime: llama.cpp}
)",
                                  loaded);
  const LaunchPlan plan = plan_launch(a);
  REQUIRE(plan.routes.size() == 2);
  const RouteLaunch& mac = plan.routes[0];
  const RouteLaunch& gguf = plan.routes[1];
  REQUIRE(mac.runtime != nullptr);
  REQUIRE(gguf.runtime != nullptr);
  CHECK(mac.runtime->id == "mlx-lm");
  CHECK(gguf.runtime->id == "llama.cpp");
  REQUIRE_FALSE(mac.steps.empty());
  REQUIRE_FALSE(gguf.steps.empty());
  CHECK(mac.steps.back().argv.front().text == "mlx_lm.server");
  CHECK(gguf.steps.back().argv.front().text == "llama-server");
  CHECK(gguf.why.find(" on llama.cpp (Q4_K_M), 4096 tokens") != std::string::npos);
}

TEST_CASE("Ollama: llama.cpp's cache, its own context tiers and one slot", "[runtime][ollama]") {
  const Runtime& o = *find_runtime("ollama");
  const Runtime& llama = *find_runtime("llama.cpp");
  CHECK(o.loads(Format::gguf));
  CHECK_FALSE(o.loads(Format::mlx));
  // Its llama-server lays the cache out: the same rules, stated once (runtime/llama_cpp.cpp).
  CHECK(o.kv.cell_step == llama.kv.cell_step);
  CHECK(o.kv.window_adds_ubatch == llama.kv.window_adds_ubatch);
  CHECK(o.kv.mla_latent == llama.kv.mla_latent);
  CHECK(o.kv.source == llama.kv.source);
  CHECK(&o.memory_rules(Format::gguf) == &o);
  // num_ctx by the VRAM of all GPUs: 4096 below 23 GiB, 32768 from 23, 262144 from 47 (routes.go:2048-2058).
  constexpr double GiB = 1024.0 * 1024.0 * 1024.0;
  CHECK(engine_default_context(o, 0, 0) == 4096);
  CHECK(engine_default_context(o, 16 * GiB, 0) == 4096);
  CHECK(engine_default_context(o, 22.9 * GiB, 0) == 4096);
  CHECK(engine_default_context(o, 23 * GiB, 0) == 32768);
  CHECK(engine_default_context(o, 24 * GiB, 0) == 32768);
  CHECK(engine_default_context(o, 46.9 * GiB, 0) == 32768);
  CHECK(engine_default_context(o, 47 * GiB, 0) == 262144);
  CHECK(engine_default_context(o, 80 * GiB, 0) == 262144);
  // Capped at the trained context (llm/server.go:112-116); a model that states none is not capped.
  CHECK(engine_default_context(o, 80 * GiB, 131072) == 131072);
  CHECK(engine_default_context(o, 80 * GiB, 8192) == 8192);
  CHECK(engine_default_context(o, 16 * GiB, 8192) == 4096);
  // The other engines pick no context of their own.
  CHECK(engine_default_context(llama, 80 * GiB, 0) == 0);
  // OLLAMA_NUM_PARALLEL: 1 by default, as asked otherwise, 1 for the listed architectures.
  CHECK(o.slots.default_slots == 1);
  CHECK(o.slots.preallocated);
  CHECK_FALSE(o.slots.default_unified);  // -c num_ctx x parallel -np parallel, no --kv-unified
  CHECK_FALSE(o.slots.can_unify);
  CHECK(engine_slots(o, "llama", 0) == 1);
  CHECK(engine_slots(o, "llama", 4) == 4);
  CHECK(engine_slots(o, "qwen3_5", 4) == 1);     // planner's family name, Ollama's qwen35
  CHECK(engine_slots(o, "qwen3next", 4) == 1);
  CHECK(engine_slots(o, "nemotron_h", 2) == 1);
  CHECK(engine_slots(o, "qwen3", 4) == 4);
  CHECK(engine_slots(llama, "qwen3_5", 0) == 4);  // llama-server's own default, and no forced list
}

TEST_CASE("LM Studio: each format on its engine's rules", "[runtime][lm-studio]") {
  const Runtime& lms = *find_runtime("lm-studio");
  CHECK(lms.loads(Format::gguf));
  CHECK(lms.loads(Format::mlx));
  CHECK(&lms.memory_rules(Format::gguf) == find_runtime("llama.cpp"));
  CHECK(&lms.memory_rules(Format::mlx) == find_runtime("mlx-lm"));
  CHECK(engine_default_context(lms, 80.0 * 1024 * 1024 * 1024, 0) == 0);
}

TEST_CASE("Launch steps for Ollama and LM Studio routes", "[runtime][launch]") {
  LoadResult loaded;
  const Analysis a = analyze_text(R"(hardware: {total_ram_gb: 64, architecture: linux_nvidia, gpu_vram_gb: 24}
inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 8192, kv_cache_type: q8_0}
routing:
  tag: {model: "llama3.2", runtime: ollama}
  none: {model: qwen2.5-7b-instruct, runtime: ollama}
  studio: {model: qwen2.5-7b-instruct, runtime: lm-studio}
)",
                                  loaded);
  const LaunchPlan plan = plan_launch(a);
  REQUIRE(plan.routes.size() == 3);
  const RouteLaunch& tag = plan.routes[0];
  REQUIRE(tag.skipped.empty());
  CHECK(tag.runtime->id == "ollama");
  CHECK(tag.port == 11434);
  CHECK_FALSE(tag.not_scripted.empty());
  REQUIRE(tag.steps.size() == 5);
  CHECK(render_step(tag.steps[0]) ==
        "mkdir -p models/tag && printf '%s\\n' 'FROM llama3.2' 'PARAMETER num_ctx 8192' >models/tag/Modelfile");
  CHECK(render_step(tag.steps[1]) == "env OLLAMA_KV_CACHE_TYPE=q8_0 ollama serve");
  CHECK(render_step(tag.steps[2]) == "ollama pull llama3.2");
  CHECK(render_step(tag.steps[3]) == "ollama create tag -f models/tag/Modelfile");
  CHECK(render_step(tag.steps[4]) == "ollama run tag ''");
  // No tag of the route's quantization in the catalog: skipped, saying what to write.
  CHECK(plan.routes[1].skipped.find("no Ollama tag of Q4_K_M in the catalog") != std::string::npos);
  const RouteLaunch& studio = plan.routes[2];
  REQUIRE(studio.skipped.empty());
  REQUIRE(studio.steps.size() == 4);
  CHECK(render_step(studio.steps[0]).rfind("lms get --yes --gguf https://huggingface.co/", 0) == 0);
  CHECK(render_step(studio.steps[1]) == "lms server start --port 8082 --bind 127.0.0.1");
  CHECK(render_step(studio.steps[2]).find(" --estimate-only --context-length 8192 --gpu max --yes") !=
        std::string::npos);
  CHECK(render_step(studio.steps[3]).find(" --context-length 8192 --gpu max --identifier studio --yes") !=
        std::string::npos);
}

TEST_CASE("A model named by an Ollama tag runs on Ollama unless the route names a runtime", "[runtime][ollama]") {
  LoadResult loaded;
  const Analysis a = analyze_text(R"(hardware: {total_ram_gb: 64, architecture: linux_nvidia, gpu_vram_gb: 24}
inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 8192}
routing:
  bare: {model: "llama3.2"}
  latest: {model: "llama3.2:latest"}
  sized: {model: "llama3.2:1b"}
  told: {model: "llama3.2", runtime: llama.cpp}
  alias: {model: "qwen2.5:7b"}
  plain: {model: qwen2.5-7b-instruct}
)",
                                  loaded);
  auto runtime = [&](const char* name) {
    const ResolvedRoute* r = a.resolution.route(name);
    REQUIRE(r != nullptr);
    REQUIRE(r->runtime != nullptr);
    return std::string(r->runtime->id);
  };
  CHECK(runtime("bare") == "ollama");
  CHECK(runtime("latest") == "ollama");
  CHECK(runtime("sized") == "ollama");
  CHECK(runtime("told") == "llama.cpp");
  CHECK(runtime("alias") == "llama.cpp");  // an alias that only looks like a tag is not the library's
  CHECK(runtime("plain") == "llama.cpp");
  // Ollama's KV cache is llama.cpp's, one slot of its own context: same bytes as llama.cpp with -np 1.
  REQUIRE(a.route("bare")->memory);
  CHECK(a.resolution.route("bare")->serving.slots == 1);
  CHECK_FALSE(a.resolution.route("bare")->serving.kv_unified);
}

TEST_CASE("Ollama's own context when the config states none: by VRAM, capped at the trained context",
          "[runtime][ollama]") {
  LoadResult loaded;
  const Analysis big = analyze_text(R"(hardware: {total_ram_gb: 64, architecture: linux_nvidia, gpu_vram_gb: 24}
inference: {preferred_format: GGUF, quantization: Q4_K_M}
routing:
  o: {model: "llama3.2"}
  l: {model: "llama3.2", runtime: llama.cpp}
)",
                                    loaded);
  CHECK(big.resolution.route("o")->context == 32768);  // 24 GiB: the 23 GiB tier
  CHECK(big.resolution.route("l")->context == kDefaultRouteContext);
  LoadResult loaded2;
  const Analysis small = analyze_text(R"(hardware: {total_ram_gb: 64, architecture: linux_nvidia, gpu_vram_gb: 12}
inference: {preferred_format: GGUF, quantization: Q4_K_M}
routing:
  o: {model: "llama3.2"}
)",
                                      loaded2);
  CHECK(small.resolution.route("o")->context == 4096);
}
