// The published schemas (schema/*.schema.json, embedded and installed as they are committed):
// an $id that is the raw URL of this version's tag, a description on every subschema an editor
// can show, each `default` equal to what the code assumes when the key is absent, and the
// completion examples generated from the catalog (docs/schemastore.md).
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/embedded.h"
#include "launch/plan.h"
#include "load/document.h"
#include "model/quant_tables.h"
#include "render/render.h"
#include "resolve/catalog.h"
#include "resolve/config.h"
#include "resolve/name_examples.h"
#include "resolve/quant.h"
#include "resolve/serving.h"
#include "runtime/runtime.h"
#include "runtime/serving.h"
#include "support/launch_plan.h"
#include "validate/schema_check.h"

using namespace planner;
using json = nlohmann::json;

namespace {

const json& config_schema() {
  static const json s = json::parse(embedded::schema_json());
  return s;
}
const json& settings_schema() {
  static const json s = json::parse(embedded::settings_schema_json());
  return s;
}

// Every subschema an editor shows on hover or completion: properties, definitions, the schema of
// free-named keys (additionalProperties) and of array items. A pure $ref is the target's (draft-07
// ignores a $ref's siblings); the target is a definition, walked itself.
void walk(const json& node, const std::string& pointer, std::set<std::string>& visited, std::vector<std::string>& undescribed) {
  auto sub = [&](const json& s, const std::string& p) {
    if (!s.is_object()) return;
    visited.insert(p);
    if (!s.contains("$ref") && !s.contains("description")) undescribed.push_back(p);
    walk(s, p, visited, undescribed);
  };
  for (const char* key : {"properties", "definitions"})
    if (auto it = node.find(key); it != node.end())
      for (const auto& [name, s] : it->items()) sub(s, pointer + "/" + key + "/" + name);
  for (const char* key : {"additionalProperties", "items"})
    if (auto it = node.find(key); it != node.end()) sub(*it, pointer + "/" + key);
}

// The `default` of every subschema, by JSON pointer.
void defaults(const json& node, const std::string& pointer, std::map<std::string, json>& out) {
  if (!node.is_object()) return;
  if (auto d = node.find("default"); d != node.end()) out[pointer] = *d;
  for (const char* key : {"properties", "definitions"})
    if (auto it = node.find(key); it != node.end())
      for (const auto& [name, s] : it->items()) defaults(s, pointer + "/" + key + "/" + name, out);
  for (const char* key : {"additionalProperties", "items"})
    if (auto it = node.find(key); it != node.end()) defaults(*it, pointer + "/" + key, out);
}

std::string repo_path_of_sarif() {
  std::ostringstream out;
  render_sarif(out, {});
  const std::string uri = json::parse(out.str()).at("runs").at(0).at("tool").at("driver").at("informationUri");
  const std::string github = "https://github.com/";
  REQUIRE(uri.rfind(github, 0) == 0);
  return uri.substr(github.size());
}

}  // namespace

TEST_CASE("Each schema's $id is the raw URL of its file at this version's tag") {
  // The repository is the one SARIF names as the tool's home; the version is CMakeLists' project
  // version (PLANNER_VERSION): bumping it without the $id, or the reverse, fails here.
  const std::string base = "https://raw.githubusercontent.com/" + repo_path_of_sarif() + "/v" PLANNER_VERSION "/schema/";
  CHECK(base == "https://raw.githubusercontent.com/planner/planner/v" PLANNER_VERSION "/schema/");
  CHECK(config_schema().at("$id") == base + "local-inference-config.schema.json");
  CHECK(settings_schema().at("$id") == base + "planner-settings.schema.json");
  // The draft ajv-cli is told to use in tests/cli/schema_ajv_test.sh (--spec=draft7).
  CHECK(config_schema().at("$schema") == "http://json-schema.org/draft-07/schema#");
  CHECK(settings_schema().at("$schema") == "http://json-schema.org/draft-07/schema#");
}

TEST_CASE("Every property and subschema of both schemas has a description") {
  for (const json* schema : {&config_schema(), &settings_schema()}) {
    std::set<std::string> visited;
    std::vector<std::string> undescribed;
    REQUIRE(schema->contains("description"));
    walk(*schema, "", visited, undescribed);
    std::string list;
    for (const auto& p : undescribed) list += p + "\n";
    INFO(schema->at("title").get<std::string>() << ": no description at\n" << list);
    CHECK(undescribed.empty());
  }
  // The walk reaches the deepest keys and the array items, not only the top level.
  std::set<std::string> visited;
  std::vector<std::string> ignored;
  walk(config_schema(), "", visited, ignored);
  CHECK(visited.count("/definitions/user_model/properties/mla/properties/v_head_dim") == 1);
  CHECK(visited.count("/definitions/user_model/properties/layer_pattern/properties/full_at/items") == 1);
  CHECK(visited.count("/definitions/route/properties/tensor_split/items") == 1);
  CHECK(visited.count("/properties/routing/additionalProperties") == 1);  // a $ref: the route's
  visited.clear();
  walk(settings_schema(), "", visited, ignored);
  CHECK(visited.count("/properties/per-file-ignores/additionalProperties/items") == 1);
}

TEST_CASE("Each schema default is the value the code assumes when the key is absent") {
  const Config config;  // what resolve/config.cpp starts from before reading a file
  const Serving serving;  // what resolve_serving keeps for a key the route does not state
  const Runtime* vllm = find_runtime("vllm");
  REQUIRE(vllm != nullptr);
  json resident = json::array();
  for (const auto& r : config.resident_routes) resident.push_back(r.value);
  // The run script's log when the config names none (launch/plan.cpp keeps it to itself).
  auto planned = plan_of(R"(hardware: {total_ram_gb: 16, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: 4bit, max_context_tokens: 8192}
routing:
  code: {model: qwen2.5-7b-instruct}
)");
  const std::string route = "/definitions/route/properties/";
  const std::map<std::string, json> code = {
      {"/properties/hardware/properties/os_reserve_percent", config.os_reserve_percent.value},
      {"/properties/inference/properties/kv_cache_reserve_percent", config.kv_cache_reserve_percent.value},
      {"/properties/inference/properties/kv_cache_type", config.kv_cache_type.value},
      {"/properties/inference/properties/resident_routes", resident},
      {route + "gpu_layers", serving.gpu_layers == kAllLayers ? json("all") : json(serving.gpu_layers)},
      {route + "cpu_moe_layers", serving.cpu_moe_layers == kAllLayers ? json("all") : json(serving.cpu_moe_layers)},
      // Unset and auto are one case in resolve_serving (checked below): the engine decides.
      {route + "flash_attention", serving.flash_attention_set ? json(serving.flash_attention ? "on" : "off") : json("auto")},
      {route + "tensor_parallel", serving.tensor_parallel},
      // 0 in Serving: the runtime's own fraction, vLLM's (the only runtime the key is for).
      {route + "gpu_memory_utilization", vllm->defaults.gpu_memory_utilization},
      {route + "split_mode", serving.split_mode == SplitMode::layer ? "layer" : serving.split_mode == SplitMode::row ? "row" : "none"},
      {route + "main_gpu", serving.main_gpu},
      {"/definitions/user_model/properties/layer_pattern/properties/others", LayerPattern{}.others_linear ? "linear" : "sliding"},
      {"/properties/logging/properties/output", planned->plan.log_file},
  };
  std::map<std::string, json> schema;
  defaults(config_schema(), "", schema);
  // Every default the schema states is one of the code's, and every code default is stated.
  for (const auto& [pointer, value] : schema) {
    INFO(pointer);
    REQUIRE(code.count(pointer) == 1);
    CHECK(value == code.at(pointer));
  }
  for (const auto& [pointer, value] : code) {
    INFO(pointer);
    CHECK(schema.count(pointer) == 1);
  }
  CHECK(serving.gpu_memory_utilization == 0);
}

TEST_CASE("flash_attention: auto resolves as an absent key does, on every runtime") {
  const QuantTables& qt = QuantTables::builtin();
  RouteConfig absent, automatic;
  automatic.flash_attention = Located<std::string>{"auto", nullptr};
  for (const Runtime* rt : all_runtimes()) {
    INFO(rt->id);
    const Serving a = resolve_serving(absent, *rt, "f16", qt), b = resolve_serving(automatic, *rt, "f16", qt);
    CHECK(a.flash_attention == b.flash_attention);
    CHECK(a.flash_attention_set == b.flash_attention_set);
  }
}

TEST_CASE("The model and quantization examples are the catalog's and the tables', and only examples") {
  const json& route = config_schema().at("definitions").at("route").at("properties");
  const json& inference = config_schema().at("properties").at("inference").at("properties");
  const std::vector<std::string> models = model_name_examples(Catalog::builtin());
  const std::vector<std::string> quants = quantization_examples(QuantTables::builtin());
  CHECK(models.size() == Catalog::builtin().size());
  CHECK(route.at("model").at("examples") == json(models));
  CHECK(route.at("quantization").at("examples") == json(quants));
  CHECK(inference.at("quantization").at("examples") == json(quants));
  for (const json* s : {&route.at("model"), &route.at("quantization"), &inference.at("quantization")}) CHECK_FALSE(s->contains("enum"));
  // Each example names what planner resolves: a catalog model, a quantization of GGUF or MLX.
  for (const auto& m : models) {
    INFO(m);
    CHECK(Catalog::builtin().find(m) != nullptr);
  }
  for (const auto& q : quants) {
    INFO(q);
    CHECK((resolve_quant(QuantTables::builtin(), q, Format::gguf).known || resolve_quant(QuantTables::builtin(), q, Format::mlx).known));
  }
  // A model the catalog does not have is still a valid name for the schema.
  LoadResult r = parse_yaml("t.yaml", R"(hardware: {total_ram_gb: 16, architecture: apple_silicon}
inference: {preferred_format: GGUF, quantization: Q4_K_NotATable, max_context_tokens: 8192}
routing:
  code: {model: someone/not-in-the-catalog, quantization: 3bit-g32}
)");
  REQUIRE(r.ok());
  CHECK(check_schema(r.doc).empty());
}
