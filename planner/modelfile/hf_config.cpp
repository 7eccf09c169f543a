#include "modelfile/hf_config.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "core/errno_text.h"
#include "core/text.h"
#include "modelfile/layer_pattern.h"
#include "modelfile/limits.h"
#include "modelfile/safetensors.h"
#include "modelfile/vision_tower.h"

namespace planner {

namespace {

using nlohmann::json;

// A config.json is a few KiB; anything this large is not one.
constexpr std::uintmax_t kMaxConfigBytes = 16u << 20;

// A JSON value as a message shows it: numbers exactly, strings quoted, containers by kind.
std::string shown_json(const json& v) {
  if (v.is_string()) return "\"" + shown_value(v.get_ref<const std::string&>()) + "\"";
  if (v.is_array()) return "a list";
  if (v.is_object()) return "an object";
  return shown_value(v.dump());
}

// Where a value sits, for "FILE: byte N: ..." messages: N is the offset of `"key"` at or after
// `from` (the start of text_config for values read there), or after the first `"scope"` past
// `from` (a module's override inside the quantization block). Searched only for an error: a
// search per value read would be quadratic in a block of 250,000 module overrides.
struct Where {
  std::string_view key;
  std::size_t from = 0;
  std::string_view scope = {};
};

class Source {
 public:
  Source(const std::string& name, std::string_view text) : name_(name), text_(text) {}

  // The offset of `"key"` at or after `from` (else its first occurrence, else 0).
  std::size_t offset_of(std::string_view key, std::size_t from = 0) const {
    const std::string quoted = "\"" + std::string(key) + "\"";
    std::size_t at = text_.find(quoted, from);
    if (at == std::string_view::npos) at = text_.find(quoted);
    return at == std::string_view::npos ? 0 : at;
  }

  [[noreturn]] void fail(const Where& w, const std::string& what) const {
    const std::size_t from = w.scope.empty() ? w.from : offset_of(w.scope, w.from);
    throw std::runtime_error(name_ + ": byte " + std::to_string(offset_of(w.key, from)) + ": " + what);
  }

  // `v` as an integer in [0, max]: anything else is an error naming the value (`label`, else the
  // key), what it is and the limit. Integral floats (4096.0) are accepted; nothing is clamped or
  // wrapped.
  long long integer(const json& v, const Where& w, long long max, std::string_view label = {}) const {
    auto bad = [&](const std::string& what) {
      fail(w, "'" + shown_value(label.empty() ? w.key : label) + "' is " + shown_json(v) + what);
    };
    const std::string over = ", over the limit of " + std::to_string(max);
    if (v.is_number_unsigned()) {
      if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) bad(over);
      return static_cast<long long>(v.get<std::uint64_t>());
    }
    if (v.is_number_integer()) {
      const long long x = v.get<long long>();
      if (x < 0) bad(": it cannot be negative");
      if (x > max) bad(over);
      return x;
    }
    if (v.is_number_float()) {
      const double d = v.get<double>();
      // Checked before any cast: converting NaN, infinity or an out-of-range double to an
      // integer is undefined behaviour.
      if (!std::isfinite(d)) bad(", not a finite number");
      if (d < 0) bad(": it cannot be negative");
      if (d > static_cast<double>(max)) bad(over);
      if (std::floor(d) != d) bad(", not a whole number");
      return static_cast<long long>(d);
    }
    bad(", not an integer");
    return 0;  // not reached: bad() throws
  }

 private:
  const std::string& name_;
  std::string_view text_;
};

// Reads fields from the language-model part of the config (text_config when present) and
// falls back to the top level, which is where VLM wrappers keep a few (tie_word_embeddings,
// quantization). Integers out of their range are errors (Source::integer); a boolean of the
// wrong type is a warning.
class Fields {
 public:
  Fields(const json& top, const json* text, const Source& src, std::size_t text_at, std::vector<std::string>& warnings)
      : top_(top), text_(text), src_(src), text_at_(text_at), warnings_(warnings) {}

  const json* find(const char* key) const { return find_in(key).first; }
  bool has(const char* key) const { return find(key) != nullptr; }
  // Explicitly null (e.g. Mistral's `"sliding_window": null`).
  bool is_null(const char* key) const {
    const json& j = text_ != nullptr && text_->contains(key) ? *text_ : top_;
    auto it = j.find(key);
    return it != j.end() && it->is_null();
  }

  // An integer in [0, max] (limits.h), or nullopt when absent or null.
  std::optional<int> integer(const char* key, long long max) const {
    auto [v, in_text] = find_in(key);
    if (v == nullptr) return std::nullopt;
    return static_cast<int>(src_.integer(*v, Where{key, in_text ? text_at_ : 0}, max));
  }
  int integer_or(const char* key, long long max, int fallback) const { return integer(key, max).value_or(fallback); }

  std::optional<bool> boolean(const char* key) const {
    const json* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_boolean()) return v->get<bool>();
    warnings_.push_back(std::string("config.json: '") + key + "' is not a boolean: ignored");
    return std::nullopt;
  }

  std::string string(const char* key) const {
    const json* v = find(key);
    return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
  }

 private:
  // The value and whether it came from text_config.
  std::pair<const json*, bool> find_in(const char* key) const {
    if (text_ != nullptr) {
      auto it = text_->find(key);
      if (it != text_->end() && !it->is_null()) return {&*it, true};
    }
    auto it = top_.find(key);
    if (it != top_.end() && !it->is_null()) return {&*it, false};
    return {nullptr, false};
  }

  const json& top_;
  const json* text_;
  const Source& src_;
  std::size_t text_at_;
  std::vector<std::string>& warnings_;
};

// Defaults of fields that real checkpoints leave out because the config class supplies them.
// Only the model types whose published config.json omit fields planner needs are listed.
struct TypeDefaults {
  const char* model_type;
  int attention_heads, kv_heads, head_dim, vocab, max_position, sliding_window, sliding_pattern;
  bool tied;
};
constexpr TypeDefaults kTypeDefaults[] = {
    // transformers src/transformers/models/gemma2/configuration_gemma2.py (Gemma2Config fields):
    // head_dim 256, vocab 256000, max_position_embeddings 8192, tie_word_embeddings True,
    // sliding_window 4096; layer i slides when (i + 1) % 2 != 0.
    {"gemma2", 0, 0, 256, 256000, 8192, 4096, 0, true},
    // transformers models/gemma3/configuration_gemma3.py (Gemma3TextConfig.__init__): 8 heads,
    // 4 KV heads, head_dim 256, vocab 262208, max_position 131072, tied, sliding_window 4096,
    // sliding_window_pattern 6. mlx-lm mlx_lm/models/gemma3_text.py ModelArgs agrees on the pattern.
    {"gemma3_text", 8, 4, 256, 262208, 131072, 4096, 6, true},
    // transformers models/qwen3_5/configuration_qwen3_5.py (Qwen3_5TextConfig): head_dim 256,
    // vocab 248320, 16 heads / 4 KV heads, untied.
    {"qwen3_5_text", 16, 4, 256, 248320, 32768, 0, 0, false},
};

// planner's family names (the per-tensor layouts in estimate/gguf_recipe.cpp and mlx_recipe.cpp
// are keyed by them) for the model_type values that share a layout. Other model types keep their
// own name, and the estimate falls back to parameters x bits per weight for them.
std::string family_of(const std::string& model_type) {
  static constexpr std::pair<const char*, const char*> kFamilies[] = {
      {"qwen3_moe", "qwen3moe"},     {"gemma3_text", "gemma3"},  {"deepseek_v2", "deepseek2"},
      {"deepseek_v3", "deepseek2"},  {"gpt_oss", "gpt-oss"},     {"qwen3_5_text", "qwen3_5"},
      {"qwen3_5_moe", "qwen3_5"},    {"qwen3_5_moe_text", "qwen3_5"},
      // The VLMs' language models are the text models' layouts (llama.cpp converts them to the
      // same tensors; mlx-lm's qwen3_vl.py / qwen2_vl.py wrap qwen3.Model / qwen2.Model).
      {"qwen3_vl_text", "qwen3"},    {"qwen3_vl_moe_text", "qwen3moe"}, {"qwen2_5_vl", "qwen2"},
      {"qwen2_vl", "qwen2"},
  };
  for (const auto& [type, family] : kFamilies)
    if (model_type == type) return family;
  return model_type;
}

const TypeDefaults* defaults_for(const std::string& model_type) {
  for (const auto& d : kTypeDefaults)
    if (model_type == d.model_type) return &d;
  return nullptr;
}

enum class Kind { full, sliding, linear, unknown };

Kind kind_of(const std::string& t) {
  // transformers configuration_utils.py: ALLOWED_LAYER_TYPES and _LEGACY_LAYER_TYPE_REMAP
  // ("attention" -> full_attention, "mamba" -> linear_attention).
  if (t == "full_attention" || t == "attention") return Kind::full;
  if (t == "sliding_attention") return Kind::sliding;
  if (t == "linear_attention" || t == "mamba") return Kind::linear;
  return Kind::unknown;
}

// The shortest period that reproduces `kinds`, as a LayerPattern (linear time: layer_pattern.h).
// nullopt when every layer is of one kind (no pattern needed).
std::optional<LayerPattern> pattern_of(const std::vector<Kind>& kinds) {
  const std::size_t n = kinds.size();
  bool uniform = true;
  for (Kind k : kinds) uniform = uniform && k == kinds[0];
  if (n == 0 || uniform) return std::nullopt;
  const std::size_t period = shortest_period(kinds);
  LayerPattern lp;
  lp.period = static_cast<int>(period);
  for (std::size_t i = 0; i < period; ++i) {
    if (kinds[i] == Kind::full) lp.full_at.push_back(static_cast<int>(i));
    if (kinds[i] == Kind::linear) lp.others_linear = true;
  }
  return lp;
}

void read_quantization(const json& root, const json* text, const Source& src, HfConfig& out) {
  // mlx-lm mlx_lm/utils.py @d78bf58: quantize_model() writes
  //   config["quantization"] = {"group_size", "bits", "mode", <module path>: {...} or false}
  // and copies it to "quantization_config" ("support hf model tree #957"); load_model() reads
  // "quantization" first, and a VLM's text_config.quantization_config as a fallback.
  const json* q = nullptr;
  const char* q_name = "quantization";
  for (const json* scope : {&root, text}) {
    if (scope == nullptr || q != nullptr) continue;
    if (auto it = scope->find("quantization"); it != scope->end() && it->is_object()) q = &*it;
  }
  if (q == nullptr)
    for (const json* scope : {&root, text}) {
      if (scope == nullptr || q != nullptr) continue;
      auto it = scope->find("quantization_config");
      if (it != scope->end() && it->is_object() && !it->contains("quant_method") && it->contains("bits")) {
        q = &*it;
        q_name = "quantization_config";
      }
    }
  const std::size_t q_at = src.offset_of(q_name);
  // bits and group_size of the block (`module` empty) or of one module's override; 0 = absent.
  auto read_one = [&](const json& j, MlxQuant& m, const std::string& module) {
    const std::string prefix = std::string(q_name) + "." + (module.empty() ? "" : module + ".");
    if (auto b = j.find("bits"); b != j.end() && !b->is_null())
      m.bits = static_cast<int>(src.integer(*b, Where{"bits", q_at, module}, limits::kQuantBits, prefix + "bits"));
    if (auto g = j.find("group_size"); g != j.end() && !g->is_null())
      m.group_size = static_cast<int>(
          src.integer(*g, Where{"group_size", q_at, module}, limits::kQuantGroup, prefix + "group_size"));
    if (auto md = j.find("mode"); md != j.end() && md->is_string()) m.mode = md->get<std::string>();
  };
  if (q != nullptr) {
    out.quant.mlx = true;
    read_one(*q, out.quant.global, "");
    // mlx-lm utils.py defaults_for_mode: affine (64, 4), mxfp4 (32, 4), nvfp4 (16, 4), mxfp8 (32, 8).
    if (out.quant.global.mode.empty()) out.quant.global.mode = "affine";
    const std::string& mode = out.quant.global.mode;
    int dg = mode == "mxfp4" || mode == "mxfp8" ? 32 : mode == "nvfp4" ? 16 : 64;
    int db = mode == "mxfp8" ? 8 : 4;
    if (out.quant.global.group_size <= 0) out.quant.global.group_size = dg;
    if (out.quant.global.bits <= 0) out.quant.global.bits = db;
    for (auto it = q->begin(); it != q->end(); ++it) {
      if (it.key() == "bits" || it.key() == "group_size" || it.key() == "mode") continue;
      MlxQuant m = out.quant.global;
      if (it->is_boolean()) {
        m.quantized = it->get<bool>();
      } else if (it->is_object()) {
        m.bits = m.group_size = 0;
        read_one(*it, m, it.key());
        if (m.bits == 0) m.bits = out.quant.global.bits;
        if (m.group_size == 0) m.group_size = out.quant.global.group_size;
      } else {
        continue;
      }
      out.quant.modules[it.key()] = m;
    }
    return;
  }
  // Checkpoints quantized elsewhere (transformers' quantization_config: fp8, gptq, awq, mxfp4...).
  for (const json* scope : {&root, text}) {
    if (scope == nullptr) continue;
    auto it = scope->find("quantization_config");
    if (it == scope->end() || !it->is_object()) continue;
    if (auto m = it->find("quant_method"); m != it->end() && m->is_string()) out.quant.quant_method = m->get<std::string>();
    if (auto b = it->find("bits"); b != it->end() && !b->is_null())
      out.quant.method_bits = static_cast<int>(
          src.integer(*b, Where{"bits", 0, "quantization_config"}, limits::kQuantBits, "quantization_config.bits"));
    break;
  }
}

}  // namespace

const MlxQuant& HfQuantization::for_module(const std::string& path) const {
  auto it = modules.find(path);
  return it != modules.end() ? it->second : global;
}

HfConfig parse_hf_config(std::string_view text_in, const std::string& name) {
  // Real configs nest four or five levels (quantization overrides, rope_scaling).
  constexpr int kMaxNesting = 32;
  // ...and hold a few hundred values; an MLX mixed-precision block lists every module, three
  // values each: 61 layers x 256 experts x 3 projections is ~140,000.
  constexpr std::uint64_t kMaxValues = 1 << 20;
  const JsonScan scan = json_scan(text_in, kMaxNesting, kMaxValues);
  if (scan.depth > kMaxNesting)
    throw std::runtime_error(name + ": byte " + std::to_string(scan.depth_at) + ": config.json nests deeper than " +
                             std::to_string(kMaxNesting) + " levels");
  if (scan.values > kMaxValues)
    throw std::runtime_error(name + ": byte " + std::to_string(scan.values_at) + ": config.json holds more than " +
                             std::to_string(kMaxValues) + " JSON values (the limit)");
  json root;
  try {
    root = json::parse(text_in.begin(), text_in.end());
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    throw std::runtime_error(name + ": byte " + std::to_string(e.byte) + ": invalid JSON: " + what);
  } catch (const json::exception& e) {  // out_of_range: a number beyond a double ("1e400"); no offset
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    throw std::runtime_error(name + ": byte 0: invalid JSON: " + what);
  }
  if (!root.is_object()) throw std::runtime_error(name + ": byte 0: config.json is not a JSON object");

  HfConfig out;
  const json* text = nullptr;
  // VLM wrappers (Qwen3.5, Gemma 3, Llava...) keep the language model under text_config:
  // transformers configuration_qwen3_5.py (Qwen3_5Config.sub_configs), configuration_gemma3.py.
  if (auto it = root.find("text_config"); it != root.end() && it->is_object()) text = &*it;
  const Source src(name, text_in);
  Fields f(root, text, src, text != nullptr ? src.offset_of("text_config") : 0, out.warnings);
  ModelInfo& m = out.model;

  if (auto it = root.find("model_type"); it != root.end() && it->is_string()) out.model_type = it->get<std::string>();
  if (text != nullptr) {
    out.outer_model_type = out.model_type;
    if (auto it = text->find("model_type"); it != text->end() && it->is_string()) out.model_type = it->get<std::string>();
  }
  if (auto it = root.find("architectures"); it != root.end() && it->is_array())
    for (const auto& a : *it)
      if (a.is_string()) out.architectures.push_back(a.get<std::string>());
  out.torch_dtype = f.string("torch_dtype");
  if (out.torch_dtype.empty()) out.torch_dtype = f.string("dtype");
  m.family = family_of(out.model_type);
  const TypeDefaults* d = defaults_for(out.model_type);

  // Core geometry: transformers models/llama/configuration_llama.py (num_hidden_layers,
  // hidden_size, num_attention_heads, num_key_value_heads "defaults to num_attention_heads",
  // head_dim "defaults to hidden_size // num_attention_heads", vocab_size,
  // max_position_embeddings, tie_word_embeddings); mlx-lm mlx_lm/models/llama.py ModelArgs
  // (__post_init__: num_key_value_heads = num_attention_heads when None).
  m.layers = f.integer_or("num_hidden_layers", limits::kLayers, 0);
  m.hidden_size = f.integer_or("hidden_size", limits::kWidth, 0);
  m.attention_heads = f.integer_or("num_attention_heads", limits::kHeads, d ? d->attention_heads : 0);
  m.kv_heads = f.integer_or("num_key_value_heads", limits::kHeads, d && d->kv_heads ? d->kv_heads : m.attention_heads);
  int default_head_dim = d && d->head_dim ? d->head_dim : (m.attention_heads > 0 ? m.hidden_size / m.attention_heads : 0);
  m.head_dim = f.integer_or("head_dim", limits::kHeadDim, default_head_dim);
  m.vocab = f.integer_or("vocab_size", limits::kVocab, d ? d->vocab : 0);
  m.context_trained = f.integer_or("max_position_embeddings", limits::kContext, d ? d->max_position : 0);
  m.tied_embeddings = f.boolean("tie_word_embeddings").value_or(d ? d->tied : false);
  for (const char* key : {"num_hidden_layers", "hidden_size", "num_attention_heads", "vocab_size"})
    if (!f.has(key) && !(d && (std::string(key) == "num_attention_heads" || std::string(key) == "vocab_size")))
      out.warnings.push_back(std::string("config.json has no '") + key + "'");

  // Layer kinds. Sources:
  // - `layer_types` lists (gpt-oss: mlx-lm models/gpt_oss.py ModelArgs.layer_types
  //   "sliding_attention"/"full_attention"; Qwen3.5: transformers configuration_qwen3_5.py
  //   "linear_attention"/"full_attention").
  // - Qwen2 family: transformers models/qwen2/configuration_qwen2.py, `sliding_window` only when
  //   `use_sliding_window`, on layers i >= max_window_layers.
  // - Gemma 2: configuration_gemma2.py, layer i slides when (i + 1) % 2 != 0.
  // - Gemma 3: configuration_gemma3.py / mlx-lm gemma3_text.py, `sliding_window_pattern` P:
  //   layer i is global when i % P == P - 1.
  // - Qwen3.5 without layer_types: `full_attention_interval` (default 4), same rule, others linear.
  int window = f.integer_or("sliding_window", limits::kContext, 0);  // 0 = none
  if (window == 0 && d && d->sliding_window && !f.has("sliding_window") && !f.is_null("sliding_window"))
    window = d->sliding_window;
  if (auto use = f.boolean("use_sliding_window"); use.has_value() && !*use) window = 0;
  std::vector<Kind> kinds;
  if (const json* lt = f.find("layer_types"); lt != nullptr && lt->is_array()) {
    // One entry per layer, so the layer limit applies to its length too (limits.h).
    if (lt->size() > static_cast<std::size_t>(limits::kLayers))
      src.fail(Where{"layer_types"}, "'layer_types' lists " + std::to_string(lt->size()) + " layers, over the limit of " +
                                     std::to_string(limits::kLayers));
    std::size_t unknown = 0;
    std::string first_unknown;
    kinds.reserve(lt->size());
    for (const auto& t : *lt) {
      Kind k = t.is_string() ? kind_of(t.get_ref<const std::string&>()) : Kind::unknown;
      if (k == Kind::unknown) {
        if (unknown++ == 0) first_unknown = t.is_string() ? shown_value(t.get_ref<const std::string&>()) : shown_json(t);
        k = Kind::full;  // the conservative choice: a full cache is the largest
      }
      kinds.push_back(k);
    }
    if (unknown > 0)
      out.warnings.push_back("config.json: layer type '" + first_unknown + "' is not one planner models (" +
                             std::to_string(unknown) + " layers): counted as full attention");
    if (m.layers > 0 && kinds.size() != static_cast<std::size_t>(m.layers)) {
      out.warnings.push_back("config.json: layer_types lists " + std::to_string(kinds.size()) + " layers, num_hidden_layers is " +
                             std::to_string(m.layers));
      kinds.resize(static_cast<std::size_t>(m.layers), Kind::full);
    }
  } else if (m.layers > 0) {  // at most limits::kLayers
    const std::size_t n = static_cast<std::size_t>(m.layers);
    kinds.assign(n, Kind::full);
    int sw_pattern = f.integer_or("sliding_window_pattern", limits::kLayers, d ? d->sliding_pattern : 0);
    int interval = f.integer_or("full_attention_interval", limits::kLayers, out.model_type.rfind("qwen3_5", 0) == 0 ? 4 : 0);
    if (f.has("linear_num_key_heads") && interval > 0) {
      for (std::size_t i = 0; i < n; ++i)
        if ((i + 1) % static_cast<std::size_t>(interval) != 0) kinds[i] = Kind::linear;
    } else if (window > 0) {
      if (out.model_type == "gemma2") {
        for (std::size_t i = 0; i < n; i += 2) kinds[i] = Kind::sliding;
      } else if (sw_pattern > 0) {
        for (std::size_t i = 0; i < n; ++i)
          if (i % static_cast<std::size_t>(sw_pattern) != static_cast<std::size_t>(sw_pattern - 1)) kinds[i] = Kind::sliding;
      } else if (f.has("use_sliding_window") && f.has("max_window_layers")) {
        int mwl = f.integer_or("max_window_layers", limits::kLayers, 0);
        for (std::size_t i = 0; i < n; ++i)
          if (static_cast<int>(i) >= mwl) kinds[i] = Kind::sliding;
      } else {
        kinds.assign(n, Kind::sliding);  // one window on every layer (Mistral v0.1, Phi-3)
      }
    }
  }
  bool any_sliding = false, any_linear = false;
  for (Kind k : kinds) {
    any_sliding = any_sliding || k == Kind::sliding;
    any_linear = any_linear || k == Kind::linear;
  }
  if (any_sliding && any_linear)
    out.warnings.push_back("config.json mixes sliding-window and linear-attention layers: planner models the sliding ones as full");
  if (any_sliding) {
    if (window > 0) {
      m.sliding_window = window;
    } else {
      out.warnings.push_back("config.json names sliding-window layers but no sliding_window: modelled as full attention");
      for (Kind& k : kinds)
        if (k == Kind::sliding) k = Kind::full;
    }
  }
  if (any_linear)
    for (Kind& k : kinds)
      if (k == Kind::sliding) k = Kind::full;
  m.pattern = pattern_of(kinds);
  for (Kind k : kinds) out.num_layers_with_kv += k != Kind::linear;
  if (!kinds.empty() && kinds.front() == Kind::linear && !m.pattern) m.pattern = LayerPattern{1, {}, true};
  if (m.sliding_window > 0 && !any_sliding) m.sliding_window = 0;
  // Phi-3 declares a 2047 window that neither runtime applies (docs/memory-model.md: llama.cpp
  // PR #13676 disabled Phi SWA; mlx-lm models/phi3.py uses a plain KVCache).
  if (out.model_type == "phi3" && m.sliding_window > 0) m.sliding_window_ignored = true;
  // mlx-lm's gemma2.py has no make_cache: a plain KVCache on every layer (data/models/ cites it).
  if (out.model_type == "gemma2") m.sliding_window_ignored_by_mlx = true;

  // Mixture of experts: mlx-lm models/mixtral.py and gpt_oss.py (num_local_experts,
  // num_experts_per_tok), models/qwen3_moe.py and qwen3_5.py (num_experts,
  // shared_expert_intermediate_size), models/deepseek_v2.py (n_routed_experts, n_shared_experts).
  int experts = f.integer_or("num_local_experts", limits::kExperts, 0);
  if (experts == 0) experts = f.integer_or("num_experts", limits::kExperts, 0);
  if (experts == 0) experts = f.integer_or("n_routed_experts", limits::kExperts, 0);
  if (experts > 1) {
    MoeInfo moe;
    moe.experts = experts;
    moe.experts_per_token = f.integer_or("num_experts_per_tok", limits::kExperts, 0);
    moe.shared_experts = f.integer_or("n_shared_experts", limits::kExperts, 0);
    if (moe.shared_experts == 0 && f.integer_or("shared_expert_intermediate_size", limits::kWidth, 0) > 0) moe.shared_experts = 1;
    if (moe.experts_per_token <= 0 || moe.experts_per_token > experts) {
      out.warnings.push_back("config.json: num_experts_per_tok missing or out of range for " + std::to_string(experts) +
                             " experts");
      moe.experts_per_token = std::min(std::max(moe.experts_per_token, 1), experts);
    }
    m.moe = moe;
  }

  // Shapes for the per-tensor weight estimate (estimate/gguf_recipe.cpp): transformers
  // configuration_llama.py `intermediate_size`; configuration_qwen3_moe.py / qwen2_moe
  // `moe_intermediate_size` and `shared_expert_intermediate_size`; configuration_deepseek_v2.py
  // `moe_intermediate_size`, `n_shared_experts` (each of that width) and `first_k_dense_replace`.
  m.intermediate_size = f.integer_or("intermediate_size", limits::kWidth, 0);
  m.moe_intermediate_size = f.integer_or("moe_intermediate_size", limits::kWidth, 0);
  // Mixtral's experts are intermediate_size wide (mlx-lm models/mixtral.py MixtralSparseMoeBlock).
  if (m.moe && m.moe_intermediate_size == 0 && out.model_type == "mixtral") m.moe_intermediate_size = m.intermediate_size;
  m.shared_expert_intermediate_size = f.integer_or("shared_expert_intermediate_size", limits::kWidth, 0);
  if (m.shared_expert_intermediate_size == 0 && m.moe && m.moe->shared_experts > 0 && m.moe_intermediate_size > 0)
    m.shared_expert_intermediate_size = m.moe->shared_experts * m.moe_intermediate_size;
  m.first_dense_layers = f.integer_or("first_k_dense_replace", limits::kLayers, 0);
  // q/k/v biases: Qwen2 has them in code (modeling_qwen2.py Qwen2Attention: bias=True), others
  // say so with `attention_bias` (configuration_llama.py, default False). Per-head q/k RMS norms
  // are in the code of Qwen3, Qwen3-MoE and Gemma 3 (modeling_qwen3.py q_norm/k_norm,
  // modeling_gemma3.py).
  m.attention_bias = m.family == "qwen2" || f.boolean("attention_bias").value_or(false);
  m.qk_norm = m.family == "qwen3" || m.family == "qwen3moe" || m.family == "gemma3";

  // Multi-head latent attention: mlx-lm models/deepseek_v2.py ModelArgs (kv_lora_rank,
  // qk_rope_head_dim, qk_nope_head_dim, v_head_dim).
  if (int rank = f.integer_or("kv_lora_rank", limits::kHeadDim, 0); rank > 0)
    m.mla = MlaInfo{rank, f.integer_or("qk_rope_head_dim", limits::kHeadDim, 0), f.integer_or("qk_nope_head_dim", limits::kHeadDim, 0),
                    f.integer_or("v_head_dim", limits::kHeadDim, 0)};

  // Gated DeltaNet layers: transformers configuration_qwen3_5.py (linear_num_key_heads,
  // linear_num_value_heads, linear_key_head_dim, linear_value_head_dim, linear_conv_kernel_dim;
  // defaults 16, 32, 128, 128, 4); state dtype from `mamba_ssm_dtype` (docs/models.md: "float32"
  // in the 35B/122B configs).
  if (any_linear || f.has("linear_num_key_heads")) {
    LinearAttentionInfo li;
    li.key_heads = f.integer_or("linear_num_key_heads", limits::kHeads, 16);
    li.value_heads = f.integer_or("linear_num_value_heads", limits::kHeads, 32);
    li.key_head_dim = f.integer_or("linear_key_head_dim", limits::kHeadDim, 128);
    li.value_head_dim = f.integer_or("linear_value_head_dim", limits::kHeadDim, 128);
    li.conv_kernel = f.integer_or("linear_conv_kernel_dim", limits::kHeadDim, 4);
    std::string sd = f.string("mamba_ssm_dtype");
    li.state_dtype_bytes = sd == "bfloat16" || sd == "float16" ? 2 : 4;
    m.linear = li;
  }

  m.vision_params = vision_tower_params(root, m.hidden_size);

  read_quantization(root, text, src, out);
  return out;
}

HfConfig read_hf_config(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec) throw std::runtime_error(name + ": cannot read: " + error_text(ec));
  if (size > kMaxConfigBytes)
    throw std::runtime_error(name + ": byte 0: " + std::to_string(size) + " bytes is too large for a config.json (limit 16 MiB)");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(name + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_hf_config(ss.str(), name);
}

}  // namespace planner
