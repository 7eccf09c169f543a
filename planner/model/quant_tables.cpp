#include "model/quant_tables.h"

#include <nlohmann/json.hpp>

#include "core/embedded.h"
#include "core/json_get.h"
#include "core/text.h"

namespace planner {

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
    q.to_mlx_.emplace_back(m.at("gguf").get<std::string>(),
                           MlxEquivalent{json_get<int>(m, "bits", 0), json_get<int>(m, "group_size", 0),
                                         json_get<std::string>(m, "mlx_mode", "affine")});
  for (const auto& a : json_list(root, "gguf_recipe_aliases"))
    q.aliases_.push_back({a.at("alias").get<std::string>(), a.at("recipe").get<std::string>(), ""});
  for (const auto& a : json_list(root, "gguf_name_aliases"))
    q.aliases_.push_back({a.at("alias").get<std::string>(), a.at("recipe").get<std::string>(),
                          json_get<std::string>(a, "file_tag", "")});
  for (const auto& d : json_list(root, "unsloth_dynamic")) {
    DynamicQuant u{d.at("name").get<std::string>(), d.at("sized_as").get<std::string>(),
                   json_get<double>(d, "size_factor", 1.0), json_get<int>(d, "pairs", 0), 0, 0,
                   json_get<int>(d, "bits_class", 0)};
    if (auto r = d.find("range"); r != d.end() && r->is_array() && r->size() == 2) {
      u.range_lo = (*r)[0].get<double>();
      u.range_hi = (*r)[1].get<double>();
    }
    q.dynamic_.push_back(std::move(u));
  }
  if (auto m = root.find("mlx"); m != root.end() && m->is_object()) {
    q.mlx_group_ = json_get<int>(*m, "default_group_size", 64);
    q.mlx_scale_bias_bits_ = json_get<int>(*m, "scale_bias_bits", 32);
    for (const auto& b : json_list(*m, "affine_bits")) q.mlx_affine_bits_.push_back(b.get<int>());
    for (const auto& mode : json_list(*m, "modes"))
      q.mlx_modes_.push_back({json_get<int>(mode, "bits", 0), json_get<int>(mode, "group_size", 0),
                              mode.at("name").get<std::string>()});
  }
  return q;
}

const QuantTables& QuantTables::builtin() {
  static const QuantTables q = parse(embedded::quantization_json());
  return q;
}

const GgufRecipe* QuantTables::recipe(std::string_view name) const {
  for (const auto& r : recipes_)
    if (iequals(r.name, name)) return &r;
  if (const GgufAlias* a = alias(name))
    for (const auto& r : recipes_)
      if (iequals(r.name, a->recipe)) return &r;
  return nullptr;
}
const GgufAlias* QuantTables::alias(std::string_view name) const {
  for (const auto& a : aliases_)
    if (iequals(a.alias, name)) return &a;
  return nullptr;
}
const DynamicQuant* QuantTables::dynamic(std::string_view name) const {
  for (const auto& d : dynamic_)
    if (iequals(d.name, name)) return &d;
  return nullptr;
}
const GgufType* QuantTables::type(std::string_view name) const {
  for (const auto& t : types_)
    if (iequals(t.name, name)) return &t;
  return nullptr;
}
const GgufType* QuantTables::type_by_id(int id) const {
  for (const auto& t : types_)
    if (id >= 0 && t.id == id) return &t;
  return nullptr;
}
const KvCacheType* QuantTables::kv_type(std::string_view name) const {
  for (const auto& k : kv_)
    if (iequals(k.name, name)) return &k;
  return nullptr;
}
const TaskPolicy* QuantTables::policy(std::string_view task) const {
  for (const auto& p : policy_)
    if (iequals(p.task, task)) return &p;
  return nullptr;
}
int QuantTables::mlx_bits_for(std::string_view gguf_name) const { return mlx_for(gguf_name).bits; }
const MlxEquivalent* QuantTables::mlx_mode(std::string_view mode) const {
  for (const auto& m : mlx_modes_)
    if (iequals(m.mode, mode)) return &m;
  return nullptr;
}
MlxEquivalent QuantTables::mlx_for(std::string_view gguf_name) const {
  for (const auto& [g, m] : to_mlx_)
    if (iequals(g, gguf_name)) return m;
  return {};
}
std::vector<std::string> QuantTables::recipe_names() const {
  std::vector<std::string> out;
  for (const auto& r : recipes_) out.push_back(r.name);
  return out;
}

}  // namespace planner
