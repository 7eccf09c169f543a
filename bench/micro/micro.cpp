// Micro-benchmarks (Google Benchmark) of the stages one `planner check` or `planner inspect` runs,
// in process, without fork+exec: what each costs once warm, and what a fresh process pays once
// (the embedded schema and data tables). bench/README.md explains how to build and read them.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>

#include <climits>

#include "check/check.h"
#include "estimate/gguf_recipe.h"
#include "estimate/memory.h"
#include "modelfile/hf_config.h"
#include "support/runtimes.h"
#include "core/embedded.h"
#include "load/document.h"
#include "modelfile/gguf.h"
#include "resolve/catalog.h"
#include "resolve/hardware.h"
#include "resolve/quant.h"
#include "support/gguf_models.h"
#include "validate/schema_check.h"

namespace {

const std::string& seed_text() {
  static const std::string text = [] {
    std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/examples/seed/local-inference-config.yaml",
                     std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  return text;
}

// Steady state: the stages of a check on the seed template, tables already loaded.

void BM_LoadYaml(benchmark::State& state) {
  for (auto _ : state) {
    auto r = planner::parse_yaml("seed.yaml", seed_text());
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * seed_text().size()));
}
BENCHMARK(BM_LoadYaml);

void BM_SchemaValidate(benchmark::State& state) {
  auto loaded = planner::parse_yaml("seed.yaml", seed_text());
  if (!loaded.ok()) state.SkipWithError("the seed does not load");
  benchmark::DoNotOptimize(planner::check_schema(loaded.doc));  // compiles the schema once
  for (auto _ : state) {
    auto d = planner::check_schema(loaded.doc);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_SchemaValidate);

void BM_CheckText(benchmark::State& state) {  // load + schema + resolve + estimate + every rule
  benchmark::DoNotOptimize(planner::check_text("seed.yaml", seed_text()));
  for (auto _ : state) {
    auto r = planner::check_text("seed.yaml", seed_text());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_CheckText);

// The header of gemma-2-9b with its 256,000-entry vocabulary (~3 MB), from memory. Without the
// 5 GB of tensor data the reader parses every key and tensor info, then reports the file as
// truncated: that last check is the only thing it does not get past.
void BM_GgufHeader256kVocab(benchmark::State& state) {
  const std::string header = planner::testing::gemma2_9b().header();
  for (auto _ : state) {
    auto r = planner::gguf::read_bytes(header);
    if (r.error.find("truncated") == std::string::npos) state.SkipWithError("header did not parse to the end");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * header.size()));
}
BENCHMARK(BM_GgufHeader256kVocab)->Unit(benchmark::kMicrosecond);

// Paid once per process: parsing what is embedded in the binary.

void BM_OnceSchemaCompile(benchmark::State& state) {
  for (auto _ : state) {
    auto doc = nlohmann::json::parse(planner::embedded::schema_json());
    valijson::Schema schema;
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    parser.populateSchema(adapter, schema);
    benchmark::DoNotOptimize(schema);
  }
}
BENCHMARK(BM_OnceSchemaCompile)->Unit(benchmark::kMicrosecond);

// What a check pays for the catalog: a fresh catalog, one name looked up and its record decoded.
void BM_OnceCatalog(benchmark::State& state) {
  for (auto _ : state) {
    planner::Catalog c(planner::catalog_data::records(), planner::catalog_data::names(), planner::embedded::seed_names_json());
    benchmark::DoNotOptimize(c.find("qwen3-8b"));
  }
}
BENCHMARK(BM_OnceCatalog)->Unit(benchmark::kMicrosecond);

void BM_OnceQuantTables(benchmark::State& state) {
  for (auto _ : state) {
    auto q = planner::QuantTables::parse(planner::embedded::quantization_json());
    benchmark::DoNotOptimize(q);
  }
}
BENCHMARK(BM_OnceQuantTables)->Unit(benchmark::kMicrosecond);

void BM_OnceHardwareTables(benchmark::State& state) {
  for (auto _ : state) {
    auto h = planner::HardwareTables::parse(planner::embedded::hardware_json());
    benchmark::DoNotOptimize(h);
  }
}
BENCHMARK(BM_OnceHardwareTables)->Unit(benchmark::kMicrosecond);

// How costs grow with hostile sizes (issue 10's hangs). The unit tests check these inputs' results;
// their cost is measured here, where Google Benchmark fits the growth (BigO in the output):
// linear in the overrides and the tensors, flat in the layer count.

// config.json with N per-module quantization overrides (was quadratic: 250,000 took over 100 s).
void BM_HfConfigOverrides(benchmark::State& state) {
  nlohmann::json j = {{"model_type", "llama"}, {"num_hidden_layers", 32}, {"hidden_size", 4096},
                      {"num_attention_heads", 32}, {"num_key_value_heads", 8}, {"vocab_size", 128256},
                      {"max_position_embeddings", 131072}};
  j["quantization"] = {{"group_size", 64}, {"bits", 4}};
  for (std::int64_t i = 0; i < state.range(0); ++i)
    j["quantization"]["model.layers." + std::to_string(i) + ".mlp"] = {{"bits", 8}};
  const std::string text = j.dump();
  for (auto _ : state) {
    auto c = planner::parse_hf_config(text, "config.json");
    benchmark::DoNotOptimize(c);
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_HfConfigOverrides)->RangeMultiplier(10)->Range(1000, 100000)->Complexity(benchmark::oN)
    ->Unit(benchmark::kMillisecond);

// The estimate and the context that fits, for a model of N layers (was 40 s at INT_MAX).
void BM_EstimateLayers(benchmark::State& state) {
  planner::ModelInfo m;
  m.family = "user";
  m.layers = static_cast<int>(state.range(0));
  m.kv_heads = 8;
  m.attention_heads = 32;
  m.head_dim = 128;
  m.hidden_size = 4096;
  m.vocab = 32000;
  m.params_total = m.params_active = 7e9;
  planner::WeightQuant q;
  q.bpw = 4.5;
  for (auto _ : state) {
    auto e = planner::estimate_memory(m, q, planner::test::llama_cpp(), 4096, 2.0);
    auto fits = planner::max_context_for(m, planner::test::llama_cpp(), 64.0 * (1ULL << 30), 2.0, 1 << 20);
    benchmark::DoNotOptimize(e);
    benchmark::DoNotOptimize(fits);
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_EstimateLayers)->Arg(32)->Arg(1 << 16)->Arg(1 << 24)->Arg(INT_MAX)->Complexity(benchmark::o1)
    ->Unit(benchmark::kMicrosecond);

// The per-tensor GGUF recipe of Llama-3.1-8B's layout with N layers (up to the layer limit,
// ~100,000 tensors at 10,000 layers).
void BM_RecipeLayers(benchmark::State& state) {
  const planner::ModelInfo* base = planner::Catalog::builtin().find("llama-3.1-8b-instruct");
  if (base == nullptr) {
    state.SkipWithError("llama-3.1-8b-instruct is not in the catalog");
    return;
  }
  planner::ModelInfo m = *base;
  m.layers = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto b = planner::gguf_recipe_bytes(m, "Q4_K_M", planner::QuantTables::builtin());
    benchmark::DoNotOptimize(b);
  }
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_RecipeLayers)->RangeMultiplier(10)->Range(10, 10000)->Complexity(benchmark::oN)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
