#include "resolve/catalog.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

#include "core/embedded.h"
#include "core/json_get.h"
#include "core/text.h"

namespace planner {

namespace {

using nlohmann::json;

std::vector<Artifact> artifacts(const json& list) {
  std::vector<Artifact> out;
  if (!list.is_array()) return out;
  for (const auto& a : list) {
    Artifact x;
    x.repo = json_get<std::string>(a, "repo", json_get<std::string>(a, "tag", ""));  // Ollama entries name a tag
    x.bits = json_get<int>(a, "bits", 0);
    x.quant = json_get<std::string>(a, "quant", "");
    x.size_gib = json_get<double>(a, "size_gib", 0.0);
    x.source = json_get<std::string>(a, "source", "");
    x.size_note = json_get<std::string>(a, "size_note", "");
    x.not_loaded = json_get<bool>(a, "not_loaded", false);
    out.push_back(std::move(x));
  }
  return out;
}

// A record as planner/embed/catalog_entry.cpp catalog_record() writes it.
ModelInfo decode_record(std::string_view text) {
  const json m = json::parse(text);
  ModelInfo x;
  x.id = m.at("id").get<std::string>();
  x.hf_repo = json_get<std::string>(m, "hf_repo", "");
  x.family = json_get<std::string>(m, "family", "");
  for (const auto& a : json_list(m, "aliases")) x.aliases.push_back(a.get<std::string>());
  x.params_total = json_get<double>(m, "params_total", 0.0);
  x.params_active = json_get<double>(m, "params_active", x.params_total);
  x.vision_params = json_get<double>(m, "vision_params", 0.0);
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
    x.moe = MoeInfo{json_get<int>(*e, "experts", 0), json_get<int>(*e, "experts_per_token", 0), json_get<int>(*e, "shared_experts", 0)};
  if (auto e = m.find("mla"); e != m.end() && e->is_object())
    x.mla = MlaInfo{json_get<int>(*e, "kv_lora_rank", 0), json_get<int>(*e, "qk_rope_head_dim", 0),
                    json_get<int>(*e, "qk_nope_head_dim", 0), json_get<int>(*e, "v_head_dim", 0)};
  if (auto e = m.find("linear_attention"); e != m.end() && e->is_object())
    x.linear = LinearAttentionInfo{json_get<int>(*e, "key_heads", 0),    json_get<int>(*e, "value_heads", 0),
                                   json_get<int>(*e, "key_head_dim", 0), json_get<int>(*e, "value_head_dim", 0),
                                   json_get<int>(*e, "conv_kernel", 0),  json_get<int>(*e, "state_dtype_bytes", 4)};
  if (auto a = m.find("artifacts"); a != m.end() && a->is_object()) {
    x.mlx = artifacts(json_list(*a, "mlx"));
    x.gguf = artifacts(json_list(*a, "gguf"));
  }
  x.ollama = artifacts(json_list(m, "ollama"));
  x.notes = json_get<std::string>(m, "notes", "");
  x.source = json_get<std::string>(m, "source", "");
  return x;
}

}  // namespace

Catalog::Catalog(std::span<const std::string_view> records, std::span<const catalog_data::NameEntry> names,
                 std::string_view seed_names_json, std::string_view unsized_models_json)
    : records_(records),
      names_(names),
      seed_names_json_(seed_names_json),
      unsized_models_json_(unsized_models_json),
      models_(records.size()),
      decoded_(records.size(), false) {}

const Catalog& Catalog::builtin() {
  static const Catalog c(catalog_data::records(), catalog_data::names(), embedded::seed_names_json(),
                         embedded::unsized_models_json());
  return c;
}

const ModelInfo& Catalog::model(std::size_t record) const {
  if (!decoded_[record]) {
    models_[record] = decode_record(records_[record]);
    decoded_[record] = true;
  }
  return models_[record];
}

const std::vector<ModelInfo>& Catalog::models() const {
  if (!all_decoded_) {
    for (std::size_t i = 0; i < records_.size(); ++i) model(i);
    all_decoded_ = true;
  }
  return models_;
}

std::optional<CatalogMatch> Catalog::lookup(std::string_view name) const {
  const std::string n = to_lower(name);
  auto it = std::lower_bound(names_.begin(), names_.end(), n,
                             [](const catalog_data::NameEntry& e, const std::string& key) { return e.name < key; });
  if (it == names_.end() || it->name != n) return std::nullopt;
  const ModelInfo& m = model(it->record);
  using catalog_data::NameKind;
  switch (it->kind) {
    case NameKind::model: return CatalogMatch{&m, nullptr, "", ""};
    case NameKind::mlx: return CatalogMatch{&m, &m.mlx.at(it->artifact), "mlx", m.mlx.at(it->artifact).quant};
    // A GGUF repo holds one file per quantization: its name alone does not choose one.
    case NameKind::gguf: return CatalogMatch{&m, &m.gguf.at(it->artifact), "gguf", ""};
    case NameKind::ollama: return CatalogMatch{&m, &m.ollama.at(it->artifact), "gguf", m.ollama.at(it->artifact).quant};
  }
  return std::nullopt;
}

const ModelInfo* Catalog::find(std::string_view name) const {
  auto hit = lookup(name);
  return hit ? hit->model : nullptr;
}

const SeedName* Catalog::seed_name(std::string_view name) const {
  if (!seed_names_) {
    seed_names_.emplace();
    const json root = json::parse(seed_names_json_);
    for (const auto& e : json_list(root, "seed_names"))
      seed_names_->push_back(SeedName{to_lower(e.at("name").get<std::string>()), to_lower(json_get<std::string>(e, "maps_to", "")),
                                      json_get<bool>(e, "real", true), json_get<std::string>(e, "reason", ""),
                                      json_get<std::string>(e, "source", "")});
  }
  const std::string n = to_lower(name);
  for (const auto& s : *seed_names_)
    if (s.name == n) return &s;
  return nullptr;
}

const std::vector<UnsizedModel>& Catalog::unsized_models() const {
  if (!unsized_) {
    unsized_.emplace();
    const json root = json::parse(unsized_models_json_);
    for (const auto& e : json_list(root, "unsized_models")) {
      UnsizedModel u{e.at("repo").get<std::string>(), {}};
      for (const auto& n : json_list(e, "names")) u.names.push_back(to_lower(n.get<std::string>()));
      unsized_->push_back(std::move(u));
    }
  }
  return *unsized_;
}

const UnsizedModel* Catalog::unsized(std::string_view name) const {
  const std::string n = to_lower(name);
  auto means = [](const UnsizedModel& u, const std::string& key) {
    const std::string repo = to_lower(u.repo);
    const std::string own = repo.substr(repo.find('/') + 1);
    return key == repo || key == own || std::find(u.names.begin(), u.names.end(), key) != u.names.end();
  };
  // `qwen2.5-coder-7b` is the Instruct repo's name without the word; `qwen2.5-coder:7b-instruct`
  // the Ollama tag with it.
  constexpr std::string_view word = "-instruct";
  const bool has_word = n.size() > word.size() && n.compare(n.size() - word.size(), word.size(), word) == 0;
  const std::string other = has_word ? n.substr(0, n.size() - word.size()) : n + std::string(word);
  for (const auto& u : unsized_models())
    if (!n.empty() && (means(u, n) || means(u, other))) return &u;
  return nullptr;
}

std::vector<std::string> Catalog::all_names() const {
  std::vector<std::string> out;
  for (const auto& e : names_)
    if (e.kind == catalog_data::NameKind::model) out.emplace_back(e.name);
  seed_name("");  // parses the seed names
  for (const auto& s : *seed_names_) out.push_back(s.name);
  return out;
}

}  // namespace planner
