#include "resolve/catalog.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "core/embedded.h"
#include "core/json_get.h"
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

using nlohmann::json;

std::vector<Artifact> artifacts(const json& list, bool mlx) {
  std::vector<Artifact> out;
  if (!list.is_array()) return out;
  for (const auto& a : list) {
    Artifact x;
    x.repo = json_get<std::string>(a, "repo", json_get<std::string>(a, "tag", ""));  // Ollama entries name a tag
    x.bits = json_get<int>(a, "bits", 0);
    x.quant = json_get<std::string>(a, "quant", mlx && x.bits ? std::to_string(x.bits) + "bit" : "");
    x.size_gib = json_get<double>(a, "size_gib", 0.0);
    x.source = json_get<std::string>(a, "source", "");
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

Catalog Catalog::parse(std::string_view text) {
  Catalog c;
  const json root = json::parse(text);
  for (const auto& m : json_list(root, "models")) {
    ModelInfo x;
    x.id = to_lower(m.at("id").get<std::string>());
    x.hf_repo = json_get<std::string>(m, "hf_repo", "");
    x.family = json_get<std::string>(m, "family", "");
    for (const auto& a : json_list(m, "aliases")) x.aliases.push_back(to_lower(a.get<std::string>()));
    x.params_total = json_get<double>(m, "params_total", 0.0);
    x.params_active = json_get<double>(m, "params_active", x.params_total);
    x.layers = json_get<int>(m, "layers", 0);
    x.hidden_size = json_get<int>(m, "hidden_size", 0);
    x.attention_heads = json_get<int>(m, "attention_heads", 0);
    x.kv_heads = json_get<int>(m, "kv_heads", 0);
    x.head_dim = json_get<int>(m, "head_dim", 0);
    x.vocab = json_get<int>(m, "vocab", 0);
    x.context_trained = json_get<long long>(m, "context_trained", 0);
    x.tied_embeddings = json_get<bool>(m, "tied_embeddings", false);
    x.intermediate_size = json_get<int>(m, "intermediate_size", 0);
    x.moe_intermediate_size = json_get<int>(m, "moe_intermediate_size", 0);
    x.shared_expert_intermediate_size = json_get<int>(m, "shared_expert_intermediate_size", 0);
    x.first_dense_layers = json_get<int>(m, "first_dense_layers", 0);
    x.attention_bias = json_get<bool>(m, "attention_bias", false);
    x.qk_norm = json_get<bool>(m, "qk_norm", false);
    x.sliding_window = json_get<int>(m, "sliding_window", 0);
    x.sliding_window_ignored = json_get<bool>(m, "sliding_window_ignored", false);
    for (const auto& r : json_list(m, "sliding_window_ignored_by"))
      if (r.get<std::string>() == "mlx-lm") x.sliding_window_ignored_by_mlx = true;
    if (auto p = m.find("layer_pattern"); p != m.end() && p->is_object()) {
      LayerPattern lp;
      lp.period = json_get<int>(*p, "period", 0);
      for (const auto& f : json_list(*p, "full_at")) lp.full_at.push_back(f.get<int>());
      lp.others_linear = json_get<std::string>(*p, "others", "sliding") == "linear";
      x.pattern = lp;
    }
    if (auto e = m.find("moe"); e != m.end() && e->is_object())
      x.moe = MoeInfo{json_get<int>(*e, "experts", 0), json_get<int>(*e, "experts_per_token", 0),
                      json_get<int>(*e, "shared_experts", 0)};
    if (auto e = m.find("mla"); e != m.end() && e->is_object())
      x.mla = MlaInfo{json_get<int>(*e, "kv_lora_rank", 0), json_get<int>(*e, "qk_rope_head_dim", 0),
                      json_get<int>(*e, "qk_nope_head_dim", 0), json_get<int>(*e, "v_head_dim", 0)};
    if (auto e = m.find("linear_attention"); e != m.end() && e->is_object())
      x.linear = LinearAttentionInfo{json_get<int>(*e, "key_heads", 0),      json_get<int>(*e, "value_heads", 0),
                                     json_get<int>(*e, "key_head_dim", 0),   json_get<int>(*e, "value_head_dim", 0),
                                     json_get<int>(*e, "conv_kernel", 0),    json_get<int>(*e, "state_dtype_bytes", 4)};
    if (auto a = m.find("artifacts"); a != m.end() && a->is_object()) {
      x.mlx = artifacts(json_list(*a, "mlx"), true);
      x.gguf = artifacts(json_list(*a, "gguf"), false);
    }
    x.ollama = artifacts(json_list(m, "ollama"), false);
    x.notes = json_get<std::string>(m, "notes", "");
    x.source = json_get<std::string>(m, "source", "");
    c.models_.push_back(std::move(x));
  }
  for (const auto& e : json_list(root, "seed_names"))
    c.seed_names_.push_back(SeedName{to_lower(e.at("name").get<std::string>()),
                                     to_lower(json_get<std::string>(e, "maps_to", "")), json_get<bool>(e, "real", true),
                                     json_get<std::string>(e, "reason", ""), json_get<std::string>(e, "source", "")});
  return c;
}

const Catalog& Catalog::builtin() {
  static const Catalog c = parse(embedded::models_json());
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

std::optional<CatalogMatch> Catalog::lookup(std::string_view name) const {
  if (const ModelInfo* m = find(name)) return CatalogMatch{m, nullptr, "", ""};
  const std::string n = to_lower(name);
  for (const auto& m : models_) {
    for (const auto* list : {&m.mlx, &m.gguf, &m.ollama}) {
      for (const auto& a : *list) {
        if (to_lower(a.repo) != n) continue;
        const std::string format = list == &m.mlx ? "mlx" : "gguf";
        // A GGUF repo holds one file per quantization: its name alone does not choose one.
        return CatalogMatch{&m, &a, format, list == &m.gguf ? "" : a.quant};
      }
    }
  }
  return std::nullopt;
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


}  // namespace planner
