// The validate stage: schema violations and unknown keys, with locations and suggestions.
#include <catch2/catch.hpp>

#include "validate/schema_check.h"

using namespace planner;

namespace {
const char* kValid = R"(hardware:
  total_ram_gb: 16
  architecture: apple_silicon
inference:
  preferred_format: MLX
  quantization: Q4_K_M
  max_context_tokens: 8192
routing:
  code:
    model: qwen2.5-coder-7b-instruct
)";

std::vector<Diagnostic> check(const std::string& text) {
  LoadResult r = parse_yaml("t.yaml", text);
  REQUIRE(r.ok());
  return check_schema(r.doc);
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("A valid config has no schema diagnostics") { CHECK(check(kValid).empty()); }

TEST_CASE("Wrong types name the expected and actual type at the value") {
  auto d = check(replace(kValid, "total_ram_gb: 16", "total_ram_gb: \"16\""));
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "LI002");
  CHECK(d[0].path == "hardware.total_ram_gb");
  CHECK(d[0].line == 2);
  CHECK(d[0].column == 17);
  CHECK(d[0].message.find("expected a number") != std::string::npos);
  CHECK(d[0].message.find("quoted string") != std::string::npos);
}

TEST_CASE("Enums suggest the nearest value") {
  auto d = check(replace(kValid, "preferred_format: MLX", "preferred_format: mlx"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("did you mean 'MLX'") != std::string::npos);
}

TEST_CASE("Ranges are enforced") {
  auto d = check(replace(kValid, "total_ram_gb: 16", "total_ram_gb: -4"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("greater than 0") != std::string::npos);
}

TEST_CASE("Missing required keys are reported once, at the enclosing key") {
  auto d = check(replace(kValid, "    model: qwen2.5-coder-7b-instruct\n", "    min_ram_gb: 8\n"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "missing required key 'model' in 'routing.code'");
  CHECK(d[0].line == 9);
}

TEST_CASE("Unknown keys: LI003 with the nearest key and a safe rename fix") {
  std::string text = replace(kValid, "max_context_tokens", "max_context_token");
  auto d = check(text);
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "LI003");
  CHECK(d[0].message.find("did you mean 'max_context_tokens'") != std::string::npos);
  REQUIRE(d[0].fix);
  CHECK(d[0].fix->safety == FixSafety::safe);
  const auto& e = d[0].fix->edits.at(0);
  CHECK(text.substr(e.begin, e.end - e.begin) == "max_context_token");
  CHECK(e.text == "max_context_tokens");
}

TEST_CASE("Unknown keys inside routes and at the top level") {
  auto d = check(std::string(kValid) + "    formt: MLX\nmonitorin: {}\n");
  REQUIRE(d.size() == 2);
  CHECK(d[0].path == "routing.code.formt");
  CHECK(d[0].message.find("'format'") != std::string::npos);
  CHECK(d[1].message.find("'monitoring'") != std::string::npos);
}

TEST_CASE("A scalar or list at the top level is one clear error") {
  LoadResult r = parse_yaml("t.yaml", "- a\n- b\n");
  REQUIRE(r.ok());
  auto d = check_schema(r.doc);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("must be a mapping") != std::string::npos);
}
