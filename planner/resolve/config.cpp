#include "resolve/config.h"

#include <algorithm>
#include <iterator>

#include "core/context_size.h"
#include "validate/schema_check.h"

namespace planner {

namespace {

std::optional<Located<double>> number(const Node* map, const char* key) {
  const Node* n = map ? map->get(key) : nullptr;
  if (!n || !n->is_number()) return std::nullopt;
  return Located<double>{n->number, n};
}

// An integer inside the range its schema (the object schema at `schema`) allows; any other is
// absent here: the schema stage has reported it, and no later stage computes with it.
std::optional<Located<long long>> integer(const Node* map, const char* key, std::string_view schema) {
  const Node* n = map ? map->get(key) : nullptr;
  if (!n || !n->is_scalar() || n->type != Node::Type::integer) return std::nullopt;
  if (!within_schema_range(schema, key, static_cast<double>(n->integer))) return std::nullopt;
  return Located<long long>{n->integer, n};
}

// max_context_tokens: an integer, or a shorthand ("32k" = 32768) that rule LI053 reports with its
// fix; the estimates use the tokens the user meant, not the 4096 default.
std::optional<Located<long long>> context_tokens(const Node* map, const char* key, std::string_view schema) {
  if (auto v = integer(map, key, schema)) return v;
  const Node* n = map ? map->get(key) : nullptr;
  if (!n || !n->is_string()) return std::nullopt;
  const auto tokens = context_shorthand(n->text);
  if (!tokens || !within_schema_range(schema, key, static_cast<double>(*tokens))) return std::nullopt;
  return Located<long long>{*tokens, n};
}

std::optional<Located<double>> bounded_number(const Node* map, const char* key, std::string_view schema) {
  auto v = number(map, key);
  if (v && !within_schema_range(schema, key, v->value)) return std::nullopt;
  return v;
}

constexpr std::string_view kHardware = "/properties/hardware", kInference = "/properties/inference",
                           kRoute = "/definitions/route", kUserModel = "/definitions/user_model",
                           kGpu = "/definitions/gpu";

std::optional<Located<std::string>> string(const Node* map, const char* key) {
  const Node* n = map ? map->get(key) : nullptr;
  if (!n || !n->is_string()) return std::nullopt;
  return Located<std::string>{n->text, n};
}

std::optional<Located<bool>> boolean(const Node* map, const char* key) {
  const Node* n = map ? map->get(key) : nullptr;
  if (!n || !n->is_scalar() || n->type != Node::Type::boolean) return std::nullopt;
  return Located<bool>{n->boolean, n};
}

// A layer count (gpu_layers, cpu_moe_layers): an integer the schema allows, or `all`.
std::optional<Located<long long>> layer_count(const Node* map, const char* key) {
  if (auto v = integer(map, key, kRoute)) return v;
  auto s = string(map, key);
  if (s && s->value == "all") return Located<long long>{kAllLayers, s->node};
  return std::nullopt;
}

// tensor_split: a list of proportions, each a number the schema allows; any other list is absent
// here (the schema stage has reported it).
std::optional<Located<std::vector<double>>> proportions(const Node* map, const char* key) {
  const Node* n = map ? map->get(key) : nullptr;
  if (!n || !n->is_seq() || n->values.empty()) return std::nullopt;
  Located<std::vector<double>> v{{}, n};
  for (const auto& item : n->values) {
    if (!item.is_number() || item.number < 0) return std::nullopt;
    v.value.push_back(item.number);
  }
  return v;
}

std::optional<Located<Format>> format(const Node* map, const char* key) {
  auto s = string(map, key);
  if (!s) return std::nullopt;
  if (s->value == "MLX") return Located<Format>{Format::mlx, s->node};
  if (s->value == "GGUF") return Located<Format>{Format::gguf, s->node};
  if (s->value == "safetensors") return Located<Format>{Format::safetensors, s->node};
  return std::nullopt;
}

const Node* mapping(const Node* map, const char* key) {
  const Node* n = map ? map->get(key) : nullptr;
  return n && n->is_map() ? n : nullptr;
}

}  // namespace

void read_hardware(const Node* hardware, Config& c) {
  c.hardware = hardware;
  c.total_ram_gb = number(c.hardware, "total_ram_gb");
  if (auto v = number(c.hardware, "os_reserve_percent")) c.os_reserve_percent = *v;
  c.architecture = string(c.hardware, "architecture");
  // A value outside the schema's enum was reported by the schema stage; rules must not reason
  // from it (an unknown architecture is not "not Apple silicon").
  static const char* const kArchitectures[] = {"apple_silicon", "linux_nvidia", "windows_nvidia",
                                               "linux_amd",     "windows_amd",  "cpu"};
  if (c.architecture && std::find(std::begin(kArchitectures), std::end(kArchitectures), c.architecture->value) ==
                            std::end(kArchitectures))
    c.architecture.reset();
  c.chip = string(c.hardware, "chip");
  c.gpu_wired_limit_gb = number(c.hardware, "gpu_wired_limit_gb");
  c.macos_version = integer(c.hardware, "macos_version", kHardware);
  c.gpu_vram_gb = number(c.hardware, "gpu_vram_gb");
  if (const Node* gpus = c.hardware ? c.hardware->get("gpus") : nullptr; gpus && gpus->is_seq()) {
    c.gpus_node = gpus;
    for (const auto& item : gpus->values) {
      GpuConfig g;
      g.node = &item;
      if (item.is_map()) {
        g.chip = string(&item, "chip");
        g.vram_gb = bounded_number(&item, "vram_gb", kGpu);
      }
      c.gpus.push_back(std::move(g));  // one per entry, so gpu<i> is the entry's index
    }
  }
}

Config read_config(const Document& doc) {
  Config c;
  const Node* root = doc.root.is_map() ? &doc.root : nullptr;

  read_hardware(mapping(root, "hardware"), c);

  c.inference = mapping(root, "inference");
  c.preferred_format = format(c.inference, "preferred_format");
  c.fallback_format = format(c.inference, "fallback_format");
  c.quantization = string(c.inference, "quantization");
  c.max_context_tokens = context_tokens(c.inference, "max_context_tokens", kInference);
  if (auto v = number(c.inference, "kv_cache_reserve_percent")) c.kv_cache_reserve_percent = *v;
  if (auto v = string(c.inference, "kv_cache_type")) c.kv_cache_type = *v;
  if (const Node* rr = c.inference ? c.inference->get("resident_routes") : nullptr; rr && rr->is_seq()) {
    c.resident_routes_node = rr;
    for (const auto& item : rr->values)
      if (item.is_string()) c.resident_routes.push_back({item.text, &item});
  }

  c.routing = mapping(root, "routing");
  if (c.routing)
    for (std::size_t i = 0; i < c.routing->keys.size(); ++i) {
      const Node* r = &c.routing->values[i];
      RouteConfig rc;
      rc.name = c.routing->keys[i].text;
      rc.key = &c.routing->keys[i];
      rc.node = r;
      if (!r->is_map()) continue;
      auto model = string(r, "model");
      if (!model) continue;  // the schema stage reports the missing or mistyped model
      rc.model = *model;
      rc.min_ram_gb = number(r, "min_ram_gb");
      rc.format = format(r, "format");
      rc.runtime = string(r, "runtime");
      rc.task = string(r, "task");
      rc.quantization = string(r, "quantization");
      rc.max_context_tokens = context_tokens(r, "max_context_tokens", kRoute);
      rc.kv_cache_type = string(r, "kv_cache_type");
      rc.kv_cache_type_k = string(r, "kv_cache_type_k");
      rc.kv_cache_type_v = string(r, "kv_cache_type_v");
      rc.parallel = integer(r, "parallel", kRoute);
      rc.kv_unified = boolean(r, "kv_unified");
      rc.gpu_layers = layer_count(r, "gpu_layers");
      rc.cpu_moe_layers = layer_count(r, "cpu_moe_layers");
      rc.tensor_parallel = integer(r, "tensor_parallel", kRoute);
      rc.gpu_memory_utilization = bounded_number(r, "gpu_memory_utilization", kRoute);
      rc.flash_attention = string(r, "flash_attention");
      rc.tensor_split = proportions(r, "tensor_split");
      rc.split_mode = string(r, "split_mode");
      rc.main_gpu = integer(r, "main_gpu", kRoute);
      c.routes.push_back(std::move(rc));
    }

  c.monitoring = mapping(root, "monitoring");
  c.memory_pressure_threshold = number(c.monitoring, "memory_pressure_threshold");
  c.action_on_threshold = string(c.monitoring, "action_on_threshold");
  c.log_output = string(mapping(root, "logging"), "output");

  c.validation = mapping(root, "validation");
  c.validation_prompts = string(c.validation, "prompts");
  if (c.validation_prompts && c.validation_prompts->value.empty()) c.validation_prompts.reset();
  constexpr std::string_view kValidation = "/properties/validation";
  if (auto m = bounded_number(c.validation, "time_budget_minutes", kValidation)) c.validation_minutes = *m;
  if (auto t = integer(c.validation, "max_tokens", kValidation)) c.validation_max_tokens = *t;
  if (const Node* rs = c.validation ? c.validation->get("routes") : nullptr; rs && rs->is_seq()) {
    c.validation_routes_node = rs;
    for (const auto& v : rs->values)
      if (v.is_string()) c.validation_routes.push_back({v.text, &v});
  }

  c.models_node = mapping(root, "models");
  if (const Node* models = c.models_node)
    for (std::size_t i = 0; i < models->keys.size(); ++i) {
      const Node* m = &models->values[i];
      auto params = bounded_number(m, "params_b", kUserModel);
      auto config = string(m, "config");
      if (config && config->value.empty()) config.reset();
      auto layers = integer(m, "layers", kUserModel);
      auto kv = integer(m, "kv_heads", kUserModel);
      auto hd = integer(m, "head_dim", kUserModel);
      // Complete: the parameters, and the shapes either here or in the config.json it names.
      if (!params || (!config && (!layers || !kv || !hd))) continue;
      auto as_int = [&](const char* key) {
        auto v = integer(m, key, kUserModel);
        return v ? static_cast<int>(v->value) : 0;
      };
      UserModel u;
      u.name = models->keys[i].text;
      u.key = &models->keys[i];
      u.params_b = params->value;
      u.config = config;
      if (auto a = bounded_number(m, "active_params_b", kUserModel)) u.active_params_b = a->value;
      u.layers = as_int("layers");
      u.kv_heads = as_int("kv_heads");
      u.head_dim = as_int("head_dim");
      u.attention_heads = as_int("attention_heads");
      u.hidden_size = as_int("hidden_size");
      u.vocab = as_int("vocab");
      if (auto v = integer(m, "context_trained", kUserModel)) u.context_trained = v->value;
      u.sliding_window = as_int("sliding_window");
      // The nested blocks: read only when every key the schema requires is there and in range
      // (the schema stage has reported anything else).
      constexpr std::string_view kPattern = "/definitions/user_model/properties/layer_pattern",
                                 kMoe = "/definitions/user_model/properties/moe",
                                 kMla = "/definitions/user_model/properties/mla",
                                 kLinear = "/definitions/user_model/properties/linear_attention";
      if (const Node* lp = mapping(m, "layer_pattern")) {
        const Node* at = lp->get("full_at");
        auto period = integer(lp, "period", kPattern);
        auto others = string(lp, "others");
        bool ok = period && at && at->is_seq() && (!lp->get("others") || (others && (others->value == "sliding" ||
                                                                                    others->value == "linear")));
        LayerPattern p;
        if (ok) {
          p.period = static_cast<int>(period->value);
          p.others_linear = others && others->value == "linear";
          for (const auto& v : at->values) {
            if (!v.is_scalar() || v.type != Node::Type::integer || v.integer < 0 || v.integer >= p.period) ok = false;
            else p.full_at.push_back(static_cast<int>(v.integer));
          }
        }
        if (ok) u.pattern = std::move(p);
      }
      if (const Node* mo = mapping(m, "moe")) {
        auto e = integer(mo, "experts", kMoe), k = integer(mo, "experts_per_token", kMoe);
        auto sh = integer(mo, "shared_experts", kMoe);
        if (e && k && k->value <= e->value) u.moe = MoeInfo{static_cast<int>(e->value), static_cast<int>(k->value),
                                    sh ? static_cast<int>(sh->value) : 0};
      }
      if (const Node* ml = mapping(m, "mla")) {
        auto rank = integer(ml, "kv_lora_rank", kMla), rope = integer(ml, "qk_rope_head_dim", kMla);
        auto nope = integer(ml, "qk_nope_head_dim", kMla), v = integer(ml, "v_head_dim", kMla);
        if (rank && rope)
          u.mla = MlaInfo{static_cast<int>(rank->value), static_cast<int>(rope->value),
                          nope ? static_cast<int>(nope->value) : 0, v ? static_cast<int>(v->value) : 0};
      }
      if (const Node* la = mapping(m, "linear_attention")) {
        auto kh = integer(la, "key_heads", kLinear), vh = integer(la, "value_heads", kLinear);
        auto kd = integer(la, "key_head_dim", kLinear), vd = integer(la, "value_head_dim", kLinear);
        auto conv = integer(la, "conv_kernel", kLinear);
        if (kh && vh && kd && vd) {
          LinearAttentionInfo l;
          l.key_heads = static_cast<int>(kh->value);
          l.value_heads = static_cast<int>(vh->value);
          l.key_head_dim = static_cast<int>(kd->value);
          l.value_head_dim = static_cast<int>(vd->value);
          l.conv_kernel = conv ? static_cast<int>(conv->value) : 0;
          u.linear = l;
        }
      }
      if (auto v = string(m, "hf_repo")) u.hf_repo = v->value;
      if (auto v = string(m, "mlx_repo")) u.mlx_repo = v->value;
      if (auto v = string(m, "gguf_repo")) u.gguf_repo = v->value;
      c.user_models.push_back(std::move(u));
    }
  return c;
}

}  // namespace planner
