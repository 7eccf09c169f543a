#include "resolve/catalog.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <stdexcept>

#include "core/embedded.h"
#include "core/text.h"

namespace planner {

ModelInfo::LayerKind ModelInfo::layer_kind(int layer) const {
  if (pattern && pattern->period > 0) {
    int r = layer % pattern->period;
    if (std::find(pattern->full_at.begin(), pattern->full_at.end(), r) != pattern->full_at.end())
      return LayerKind::full;
    return pattern->others_linear ? LayerKind::linear : LayerKind::sliding;
  }
  return sliding_window > 0 && !sliding_window_ignored ? LayerKind::sliding : LayerKind::full;
}

namespace {

template <typename T>
T get(const YAML::Node& n, const char* key, T fallback) {
  const YAML::Node v = n[key];
  return v && !v.IsNull() ? v.as<T>() : fallback;
}

std::vector<Artifact> artifacts(const YAML::Node& list, bool mlx) {
  std::vector<Artifact> out;
  if (!list || !list.IsSequence()) return out;
  for (const auto& a : list) {
    Artifact x;
    x.repo = get<std::string>(a, "repo", "");
    x.bits = get<int>(a, "bits", 0);
    x.quant = mlx ? (x.bits ? std::to_string(x.bits) + "bit" : get<std::string>(a, "quant", ""))
                  : get<std::string>(a, "quant", "");
    if (mlx && a["quant"]) x.quant = a["quant"].as<std::string>();
    x.size_gib = get<double>(a, "size_gib", 0.0);
    x.source = get<std::string>(a, "source", "");
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

Catalog Catalog::parse(std::string_view text) {
  Catalog c;
  YAML::Node root = YAML::Load(std::string(text));
  if (auto s = root["sources"]; s && s.IsMap())
    for (const auto& kv : s) c.sources_[kv.first.as<std::string>()] = kv.second.as<std::string>();
  for (const auto& m : root["models"]) {
    ModelInfo x;
    x.id = to_lower(m["id"].as<std::string>());
    x.hf_repo = get<std::string>(m, "hf_repo", "");
    x.family = get<std::string>(m, "family", "");
    if (auto a = m["aliases"]; a && a.IsSequence())
      for (const auto& s : a) x.aliases.push_back(to_lower(s.as<std::string>()));
    x.params_total = get<double>(m, "params_total", 0.0);
    x.params_active = get<double>(m, "params_active", x.params_total);
    x.layers = get<int>(m, "layers", 0);
    x.hidden_size = get<int>(m, "hidden_size", 0);
    x.attention_heads = get<int>(m, "attention_heads", 0);
    x.kv_heads = get<int>(m, "kv_heads", 0);
    x.head_dim = get<int>(m, "head_dim", 0);
    x.vocab = get<int>(m, "vocab", 0);
    x.context_trained = get<long long>(m, "context_trained", 0);
    x.tied_embeddings = get<bool>(m, "tied_embeddings", false);
    x.sliding_window = get<int>(m, "sliding_window", 0);
    x.sliding_window_ignored = get<bool>(m, "sliding_window_ignored", false);
    if (auto p = m["layer_pattern"]; p && p.IsMap()) {
      LayerPattern lp;
      lp.period = get<int>(p, "period", 0);
      for (const auto& f : p["full_at"]) lp.full_at.push_back(f.as<int>());
      lp.others_linear = get<std::string>(p, "others", "sliding") == "linear";
      x.pattern = lp;
    }
    if (auto e = m["moe"]; e && e.IsMap())
      x.moe = MoeInfo{get<int>(e, "experts", 0), get<int>(e, "experts_per_token", 0), get<int>(e, "shared_experts", 0)};
    if (auto e = m["mla"]; e && e.IsMap())
      x.mla = MlaInfo{get<int>(e, "kv_lora_rank", 0), get<int>(e, "qk_rope_head_dim", 0),
                      get<int>(e, "qk_nope_head_dim", 0), get<int>(e, "v_head_dim", 0)};
    if (auto e = m["linear_attention"]; e && e.IsMap())
      x.linear = LinearAttentionInfo{get<int>(e, "key_heads", 0),      get<int>(e, "value_heads", 0),
                                     get<int>(e, "key_head_dim", 0),   get<int>(e, "value_head_dim", 0),
                                     get<int>(e, "conv_kernel", 0),    get<int>(e, "state_dtype_bytes", 4)};
    if (auto a = m["artifacts"]; a && a.IsMap()) {
      x.mlx = artifacts(a["mlx"], true);
      x.gguf = artifacts(a["gguf"], false);
    }
    x.notes = get<std::string>(m, "notes", "");
    x.source = get<std::string>(m, "source", "");
    c.models_.push_back(std::move(x));
  }
  if (auto s = root["seed_names"]; s && s.IsSequence())
    for (const auto& e : s)
      c.seed_names_.push_back(SeedName{to_lower(e["name"].as<std::string>()), to_lower(get<std::string>(e, "maps_to", "")),
                                       get<bool>(e, "real", true), get<std::string>(e, "reason", ""),
                                       get<std::string>(e, "source", "")});
  return c;
}

const Catalog& Catalog::builtin() {
  static const Catalog c = parse(embedded::models_yaml());
  return c;
}

const ModelInfo* Catalog::find(std::string_view name) const {
  std::string n = to_lower(name);
  for (const auto& m : models_) {
    if (m.id == n || to_lower(m.hf_repo) == n) return &m;
    if (std::find(m.aliases.begin(), m.aliases.end(), n) != m.aliases.end()) return &m;
  }
  return nullptr;
}

const SeedName* Catalog::seed_name(std::string_view name) const {
  std::string n = to_lower(name);
  for (const auto& s : seed_names_)
    if (s.name == n) return &s;
  return nullptr;
}

std::vector<std::string> Catalog::all_names() const {
  std::vector<std::string> out;
  for (const auto& m : models_) {
    out.push_back(m.id);
    for (const auto& a : m.aliases) out.push_back(a);
  }
  for (const auto& s : seed_names_) out.push_back(s.name);
  return out;
}

std::string Catalog::source_text(const std::string& key) const {
  auto it = sources_.find(key);
  return it == sources_.end() ? key : it->second;
}

}  // namespace planner
