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

#include "check/check.h"
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

}  // namespace

BENCHMARK_MAIN();
