// The resolve stage reads numbers only inside the schema's ranges: a value the schema rejected is
// never computed with, so it can neither wrap (4294967297 layers read as 1) nor drive a loop.
#include <catch2/catch.hpp>

#include <string>

#include "load/document.h"
#include "resolve/config.h"

using namespace planner;

namespace {
Config config_with(const std::string& user_model, const std::string& context = "8192") {
  const std::string text = "hardware: {total_ram_gb: 32}\ninference: {preferred_format: GGUF, quantization: Q4_K_M, "
                           "max_context_tokens: " +
                           context + "}\nrouting: {code: {model: mine}}\nmodels:\n  mine: {" + user_model + "}\n";
  LoadResult r = parse_yaml("t.yaml", text);
  REQUIRE(r.ok());
  return read_config(r.doc);
}
}  // namespace

TEST_CASE("Out-of-range integers are absent after resolve, never truncated or wrapped") {
  for (const char* layers : {"2147483648", "4294967297", "2147483647", "1025", "0", "-32"}) {
    INFO("layers: " << layers);
    Config c = config_with(std::string("params_b: 7, layers: ") + layers + ", kv_heads: 8, head_dim: 128");
    CHECK(c.user_models.empty());
  }
  Config ok = config_with("params_b: 7, layers: 1024, kv_heads: 8, head_dim: 128");
  REQUIRE(ok.user_models.size() == 1);
  CHECK(ok.user_models[0].layers == 1024);
  CHECK(config_with("params_b: 7, layers: 32, kv_heads: 4294967297, head_dim: 128").user_models.empty());
  CHECK(config_with("params_b: 1e300, layers: 32, kv_heads: 8, head_dim: 128").user_models.empty());
  // Optional fields out of range are dropped alone.
  Config v = config_with("params_b: 7, layers: 32, kv_heads: 8, head_dim: 128, vocab: 4294967296");
  REQUIRE(v.user_models.size() == 1);
  CHECK(v.user_models[0].vocab == 0);
  CHECK_FALSE(config_with("params_b: 7, layers: 32, kv_heads: 8, head_dim: 128", "16777217").max_context_tokens);
  CHECK(config_with("params_b: 7, layers: 32, kv_heads: 8, head_dim: 128", "16777216").max_context_tokens->value ==
        16777216);
}
