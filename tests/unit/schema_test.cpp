// The validate stage: schema violations and unknown keys, with locations and suggestions.
#include <catch2/catch.hpp>

#include <cmath>
#include <regex>

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
    model: qwen2.5-7b-instruct
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
  auto d = check(replace(kValid, "    model: qwen2.5-7b-instruct\n", "    min_ram_gb: 8\n"));
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

TEST_CASE("Route names: the schema's pattern, checked without std::regex, as LI002 at the key") {
  auto d = check(replace(kValid, "  code:\n", "  \"code; rm -rf ~\":\n"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == "LI002");
  CHECK(d[0].line == 9);
  CHECK(d[0].column == 3);
  CHECK(d[0].message ==
        "route name 'code; rm -rf ~' is not valid: a letter, then letters, digits, '_' or '-', at most 64 characters");
  CHECK(check(replace(kValid, "  code:\n", "  1code:\n")).size() == 1);
  CHECK(check(replace(kValid, "  code:\n", "  " + std::string(65, 'a') + ":\n")).size() == 1);
  CHECK(check(replace(kValid, "  code:\n", "  " + std::string(64, 'a') + ":\n")).empty());
  CHECK(check(replace(kValid, "  code:\n", "  Code_2-x:\n")).empty());
}

TEST_CASE("is_route_name agrees with the schema's own pattern") {
  const std::regex schema_pattern("^[A-Za-z][A-Za-z0-9_-]*$");  // schema/: routing.propertyNames
  for (std::string name : {"code", "Code_2-x", "a", "1code", "", "-x", "_x", "co de", "code;", "c\xc3\xa9", "x.y",
                           "a\nb", "Z9"}) {
    INFO("route name '" << name << "'");
    CHECK(is_route_name(name) == std::regex_match(name, schema_pattern));
  }
  CHECK(is_route_name(std::string(64, 'a')));
  CHECK_FALSE(is_route_name(std::string(65, 'a')));  // maxLength 64
}

TEST_CASE("Over-long keys and values are errors of their own, and never reach the regex engine") {
  // 30,000 characters: std::regex's recursion overflowed the stack on this route name.
  auto d = check(replace(kValid, "  code:\n", "  ? " + std::string(30000, 'a') + "\n  :\n"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "a key of 30000 bytes in 'routing'; planner reads keys of up to 256 bytes");
  CHECK(d[0].line == 9);
  auto v = check(replace(kValid, "model: qwen2.5-7b-instruct", "model: " + std::string(5000, 'm')));
  REQUIRE(v.size() == 1);
  CHECK(v[0].message == "routing.code.model: a value of 5000 bytes; planner reads values of up to 4096 bytes");
  CHECK(v[0].line == 10);
  CHECK(v[0].column == 12);
  auto q = check(replace(kValid, "quantization: Q4_K_M", "quantization: Q" + std::string(99, 'x')));
  REQUIRE(q.size() == 1);
  CHECK(q[0].message == "inference.quantization: a value of 100 characters, above the maximum of 64");
}

TEST_CASE("Integer ranges: every count a model file or config gives has a maximum") {
  const std::string with_model = std::string(kValid) +
                                 "models:\n  mine:\n    params_b: 7\n    layers: LAYERS\n    kv_heads: 8\n"
                                 "    head_dim: 128\n";
  auto d = check(replace(with_model, "LAYERS", "2147483648"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "models.mine.layers: 2147483648 is above the maximum 1024");
  CHECK(d[0].line == 14);
  CHECK(check(replace(with_model, "LAYERS", "1024")).empty());
  CHECK(within_schema_range("/definitions/user_model", "layers", 1024));
  CHECK_FALSE(within_schema_range("/definitions/user_model", "layers", 1025));
  CHECK_FALSE(within_schema_range("/definitions/user_model", "layers", 0));
  CHECK_FALSE(within_schema_range("/definitions/user_model", "params_b", 0));  // exclusiveMinimum
  CHECK(within_schema_range("/definitions/user_model", "params_b", 0.5));
  CHECK_FALSE(within_schema_range("/definitions/user_model", "params_b", std::nan("")));
  CHECK(within_schema_range("/properties/inference", "max_context_tokens", 16777216));
  CHECK_FALSE(within_schema_range("/properties/inference", "max_context_tokens", 16777217));
  CHECK(within_schema_range("/properties/nowhere", "x", 1e300));  // no schema, no range
}
