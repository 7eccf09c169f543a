// The KV cache formula against what llama.cpp itself allocated (tests/data/llama-cpp-ground-truth.json,
// measured with llama.cpp 0ad4a86 through node-llama-cpp: bench/accuracy/README.md). llama.cpp
// prints MiB with two decimals, so a measured figure is exact to +-5 KiB.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "estimate/memory.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"
#include "support/runtimes.h"

using namespace planner;

TEST_CASE("KV cache bytes equal llama.cpp's own allocation for every measured case") {
  std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/tests/data/llama-cpp-ground-truth.json");
  REQUIRE(in);
  const auto data = nlohmann::json::parse(in);
  const auto& cases = data.at("cases");
  REQUIRE(cases.size() >= 30);
  for (const auto& c : cases) {
    const ModelInfo* m = Catalog::builtin().find(c.at("model").get<std::string>());
    REQUIRE(m != nullptr);
    const KvCacheType* kv = QuantTables::builtin().kv_type(c.at("kv_type").get<std::string>());
    REQUIRE(kv != nullptr);
    const long long ctx = c.at("context").get<long long>();
    const double predicted = kv_cache_bytes(*m, test::llama_cpp(), ctx, kv->bytes_per_element);
    const double measured = c.at("kv_total_bytes").get<double>();
    INFO(m->id << " at " << ctx << " tokens, " << kv->name << ": predicted " << predicted << ", measured " << measured);
    CHECK(std::abs(predicted - measured) <= 5 * 1024 * 2);  // two MiB figures (K and V), each +-5 KiB
  }
}
