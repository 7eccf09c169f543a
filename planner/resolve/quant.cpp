#include "resolve/quant.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>


#include "core/embedded.h"
#include "core/json_get.h"
#include "core/text.h"

namespace planner {

namespace {
bool same(std::string_view a, std::string_view b) { return to_lower(a) == to_lower(b); }
}  // namespace

QuantTables QuantTables::parse(std::string_view text) {
  using nlohmann::json;
  QuantTables q;
  const json root = json::parse(text);
  for (const auto& t : json_list(root, "gguf_types"))
    q.types_.push_back({t.at("name").get<std::string>(), json_get<int>(t, "block_elems", 0), json_get<int>(t, "block_bytes", 0),
                        json_get<int>(t, "ggml_id", -1)});
  for (const auto& r : json_list(root, "gguf_recipes"))
    q.recipes_.push_back({r.at("name").get<std::string>(), json_get<std::string>(r, "base_type", ""),
                          json_get<int>(r, "bits_class", 0),
                          // whole-file figure where measured, else the base type's nominal bits
                          json_get<double>(r, "typical_bpw", json_get<double>(r, "nominal_bpw", 0.0))});
  for (const auto& k : json_list(root, "kv_cache_types")) {
    KvCacheType kv{k.at("name").get<std::string>(), json_get<double>(k, "bytes_per_element", 2.0), false};
    kv.quantized = kv.name.rfind("q", 0) == 0 || kv.name.rfind("iq", 0) == 0;
    q.kv_.push_back(kv);
  }
  for (const auto& p : json_list(root, "task_policy"))
    q.policy_.push_back({p.at("task").get<std::string>(), json_get<int>(p, "min_bits", 0),
                         json_get<std::string>(p, "below", "warning") == "error",
                         json_get<std::string>(p, "recommended", "")});
  for (const auto& m : json_list(root, "gguf_to_mlx"))
    q.to_mlx_.emplace_back(m.at("gguf").get<std::string>(), json_get<int>(m, "bits", 0));
  if (auto m = root.find("mlx"); m != root.end() && m->is_object()) {
    q.mlx_group_ = json_get<int>(*m, "default_group_size", 64);
    q.mlx_scale_bias_bits_ = json_get<int>(*m, "scale_bias_bits", 32);
  }
  return q;
}

const QuantTables& QuantTables::builtin() {
  static const QuantTables q = parse(embedded::quantization_json());
  return q;
}

const GgufRecipe* QuantTables::recipe(std::string_view name) const {
  for (const auto& r : recipes_)
    if (same(r.name, name)) return &r;
  return nullptr;
}
const GgufType* QuantTables::type(std::string_view name) const {
  for (const auto& t : types_)
    if (same(t.name, name)) return &t;
  return nullptr;
}
const GgufType* QuantTables::type_by_id(int id) const {
  for (const auto& t : types_)
    if (id >= 0 && t.id == id) return &t;
  return nullptr;
}
const KvCacheType* QuantTables::kv_type(std::string_view name) const {
  for (const auto& k : kv_)
    if (same(k.name, name)) return &k;
  return nullptr;
}
const TaskPolicy* QuantTables::policy(std::string_view task) const {
  for (const auto& p : policy_)
    if (same(p.task, task)) return &p;
  return nullptr;
}
int QuantTables::mlx_bits_for(std::string_view gguf_name) const {
  for (const auto& [g, bits] : to_mlx_)
    if (same(g, gguf_name)) return bits;
  return 0;
}
std::vector<std::string> QuantTables::recipe_names() const {
  std::vector<std::string> out;
  for (const auto& r : recipes_) out.push_back(r.name);
  return out;
}

std::optional<std::pair<int, int>> parse_mlx_name(std::string_view name) {
  std::string s = to_lower(name);
  std::string_view v = s;
  if (v.rfind("mlx-", 0) == 0 || v.rfind("mlx_", 0) == 0) v.remove_prefix(4);
  if (v.empty() || v[0] < '2' || v[0] > '8') return std::nullopt;
  int bits = v[0] - '0';
  v.remove_prefix(1);
  if (!v.empty() && (v[0] == '-' || v[0] == '_')) v.remove_prefix(1);
  if (v.rfind("bits", 0) == 0) v.remove_prefix(4);
  else if (v.rfind("bit", 0) == 0) v.remove_prefix(3);
  else return std::nullopt;
  int group = 0;
  if (!v.empty()) {
    if (v.size() < 3 || (v[0] != '-' && v[0] != '_') || v[1] != 'g') return std::nullopt;
    std::string_view g = v.substr(2);
    if (g == "32") group = 32;
    else if (g == "64") group = 64;
    else if (g == "128") group = 128;
    else return std::nullopt;
  }
  return std::make_pair(bits, group);
}

WeightQuant resolve_quant(const QuantTables& t, std::string_view name, Format format) {
  WeightQuant w;
  w.requested = std::string(name);
  // MLX spellings: "4bit", "4-bit", "mlx-4bit", "4bit-g32" (bits, optional group size).
  int mlx_bits = 0, group = t.mlx_default_group();
  const GgufRecipe* recipe = t.recipe(name);
  if (auto parsed = parse_mlx_name(name)) {
    mlx_bits = parsed->first;
    if (parsed->second) group = parsed->second;
  } else if (recipe) {
    mlx_bits = t.mlx_bits_for(recipe->name);
  } else {
    return w;  // unknown name
  }

  if (format == Format::mlx) {
    if (mlx_bits == 0) return w;
    w.known = true;
    w.mapped = recipe != nullptr;
    w.mlx_bits = mlx_bits;
    w.bits_class = mlx_bits;
    if (mlx_bits >= 16) {  // unquantized: the model's own bf16/fp16 weights
      w.mlx_group = 0;
      w.bpw = 16;
      w.label = "MLX bf16 (unquantized)";
    } else {
      w.mlx_group = group;
      // affine quantization stores a scale and a bias per group next to the packed bits
      w.bpw = mlx_bits + static_cast<double>(t.mlx_scale_bias_bits()) / group;
      w.label = fmt::format("MLX {}-bit, group {}", mlx_bits, group);
    }
    return w;
  }
  // GGUF route
  if (!recipe) {
    // An MLX name on a GGUF route: the llama-quantize recipe of the same bit class.
    static const std::pair<int, const char*> nearest_recipe[] = {{2, "Q2_K"}, {3, "Q3_K_M"}, {4, "Q4_K_M"},
                                                                 {5, "Q5_K_M"}, {6, "Q6_K"},  {8, "Q8_0"}};
    for (const auto& [bits, rname] : nearest_recipe)
      if (bits == mlx_bits) recipe = t.recipe(rname);
    if (!recipe) return w;
    w.mapped = true;
  }
  w.known = true;
  w.gguf_recipe = recipe->name;
  w.bits_class = recipe->bits_class;
  w.bpw = recipe->typical_bpw;
  w.label = recipe->name;
  return w;
}

}  // namespace planner
