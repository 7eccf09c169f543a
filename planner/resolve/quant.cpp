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
    if (same(r.name, name)) return &r;
  if (const GgufAlias* a = alias(name))
    for (const auto& r : recipes_)
      if (same(r.name, a->recipe)) return &r;
  return nullptr;
}
const GgufAlias* QuantTables::alias(std::string_view name) const {
  for (const auto& a : aliases_)
    if (same(a.alias, name)) return &a;
  return nullptr;
}
const DynamicQuant* QuantTables::dynamic(std::string_view name) const {
  for (const auto& d : dynamic_)
    if (same(d.name, name)) return &d;
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
int QuantTables::mlx_bits_for(std::string_view gguf_name) const { return mlx_for(gguf_name).bits; }
const MlxEquivalent* QuantTables::mlx_mode(std::string_view mode) const {
  for (const auto& m : mlx_modes_)
    if (same(m.mode, mode)) return &m;
  return nullptr;
}
MlxEquivalent QuantTables::mlx_for(std::string_view gguf_name) const {
  for (const auto& [g, m] : to_mlx_)
    if (same(g, gguf_name)) return m;
  return {};
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

std::optional<std::string> parse_mlx_mode(std::string_view name) {
  const std::string s = to_lower(name);
  std::string_view v = s;
  if (v.rfind("mlx-", 0) == 0 || v.rfind("mlx_", 0) == 0) v.remove_prefix(4);
  // mlx_lm.convert --q-mode choices (convert.py:219) and the dtypes it converts to unquantized
  // (MODEL_CONVERSION_DTYPES); mlx-community repo names end in them (-mxfp4, -bf16).
  if (v == "mxfp4" || v == "nvfp4" || v == "mxfp8") return std::string(v);
  if (v == "bf16" || v == "fp16" || v == "f16" || v == "bfloat16" || v == "float16") return std::string("16");
  return std::nullopt;
}

namespace {

// bits + per-group scale overhead: affine keeps a 16-bit scale and bias per group (32 bits), the
// fp modes one 8-bit scale (e8m0 / e4m3) and no bias (data/quantization.yaml `mlx.modes`).
double mlx_bpw(const QuantTables& t, int bits, int group, std::string_view mode) {
  if (group <= 0) return bits;
  return bits + (mode == "affine" ? static_cast<double>(t.mlx_scale_bias_bits()) : 8.0) / group;
}

WeightQuant resolve_mlx(const QuantTables& t, WeightQuant w, std::string_view name) {
  int bits = 0, group = t.mlx_default_group();
  std::string mode = "affine";
  const std::optional<std::string> own_mode = parse_mlx_mode(name);
  if (auto parsed = parse_mlx_name(name)) {
    bits = parsed->first;
    if (parsed->second) group = parsed->second;
  } else if (own_mode && *own_mode == "16") {
    bits = 16;
  } else if (own_mode) {
    const MlxEquivalent* e = t.mlx_mode(*own_mode);  // mlx_lm defaults_for_mode
    if (!e) return w;
    mode = e->mode;
    bits = e->bits;
    group = e->group;
  } else {
    const GgufRecipe* recipe = t.recipe(name);
    const DynamicQuant* ud = recipe ? nullptr : t.dynamic(name);
    if (!recipe && !ud) return w;
    const MlxEquivalent e = t.mlx_for(recipe ? recipe->name : ud->sized_as);
    if (e.bits == 0) return w;
    bits = e.bits;
    if (e.group > 0) group = e.group;
    mode = e.mode;
    w.mapped = true;
  }
  w.known = true;
  w.mlx_bits = bits;
  w.bits_class = bits;
  if (bits >= 16) {  // unquantized: the model's own bf16/fp16 weights
    w.mlx_group = 0;
    w.bpw = 16;
    w.label = "MLX bf16 (unquantized)";
    return w;
  }
  w.mlx_group = group;
  w.mlx_mode = mode;
  w.bpw = mlx_bpw(t, bits, group, mode);
  w.label = mode == "affine" ? fmt::format("MLX {}-bit, group {}", bits, group) : fmt::format("MLX {}, group {}", mode, group);
  return w;
}

}  // namespace

WeightQuant resolve_quant(const QuantTables& t, std::string_view name, Format format) {
  WeightQuant w;
  w.requested = std::string(name);
  if (format == Format::mlx) return resolve_mlx(t, std::move(w), name);

  if (const DynamicQuant* ud = t.dynamic(name)) {
    const GgufRecipe* base = t.recipe(ud->sized_as);
    if (!base) return w;
    w.known = true;
    w.gguf_recipe = ud->name;  // the files are named so: unsloth/X-GGUF/X-UD-Q4_K_XL.gguf
    w.size_recipe = base->name;
    w.size_factor = ud->size_factor;
    w.bits_class = ud->bits_class;
    w.bpw = base->typical_bpw * ud->size_factor;
    w.label = ud->name;
    w.estimate_note = fmt::format(
        "Unsloth dynamic mix, its per-layer types not published: sized as {} x {:.3f}, the median size ratio of {} "
        "published unsloth repos (range {:.3f}-{:.3f}); an estimate",
        base->name, ud->size_factor, ud->pairs, ud->range_lo, ud->range_hi);
    return w;
  }
  const GgufRecipe* recipe = t.recipe(name);
  if (!recipe) {
    // An MLX name on a GGUF route: the llama-quantize recipe of the same bit class.
    int mlx_bits = 0;
    if (auto parsed = parse_mlx_name(name)) mlx_bits = parsed->first;
    else if (auto mode = parse_mlx_mode(name)) mlx_bits = *mode == "16" ? 16 : *mode == "mxfp8" ? 8 : 4;
    static const std::pair<int, const char*> nearest_recipe[] = {{2, "Q2_K"}, {3, "Q3_K_M"}, {4, "Q4_K_M"},
                                                                 {5, "Q5_K_M"}, {6, "Q6_K"},  {8, "Q8_0"}};
    for (const auto& [bits, rname] : nearest_recipe)
      if (bits == mlx_bits) recipe = t.recipe(rname);
    if (!recipe) return w;
    w.mapped = true;
  }
  w.known = true;
  const GgufAlias* a = t.alias(name);
  w.gguf_recipe = a && !a->file_tag.empty() ? a->file_tag : recipe->name;
  if (w.gguf_recipe != recipe->name) w.size_recipe = recipe->name;
  w.bits_class = recipe->bits_class;
  w.bpw = recipe->typical_bpw;
  w.label = recipe->name;
  return w;
}

}  // namespace planner
