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
  CHECK(ids == std::set<std::string_view>{"mlx-lm", "llama.cpp"});
  CHECK(find_runtime("ollama") == nullptr);  // not yet described
  CHECK(find_runtime("LLAMA.CPP") == nullptr);  // ids are exact, as the schema's enum
}

TEST_CASE("A format's default runtime loads it", "[runtime]") {
  CHECK(default_runtime(Format::mlx).id == "mlx-lm");
  CHECK(default_runtime(Format::gguf).id == "llama.cpp");
  for (Format f : {Format::mlx, Format::gguf}) CHECK(default_runtime(f).loads(f));
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
