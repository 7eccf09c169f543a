#include "embed/catalog_entry.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/text.h"
#include "embed/yaml_json.h"
#include "estimate/gguf_recipe.h"
#include "modelfile/hf_config.h"

namespace planner {

namespace {

using json = nlohmann::ordered_json;

[[noreturn]] void fail(const std::string& where, const std::string& what) { throw std::runtime_error(where + ": " + what); }

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail(p.string(), "cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A citation: "owner/repo:path@commit" (7+ hex digits) or a URL, optionally followed by a remark.
bool is_citation(const std::string& s) {
  static const std::regex kRepo(R"(^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:[^ @]+@[0-9a-f]{7,40}\b.*)");
  return std::regex_match(s, kRepo) || s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
}

// A note that cites its source somewhere in its text: a repo:path@commit or a URL.
bool cites(const std::string& s) {
  static const std::regex kCite(R"([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+:[^ @]+@[0-9a-f]{7,40}\b|https?://)");
  return std::regex_search(s, kCite);
}

void only_keys(const json& o, const std::set<std::string>& allowed, const std::string& where) {
  for (const auto& [k, v] : o.items())
    if (!allowed.count(k)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail(where, "unknown key '" + k + "' (known: " + list + ")");
    }
}

std::string text_of(const json& o, const char* key, const std::string& where, bool required) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) {
    if (required) fail(where, std::string("'") + key + "' is required");
    return "";
  }
  if (!it->is_string()) fail(where, std::string("'") + key + "' must be a string");
  return it->get<std::string>();
}

double positive(const json& v, const std::string& where) {
  if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>())) fail(where, "must be a positive number");
  return v.get<double>();
}

// size_bytes (exact) or size_gib, as the source gives it.
double size_gib(const json& a, const std::string& where) {
  const bool bytes = a.contains("size_bytes"), gib = a.contains("size_gib");
  if (bytes == gib) fail(where, "give exactly one of size_bytes and size_gib");
  return bytes ? positive(a["size_bytes"], where + ".size_bytes") / (1024.0 * 1024 * 1024) : positive(a["size_gib"], where + ".size_gib");
}

Artifact artifact(const json& a, const std::string& kind, const std::string& where) {
  if (!a.is_object()) fail(where, "must be a mapping");
  Artifact x;
  x.source = text_of(a, "source", where, true);
  if (!is_citation(x.source)) fail(where, "source '" + x.source + "' names no repo:path@commit or URL");
  // An Ollama tag is a name first: its size and file type are given only where a source says.
  if (kind != "ollama" || a.contains("size_bytes") || a.contains("size_gib")) x.size_gib = size_gib(a, where);
  if (kind == "mlx") {
    only_keys(a, {"repo", "bits", "dtype", "mode", "size_bytes", "size_gib", "source", "note", "size_note", "not_loaded"}, where);
    x.repo = text_of(a, "repo", where, true);
    if (auto b = a.find("bits"); b != a.end()) {
      if (!b->is_number_integer() || b->get<int>() < 2 || b->get<int>() > 8) fail(where, "bits must be 2 to 8");
      x.bits = b->get<int>();
      x.quant = std::to_string(x.bits) + "bit";
    } else {
      x.quant = text_of(a, "dtype", where, false);
      if (x.quant.empty()) x.quant = text_of(a, "mode", where, false);
      if (x.quant.empty()) fail(where, "an MLX artifact needs bits, dtype or mode");
    }
  } else {
    std::set<std::string> keys = {kind == "ollama" ? "tag" : "repo", "quant", "file", "size_bytes", "size_gib", "source", "note"};
    if (kind != "ollama") keys.insert({"size_note", "not_loaded"});
    only_keys(a, keys, where);
    x.repo = text_of(a, kind == "ollama" ? "tag" : "repo", where, true);
    x.quant = text_of(a, "quant", where, kind != "ollama");
  }
  // Why the published size is not planner's estimate: weights the runtime drops at load
  // (not_loaded), or another reason (size_note); one of the two, citing its source.
  const std::string not_loaded = text_of(a, "not_loaded", where, false);
  x.size_note = text_of(a, "size_note", where, false);
  if (!not_loaded.empty() && !x.size_note.empty()) fail(where, "give one of size_note and not_loaded");
  if (!not_loaded.empty()) {
    x.size_note = not_loaded;
    x.not_loaded = true;
  }
  if (!x.size_note.empty() && !cites(x.size_note))
    fail(where, std::string(x.not_loaded ? "not_loaded" : "size_note") + " names no repo:path@commit or URL for its reason");
  return x;
}

// Parameters counted from the tensors llama.cpp's loader creates for the architecture
// (estimate/gguf_recipe.cpp); expert tensors count k / E towards the active parameters.
bool count_parameters(ModelInfo& m) {
  auto tensors = gguf_tensor_list(m);
  if (!tensors) return false;
  double total = 0, experts = 0;
  for (const auto& t : *tensors) {
    const double n = static_cast<double>(t.elements());
    total += n;
    if (t.name.find("_exps.") != std::string::npos) experts += n;
  }
  m.params_total = total;
  m.params_active = total;
  if (m.is_moe() && m.moe->experts > 0)
    m.params_active = total - experts * (1.0 - static_cast<double>(m.moe->experts_per_token) / m.moe->experts);
  return true;
}

// Parameters of a layout planner does not lay out tensor by tensor, from the shapes alone:
// embeddings (and an untied output), per layer q/k/v/o projections, two norms and the FFN (every
// expert of a mixture, its router and shared experts; a dense FFN on the leading
// first_k_dense_replace layers). Biases and small per-layer vectors are left out (well under 0.1 %
// of a model). Not for MLA layers, whose projections have other shapes:
// those need a published figure.
//
// Hybrids of Gated DeltaNet and gated attention (Qwen3-Next, Qwen3.5: transformers
// models/qwen3_next/modeling_qwen3_next.py Qwen3NextGatedDeltaNet and Qwen3NextAttention) are
// laid out too: a linear layer projects the input to q, k (key heads x key dim each), v and z
// (value heads x value dim each) and to b and a (one per value head), convolves q, k and v over
// `conv_kernel` tokens and projects value heads x value dim back; a full-attention layer's q
// projection is twice as wide (the output gate). Qwen3.5-9B counts 8.953e9 this way, as its GGUF
// reports (8.95B: data/models/Qwen/Qwen3.5-9B/model.yaml).
bool count_parameters_from_shapes(ModelInfo& m) {
  if (m.mla || (m.intermediate_size <= 0 && !m.is_moe())) return false;
  const double h = m.hidden_size, embed = static_cast<double>(m.vocab) * h;
  const bool gated_attention = m.linear.has_value();
  const double attention = h * m.attention_heads * m.head_dim * (gated_attention ? 3 : 2) + h * m.kv_heads * m.head_dim * 2;
  double linear_attention = 0;
  if (m.linear) {
    const LinearAttentionInfo& l = *m.linear;
    const double key = static_cast<double>(l.key_heads) * l.key_head_dim, value = static_cast<double>(l.value_heads) * l.value_head_dim;
    linear_attention = h * (2 * key + 2 * value) + h * 2 * l.value_heads + (2 * key + value) * l.conv_kernel + 2.0 * l.value_heads +
                       l.value_head_dim + value * h;
  }
  const double norms = 2 * h;
  const double dense_ffn = 3 * h * m.intermediate_size;
  double ffn = dense_ffn, ffn_active = ffn;
  if (m.is_moe()) {
    const double expert = 3 * h * (m.moe_intermediate_size > 0 ? m.moe_intermediate_size : m.intermediate_size);
    // Shared experts, the router, and Qwen's one-output gate on the shared expert.
    const double shared = 3 * h * m.shared_expert_intermediate_size + h * m.moe->experts + (m.shared_expert_intermediate_size > 0 ? h : 0);
    ffn = m.moe->experts * expert + shared;
    ffn_active = m.moe->experts_per_token * expert + shared;
  }
  const double tail = embed * (m.tied_embeddings ? 1 : 2) + h;
  double mixers = 0;
  for (int i = 0; i < m.layers; ++i) mixers += m.layer_kind(i) == ModelInfo::LayerKind::linear ? linear_attention : attention;
  // first_k_dense_replace (GLM-4.5, DeepSeek): the leading layers have a dense FFN, no experts.
  const int dense = m.is_moe() ? std::min(m.first_dense_layers, m.layers) : 0;
  m.params_total = tail + mixers + m.layers * norms + dense * dense_ffn + (m.layers - dense) * ffn;
  m.params_active = tail + mixers + m.layers * norms + dense * dense_ffn + (m.layers - dense) * ffn_active;
  return true;
}

}  // namespace

CatalogEntry read_catalog_entry(const std::filesystem::path& folder, const std::string& repo_id) {
  CatalogEntry e;
  e.folder = folder.string();
  const std::string cfg_path = (folder / "config.json").string();
  const std::string yaml_path = (folder / "model.yaml").string();

  HfConfig cfg = parse_hf_config(read_text(folder / "config.json"), cfg_path);
  for (const auto& w : cfg.warnings) fail(cfg_path, w);
  ModelInfo& m = e.model;
  m = cfg.model;
  const struct { const char* name; long long value; } required[] = {
      {"num_hidden_layers", m.layers}, {"hidden_size", m.hidden_size}, {"num_attention_heads", m.attention_heads},
      {"num_key_value_heads", m.kv_heads}, {"head_dim", m.head_dim}, {"vocab_size", m.vocab},
      {"max_position_embeddings", m.context_trained}};
  for (const auto& r : required)
    if (r.value <= 0) fail(cfg_path, std::string("no ") + r.name + " (nor a default planner knows for model_type '" + cfg.model_type + "')");

  json y;
  try {
    y = yaml_as_json(YAML::LoadFile(yaml_path), yaml_path);
  } catch (const YAML::Exception& x) {
    fail(yaml_path, x.what());
  }
  if (!y.is_object()) fail(yaml_path, "must be a mapping");
  only_keys(y, {"config_source", "config_copy", "params_total", "params_active", "params_source", "aliases", "ollama", "artifacts", "notes"},
            yaml_path);
  const std::string source = text_of(y, "config_source", yaml_path, true);
  if (!is_citation(source)) fail(yaml_path, "config_source '" + source + "' names no repo:path@commit or URL");
  const std::string copy = text_of(y, "config_copy", yaml_path, true);
  if (copy != "verbatim" && copy != "transcribed") fail(yaml_path, "config_copy must be 'verbatim' or 'transcribed'");

  m.hf_repo = repo_id;
  m.id = to_lower(repo_id.substr(repo_id.find('/') + 1));
  m.source = "config.json: " + source + (copy == "transcribed" ? " (transcribed)" : "");
  m.notes = text_of(y, "notes", yaml_path, false);

  const bool counted = count_parameters(m);
  if (y.contains("params_total")) {
    const std::string params_source = text_of(y, "params_source", yaml_path, true);
    const double given = positive(y["params_total"], yaml_path + ".params_total");
    // A count and a published figure that disagree mean a wrong shape or a wrong figure. A VLM's
    // published figure may count its vision tower (the Hub's safetensors total) or not (a model
    // card's language-model figure): it must be one of the two.
    auto near = [&](double count) { return std::abs(given - count) <= 0.02 * given; };
    if (counted && !near(m.params_total) && !(m.vision_params > 0 && near(m.params_total + m.vision_params)))
      fail(yaml_path, "params_total " + std::to_string(given) + " is more than 2 % from the " + std::to_string(m.params_total) +
                          " parameters counted from config.json" +
                          (m.vision_params > 0 ? " (" + std::to_string(m.params_total + m.vision_params) + " with the vision tower)" : ""));
    if (!counted) m.params_total = given;
    // A published active count (the model card's) wins over the count, which includes both
    // embedding matrices where the card may not.
    if (!counted || y.contains("params_active"))
      m.params_active = y.contains("params_active") ? positive(y["params_active"], yaml_path + ".params_active") : given;
    m.source += "; parameters: " + params_source;
  } else if (!counted) {
    if (!count_parameters_from_shapes(m))
      fail(yaml_path, "planner cannot count the parameters of a '" + m.family +
                          "' model from config.json: give params_total (and params_active for MoE) with params_source");
    m.source += "; parameters counted from config.json's shapes";
  } else {
    m.source += "; parameters counted from config.json";
  }
  if (m.is_moe() && !counted && y.contains("params_total") && !y.contains("params_active"))
    fail(yaml_path, "a mixture of experts needs params_active beside params_total");

  for (const auto& a : y.value("aliases", json::array())) {
    if (!a.is_string()) fail(yaml_path, "aliases must be strings");
    e.aliases.push_back(to_lower(a.get<std::string>()));
  }
  m.aliases = e.aliases;
  if (auto arts = y.find("artifacts"); arts != y.end() && !arts->is_null()) {
    only_keys(*arts, {"mlx", "gguf"}, yaml_path + ".artifacts");
    int i = 0;
    for (const auto& a : arts->value("mlx", json::array())) m.mlx.push_back(artifact(a, "mlx", yaml_path + ".artifacts.mlx[" + std::to_string(i++) + "]"));
    i = 0;
    for (const auto& a : arts->value("gguf", json::array())) m.gguf.push_back(artifact(a, "gguf", yaml_path + ".artifacts.gguf[" + std::to_string(i++) + "]"));
  }
  int i = 0;
  for (const auto& a : y.value("ollama", json::array())) m.ollama.push_back(artifact(a, "ollama", yaml_path + ".ollama[" + std::to_string(i++) + "]"));
  return e;
}

json catalog_record(const ModelInfo& m) {
  json r;
  r["id"] = m.id;
  r["hf_repo"] = m.hf_repo;
  r["family"] = m.family;
  r["aliases"] = m.aliases;
  r["params_total"] = m.params_total;
  r["params_active"] = m.params_active;
  r["layers"] = m.layers;
  r["hidden_size"] = m.hidden_size;
  r["attention_heads"] = m.attention_heads;
  r["kv_heads"] = m.kv_heads;
  r["head_dim"] = m.head_dim;
  r["vocab"] = m.vocab;
  r["context_trained"] = m.context_trained;
  r["tied_embeddings"] = m.tied_embeddings;
  r["intermediate_size"] = m.intermediate_size;
  if (m.moe_intermediate_size) r["moe_intermediate_size"] = m.moe_intermediate_size;
  if (m.shared_expert_intermediate_size) r["shared_expert_intermediate_size"] = m.shared_expert_intermediate_size;
  if (m.first_dense_layers) r["first_dense_layers"] = m.first_dense_layers;
  if (m.attention_bias) r["attention_bias"] = true;
  if (m.qk_norm) r["qk_norm"] = true;
  if (m.sliding_window) r["sliding_window"] = m.sliding_window;
  if (m.sliding_window_ignored) r["sliding_window_ignored"] = true;
  if (m.sliding_window_ignored_by_mlx) r["sliding_window_ignored_by"] = json::array({"mlx-lm"});
  if (m.pattern)
    r["layer_pattern"] = {{"period", m.pattern->period}, {"full_at", m.pattern->full_at}, {"others", m.pattern->others_linear ? "linear" : "sliding"}};
  if (m.moe) r["moe"] = {{"experts", m.moe->experts}, {"experts_per_token", m.moe->experts_per_token}, {"shared_experts", m.moe->shared_experts}};
  if (m.mla)
    r["mla"] = {{"kv_lora_rank", m.mla->kv_lora_rank}, {"qk_rope_head_dim", m.mla->qk_rope_head_dim},
                {"qk_nope_head_dim", m.mla->qk_nope_head_dim}, {"v_head_dim", m.mla->v_head_dim}};
  if (m.linear)
    r["linear_attention"] = {{"key_heads", m.linear->key_heads},       {"value_heads", m.linear->value_heads},
                             {"key_head_dim", m.linear->key_head_dim}, {"value_head_dim", m.linear->value_head_dim},
                             {"conv_kernel", m.linear->conv_kernel},   {"state_dtype_bytes", m.linear->state_dtype_bytes}};
  auto list = [](const std::vector<Artifact>& as, bool ollama) {
    json out = json::array();
    for (const auto& a : as) {
      json x = {{ollama ? "tag" : "repo", a.repo}, {"quant", a.quant}, {"size_gib", a.size_gib}, {"source", a.source}};
      if (a.bits) x["bits"] = a.bits;
      if (!a.size_note.empty()) x["size_note"] = a.size_note;
      if (a.not_loaded) x["not_loaded"] = true;
      out.push_back(std::move(x));
    }
    return out;
  };
  r["artifacts"] = {{"mlx", list(m.mlx, false)}, {"gguf", list(m.gguf, false)}};
  if (!m.ollama.empty()) r["ollama"] = list(m.ollama, true);
  if (m.vision_params > 0) r["vision_params"] = m.vision_params;
  if (!m.notes.empty()) r["notes"] = m.notes;
  r["source"] = m.source;
  return r;
}

}  // namespace planner
