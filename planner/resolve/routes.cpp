#include "resolve/routes.h"

#include "core/text.h"
#include "modelfile/hf_config.h"
#include "modelfile/load_model.h"
#include "resolve/model_name.h"
#include "resolve/local_model.h"
#include "resolve/serving.h"

#include <cstdlib>
#include <filesystem>
#include <map>

namespace planner {

std::size_t Resolution::route_at(std::string_view name) const {
  auto it = route_index.find(std::string(name));
  return it == route_index.end() ? npos : it->second;
}

const ResolvedRoute* Resolution::route(std::string_view name) const {
  const std::size_t i = route_at(name);
  return i == npos ? nullptr : &routes[i];
}

std::string task_kind(const RouteConfig& r) {
  if (r.task) return r.task->value;
  std::string n = to_lower(r.name);
  // Route names people use for the seed's task kinds.
  if (n == "code" || n == "coding" || n == "coder" || n == "programming") return "code";
  if (n == "reasoning" || n == "analysis" || n == "math" || n == "deep_reasoning") return "reasoning";
  if (n == "quick_qa" || n == "qa" || n == "chat" || n == "quick" || n == "routing") return "quick_qa";
  if (n == "creative" || n == "writing" || n == "creative_writing") return "creative";
  if (n == "general") return "general";
  return "general";
}

namespace {

// A user-described model: the config.json it names (read by the reader that sizes model
// directories), then every key written under models: over it. nullopt when the config.json cannot
// be read and the keys alone do not describe the model.
std::optional<ModelInfo> from_user(const UserModel& u, const std::string& base_dir, Resolution& res) {
  ModelInfo m;
  bool from_file = false;
  if (u.config) {
    std::filesystem::path path(u.config->value);
    if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
    try {
      m = read_hf_config(path.lexically_normal()).model;
      from_file = true;
    } catch (const std::exception& e) {
      res.model_config_errors.push_back({u.name, u.config->node, e.what()});
      if (u.layers <= 0 || u.kv_heads <= 0 || u.head_dim <= 0) return std::nullopt;
    }
  }
  m.id = u.name;
  if (!from_file) m.family = "user";
  m.params_total = u.params_b * 1e9;
  m.params_active = u.active_params_b.value_or(u.params_b) * 1e9;
  auto over = [](int given, int& field) {
    if (given > 0) field = given;
  };
  over(u.layers, m.layers);
  over(u.kv_heads, m.kv_heads);
  over(u.head_dim, m.head_dim);
  over(u.attention_heads, m.attention_heads);
  over(u.hidden_size, m.hidden_size);
  over(u.vocab, m.vocab);
  over(u.sliding_window, m.sliding_window);
  if (u.context_trained > 0) m.context_trained = u.context_trained;
  if (m.attention_heads <= 0) m.attention_heads = m.kv_heads;
  // Unknown width: it only sizes compute buffers, not the budget's main terms.
  if (m.hidden_size <= 0) m.hidden_size = m.kv_heads * m.head_dim;
  if (u.pattern) m.pattern = u.pattern;
  if (u.moe) m.moe = u.moe;
  if (u.mla) m.mla = u.mla;
  if (u.linear) m.linear = u.linear;
  // Fewer active than total parameters and no experts described: a mixture of experts of unknown
  // shape, counted as one (only is_moe() reads it).
  if (!m.moe && u.active_params_b && *u.active_params_b < u.params_b) m.moe = MoeInfo{2, 1, 0};
  // A pattern with sliding layers but no window describes full attention on every layer.
  if (m.sliding_window <= 0 && m.pattern && !m.pattern->others_linear) m.pattern.reset();
  if (!u.hf_repo.empty()) m.hf_repo = u.hf_repo;
  if (!u.mlx_repo.empty()) m.mlx.push_back({u.mlx_repo, "", 0, 0, "config", "", false});
  if (!u.gguf_repo.empty()) m.gguf.push_back({u.gguf_repo, "", 0, 0, "config", "", false});
  m.source = from_file ? "the config's models: section and " + u.config->value : "the config's models: section";
  m.user_defined = true;
  return m;
}

// The route's own value, else the one it inherits from `inference:`, else a default; the node it
// came from (nullptr for the default) is where diagnostics about it point.
template <typename T>
void inherit(const std::optional<Located<T>>& own, const std::optional<Located<T>>& shared, T fallback, T& value,
             const Node*& node) {
  const auto& from = own ? own : shared;
  value = from ? from->value : std::move(fallback);
  node = from ? from->node : nullptr;
}

// The catalog's model for the name as people write it (resolve/model_name.h). A GGUF file name
// that is no file on disk is a name too; a file that exists but could not be read stays LI042's.
void resolve_name(ResolvedRoute& r, const Catalog& catalog, const QuantTables& qt, const std::string& base_dir) {
  std::error_code ec;
  if (!r.file_error.empty() && std::filesystem::exists(std::filesystem::path(base_dir) / r.cfg->model.value, ec)) return;
  const ModelName n = resolve_model_name(catalog, qt, r.cfg->model.value);
  if (!n.match) return;
  r.model = n.match->model;
  r.file_error.clear();
  r.name_quant = n.quant;
  if (n.format == "mlx") r.name_format = Format::mlx;
  if (n.format == "gguf") r.name_format = Format::gguf;
  // A tag of the Ollama library the catalog lists (`qwen3:8b`, bare `llama3.2`), not an alias that
  // only looks like one: the library's tags are GGUF files Ollama serves.
  r.name_ollama_tag = n.form == NameForm::ollama_tag && n.format == "gguf";
  for (const auto& t : r.model->ollama)  // the artifact itself, or `name:latest` of a bare library tag
    if (n.match->artifact == &t || (n.form == NameForm::ollama_tag && iequals(t.repo, n.reduced))) r.name_ollama_tag = true;
}

}  // namespace

Resolution resolve_routes(const Config& cfg, const Catalog& catalog, const QuantTables& qt, const std::string& base_dir) {
  Resolution res;
  std::unordered_map<std::string, const ModelInfo*> user_model_by_name;
  for (const auto& u : cfg.user_models) {
    auto m = from_user(u, base_dir, res);
    if (!m) continue;
    res.user_models.push_back(std::move(*m));
    user_model_by_name[res.user_models.back().id] = &res.user_models.back();
  }
  // A model file named by many routes is read once (a 1 MB config can name one file 49,000 times).
  std::unordered_map<std::string, const ModelFileInfo*> file_by_path;
  std::unordered_map<std::string, std::string> error_by_path;
  std::map<std::pair<std::string, Format>, WeightQuant> quant_by_name;
  LocalLookups local;
  for (const auto& rc : cfg.routes) {
    ResolvedRoute r;
    r.cfg = &rc;
    if (auto u = user_model_by_name.find(rc.model.value); u != user_model_by_name.end()) r.model = u->second;
    if (!r.model && looks_like_model_path(rc.model.value)) {
      std::string p = rc.model.value;
      if (p.rfind("~/", 0) == 0)
        if (const char* home = std::getenv("HOME")) p = std::string(home) + p.substr(1);
      std::filesystem::path path(p);
      if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
      const std::string key = path.lexically_normal().string();
      if (auto f = file_by_path.find(key); f != file_by_path.end()) {
        r.file = f->second;
        r.model = &r.file->model;
      } else if (auto e = error_by_path.find(key); e != error_by_path.end()) {
        r.file_error = e->second;
      } else if (ModelLoad load = load_model_file(path); load.info) {
        load.info->model.user_defined = true;  // not a catalog entry: no published conversions to suggest
        res.files.push_back(std::move(*load.info));
        r.file = &res.files.back();
        r.model = &r.file->model;
        file_by_path.emplace(key, r.file);
      } else {
        r.file_error = load.error;
        error_by_path.emplace(key, load.error);
      }
    }
    r.seed = catalog.seed_name(rc.model.value);
    if (!r.model) resolve_name(r, catalog, qt, base_dir);
    if (!r.model && r.seed) r.model = catalog.find(r.seed->maps_to);

    inherit(rc.format, cfg.preferred_format, cfg.apple_silicon() ? Format::mlx : Format::gguf, r.format, r.format_node);
    // A route that names its runtime but no format gets a format that runtime loads.
    const Runtime* asked = rc.runtime ? find_runtime(rc.runtime->value) : nullptr;
    if (asked && !rc.format && !asked->loads(r.format) && !asked->formats.empty()) {
      r.format = asked->formats.front();
      r.format_node = rc.runtime->node;
    }
    inherit(rc.quantization, cfg.quantization, std::string("Q4_K_M"), r.quant_name, r.quant_node);  // the seed's default
    // What the model's name carries wins over what the route says (LI052 reports a contradiction).
    if (r.name_format) {
      r.format = *r.name_format;
      r.format_node = rc.model.node;
    }
    if (!r.name_quant.empty() && resolve_quant(qt, r.name_quant, r.format).known) {
      r.quant_name = r.name_quant;
      r.quant_node = rc.model.node;
    } else {
      r.name_quant.clear();
    }
    // One resolution per quantization name and format, however many routes share it.
    auto q = quant_by_name.find({r.quant_name, r.format});
    if (q == quant_by_name.end())
      q = quant_by_name.emplace(std::pair{r.quant_name, r.format}, resolve_quant(qt, r.quant_name, r.format)).first;
    r.quant = q->second;
    // A name already downloaded (HF cache, Ollama, LM Studio) is read from disk, as a path would be.
    use_local_model(rc, r.quant_name, res, r, local);
    if (r.file) {
      // A model file is already quantized: its own tensors decide the runtime and the bytes.
      // A plain Hugging Face checkpoint (no MLX quantization) is what mlx-lm and vLLM both load:
      // vLLM's when the route asks for it, else mlx-lm's as before.
      const bool plain_checkpoint = r.file->format == "safetensors";
      r.format = r.file->format == "GGUF" ? Format::gguf
                 : plain_checkpoint && asked && asked->loads(Format::safetensors) ? Format::safetensors
                                                                                 : Format::mlx;
      r.quant = file_weight_quant(*r.file);
      r.quant_name = r.quant.label;
    }
    // A model named by an Ollama tag (`qwen3:8b`) is one the user runs in Ollama: the name says
    // where it comes from, so it is Ollama's route unless the route names another runtime.
    const Runtime* by_name = r.name_ollama_tag ? find_runtime("ollama") : nullptr;
    if (asked && asked->loads(r.format)) r.runtime = asked;
    else if (!asked && by_name && by_name->loads(r.format)) r.runtime = by_name;
    else r.runtime = &default_runtime(r.format);
    r.rules = &r.runtime->memory_rules(r.format);

    inherit(rc.max_context_tokens, cfg.max_context_tokens, kDefaultRouteContext, r.context, r.context_node);
    // Ollama runs a model at its params' num_ctx unless told otherwise; the config's context wins.
    if (!r.context_node && r.local && r.local->num_ctx) r.context = *r.local->num_ctx;

    r.kv_type = rc.kv_cache_type ? rc.kv_cache_type->value : cfg.kv_cache_type.value;
    r.serving = resolve_serving(rc, *r.rules, r.kv_type, qt);
    // Slots the engine itself allows: Ollama serves some architectures with one.
    if (r.model) r.serving.slots = engine_slots(*r.runtime, r.model->family, r.serving.slots);
    r.kv_bytes_per_element = (r.serving.k_bytes_per_element + r.serving.v_bytes_per_element) / 2;
    r.task = task_kind(rc);
    res.route_index.emplace(rc.name, res.routes.size());
    res.routes.push_back(std::move(r));
  }
  return res;
}

}  // namespace planner
