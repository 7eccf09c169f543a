#include "modelfile/gguf_model.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/text.h"
#include "modelfile/layer_pattern.h"
#include "modelfile/limits.h"

namespace planner {

namespace {

using gguf::GgufFile;
using gguf::Value;

[[noreturn]] void fail(const std::string& message, std::uint64_t offset) { throw GgufModelError(message, offset); }

// Keys and names as one-line messages quote them: escaped, cut (core/text.h).
std::string shown_key(std::string_view s) { return shown_value(s); }

// A value as a message shows it: integers exactly, floats as printf's %g does.
std::string shown(const Value& v) {
  if (v.is_float()) return fmt::format("{}", v.f);
  if (v.type == gguf::ValueType::u64) return std::to_string(v.u);
  return std::to_string(v.i);
}

// `v` (the value of `key`) as an integer in [0, max] (limits.h): anything else is an error naming
// the key, the value and the limit, never a clamp or a wrap (4294967297 does not read as 1).
long long checked(const Value& v, std::string_view key, long long max) {
  const std::string k = fmt::format("'{}' is {}", shown_key(key), shown(v));
  if (v.is_float()) {
    // Checked before any cast: converting NaN, infinity or an out-of-range double to an integer
    // is undefined behaviour.
    if (!std::isfinite(v.f)) fail(k + ", not a finite number", v.offset);
    if (v.f < 0) fail(k + ": it cannot be negative", v.offset);
    if (v.f > static_cast<double>(max)) fail(fmt::format("{}, over the limit of {}", k, max), v.offset);
    if (std::floor(v.f) != v.f) fail(k + ", not a whole number", v.offset);
    return static_cast<long long>(v.f);
  }
  if (!v.is_int()) fail(fmt::format("'{}' is a {}, not an integer", shown_key(key), gguf::type_name(v.type)), v.offset);
  if (v.type == gguf::ValueType::u64 ? v.u > static_cast<std::uint64_t>(max) : v.i > max)
    fail(fmt::format("{}, over the limit of {}", k, max), v.offset);
  if (v.i < 0) fail(k + ": it cannot be negative", v.offset);
  return v.i;
}

class Reader {
 public:
  Reader(const GgufFile& f, std::string arch) : f_(f), arch_(std::move(arch)) {}

  std::string key(std::string_view suffix) const { return fmt::format("{}.{}", arch_, suffix); }
  const Value* arch_key(std::string_view suffix) const { return f_.find(key(suffix)); }
  // A scalar hyperparameter in [0, max]; nullopt when absent or an array (see per_layer).
  std::optional<int> get(std::string_view suffix, long long max) const {
    const Value* v = arch_key(suffix);
    if (!v || v->is_array()) return std::nullopt;
    return static_cast<int>(checked(*v, key(suffix), max));
  }
  int get_or(std::string_view suffix, long long max, int fallback) const { return get(suffix, max).value_or(fallback); }

  // A hyperparameter that may be one number or one per layer (e.g. head_count_kv of hybrids):
  // the per-layer values, or empty when the key is a scalar, absent, or not numeric. The reader
  // keeps up to limits::kLayers elements of these keys (kPerLayerKeys): a longer one is refused.
  std::vector<int> per_layer(std::string_view suffix, long long max) const {
    std::vector<int> out;
    const Value* v = arch_key(suffix);
    if (!v || !v->is_array()) return out;
    if (!v->items_kept) {
      if (v->elem == gguf::ValueType::string || v->elem == gguf::ValueType::array) return out;
      fail(fmt::format("'{}' has {} entries, over the limit of {} (one per layer)", shown_key(key(suffix)), v->count,
                       limits::kLayers),
           v->offset);
    }
    out.reserve(v->items.size());
    for (const auto& item : v->items) out.push_back(static_cast<int>(checked(item, key(suffix), max)));
    return out;
  }
  // The scalar, or the largest per-layer value.
  std::optional<int> scalar_or_max(std::string_view suffix, long long max) const {
    if (auto v = get(suffix, max)) return v;
    auto all = per_layer(suffix, max);
    if (all.empty()) return std::nullopt;
    return *std::max_element(all.begin(), all.end());
  }

 private:
  const GgufFile& f_;
  std::string arch_;
};

// One flag per layer (true = full attention) folded into its shortest period (linear time).
LayerPattern pattern_from_flags(const std::vector<bool>& full, bool others_linear) {
  LayerPattern p;
  p.others_linear = others_linear;
  p.period = static_cast<int>(shortest_period(full));
  for (int i = 0; i < p.period; ++i)
    if (full[static_cast<std::size_t>(i)]) p.full_at.push_back(i);
  return p;
}

std::string string_value(const GgufFile& f, std::string_view key) {
  const Value* v = f.find(key);
  return v && v->type == gguf::ValueType::string ? v->s : "";
}

// Layers that keep no KV cache, from the file: `<arch>.attention.recurrent_layers` (bools),
// else zero entries of a per-layer head_count_kv, else every full_attention_interval-th layer
// is attention (qwen35 / qwen3next, llama.cpp default interval 4: layer i is attention when
// (i + 1) % interval == 0, src/models/qwen35.cpp).
std::optional<LayerPattern> recurrent_pattern(const Reader& r, const std::string& arch, int layers) {
  std::vector<int> recurrent = r.per_layer("attention.recurrent_layers", 1);
  std::vector<int> kv = r.per_layer("attention.head_count_kv", limits::kHeads);
  if (layers > 0 && (!recurrent.empty() || std::count(kv.begin(), kv.end(), 0) > 0)) {
    std::vector<bool> full(static_cast<std::size_t>(layers));
    for (std::size_t i = 0; i < full.size(); ++i)
      full[i] = !recurrent.empty() ? !(i < recurrent.size() && recurrent[i] != 0) : !(i < kv.size() && kv[i] == 0);
    return pattern_from_flags(full, true);
  }
  if (arch == "qwen35" || arch == "qwen35moe" || arch == "qwen3next") {
    int interval = r.get_or("full_attention_interval", limits::kLayers, 4);
    if (interval < 1 || interval > layers) return std::nullopt;
    LayerPattern p;
    p.others_linear = true;
    p.period = interval;
    p.full_at = {p.period - 1};
    return p;
  }
  return std::nullopt;
}

// Which layers slide: `<arch>.attention.sliding_window_pattern` as a period N (layer i slides
// when i % N < N - 1, llama_hparams::set_swa_pattern) or as one bool per layer; else the
// period llama.cpp hard-codes for the architecture (src/llama-model.cpp: gemma2 2, gemma3 6;
// gpt-oss 2: ggml-org/llama.cpp src/models/openai-moe.cpp@069be0ae22f3 load_arch_hparams,
// `uint32_t swa_period = 2;` read over by the optional sliding_window_pattern key, then
// `hparams.set_swa_pattern(swa_period)`: the even layers slide).
std::optional<LayerPattern> sliding_pattern(const Reader& r, const std::string& arch, int layers) {
  int period = 0;
  if (auto n = r.get("attention.sliding_window_pattern", limits::kLayers)) period = *n;
  else if (auto each = r.per_layer("attention.sliding_window_pattern", 1); !each.empty() && layers > 0) {
    std::vector<bool> full(static_cast<std::size_t>(layers));
    for (std::size_t i = 0; i < full.size(); ++i) full[i] = i >= each.size() || each[i] == 0;
    return pattern_from_flags(full, false);
  } else if (arch == "gemma2" || arch == "gpt-oss") period = 2;
  else if (arch == "gemma3") period = 6;
  if (period < 1 || period > layers) return std::nullopt;
  LayerPattern p;
  p.period = period;
  p.full_at = {p.period - 1};
  return p;
}

void fill_attention(const Reader& r, const std::string& arch, ModelFileInfo& info) {
  ModelInfo& m = info.model;
  m.attention_heads = r.scalar_or_max("attention.head_count", limits::kHeads).value_or(0);
  m.kv_heads = r.scalar_or_max("attention.head_count_kv", limits::kHeads).value_or(m.attention_heads);
  auto kv_each = r.per_layer("attention.head_count_kv", limits::kHeads);
  if (!kv_each.empty()) {
    int lo = m.kv_heads;
    for (int k : kv_each)
      if (k > 0) lo = std::min(lo, k);
    if (lo != m.kv_heads)
      info.warnings.push_back(fmt::format("KV heads differ per layer ({}-{}): counted at {} for every attention layer",
                                          lo, m.kv_heads, m.kv_heads));
  }
  // llama.cpp's default head size is n_embd / n_head when key_length / value_length are absent.
  int fallback = m.attention_heads > 0 ? m.hidden_size / m.attention_heads : 0;
  info.key_length = r.get_or("attention.key_length", limits::kHeadDim, fallback);
  info.value_length = r.get_or("attention.value_length", limits::kHeadDim, info.key_length);
  // The estimator counts 2 x kv_heads x head_dim values per token: the mean of K and V sizes
  // keeps that sum exact when they differ.
  m.head_dim = (info.key_length + info.value_length) / 2;

  if (int rank = r.get_or("attention.kv_lora_rank", limits::kHeadDim, 0); rank > 0) {
    // DeepSeek-V2 family (llama-model.cpp LLM_ARCH_DEEPSEEK2). MLA-aware GGUFs store the
    // per-head sizes in key_length_mla / value_length_mla (and the latent in key_length);
    // older ones store the per-head sizes in key_length / value_length.
    MlaInfo mla;
    mla.kv_lora_rank = rank;
    mla.qk_rope_head_dim = r.get_or("rope.dimension_count", limits::kHeadDim, 0);
    int k = r.get_or("attention.key_length_mla", limits::kHeadDim, info.key_length);
    mla.v_head_dim = r.get_or("attention.value_length_mla", limits::kHeadDim, info.value_length);
    mla.qk_nope_head_dim = std::max(0, k - mla.qk_rope_head_dim);
    m.mla = mla;
  }

  m.sliding_window = r.get_or("attention.sliding_window", limits::kContext, 0);
  int layers = m.layers;
  if (auto p = recurrent_pattern(r, arch, layers)) {
    m.pattern = p;
  } else if (m.sliding_window > 0) {
    if (arch == "phi3") {
      // llama.cpp disabled Phi-3's window (PR #13676): the cache holds the whole context.
      m.sliding_window_ignored = true;
    } else if (auto sp = sliding_pattern(r, arch, layers)) {
      m.pattern = sp;
    } else {
      info.warnings.push_back(fmt::format(
          "sliding window of {} declared, but which layers use it is unknown for '{}': counted as full attention "
          "(an upper bound)",
          m.sliding_window, shown_key(arch)));
      m.sliding_window = 0;
    }
  }
}

void fill_linear(const Reader& r, const std::string& arch, ModelFileInfo& info) {
  ModelInfo& m = info.model;
  if (!m.pattern || !m.pattern->others_linear) return;
  if (arch != "qwen35" && arch != "qwen35moe" && arch != "qwen3next") {
    info.warnings.push_back("recurrent layers: their fixed state is not estimated for this architecture");
    return;
  }
  // Gated DeltaNet geometry as convert_hf_to_gguf.py writes it (Qwen3NextModel): ssm.group_count
  // = key heads, ssm.time_step_rank = value heads, ssm.state_size = key head size, ssm.inner_size
  // = value heads x value head size.
  LinearAttentionInfo l;
  l.key_heads = r.get_or("ssm.group_count", limits::kHeads, 0);
  l.value_heads = r.get_or("ssm.time_step_rank", limits::kHeads, 0);
  l.key_head_dim = r.get_or("ssm.state_size", limits::kHeadDim, 0);
  l.value_head_dim = l.value_heads > 0 ? r.get_or("ssm.inner_size", limits::kWidth, 0) / l.value_heads : 0;
  l.conv_kernel = r.get_or("ssm.conv_kernel", limits::kHeadDim, 0);
  m.linear = l;
}

}  // namespace

std::string llama_ftype_name(long long ftype) {
  // enum llama_ftype, ggml-org/llama.cpp include/llama.h (docs/model-files.md names the commit).
  // 4-6 and 33-35 were removed from llama.cpp.
  static const char* const names[] = {
      "F32",     "F16",    "Q4_0",   "Q4_1",   nullptr,  nullptr,   nullptr,  "Q8_0",   "Q5_0",
      "Q5_1",    "Q2_K",   "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_K_S",  "Q4_K_M", "Q5_K_S", "Q5_K_M",
      "Q6_K",    "IQ2_XXS", "IQ2_XS", "Q2_K_S", "IQ3_XS", "IQ3_XXS", "IQ1_S",  "IQ4_NL", "IQ3_S",
      "IQ3_M",   "IQ2_S",  "IQ2_M",  "IQ4_XS", "IQ1_M",  "BF16",    nullptr,  nullptr,  nullptr,
      "TQ1_0",   "TQ2_0",  "MXFP4_MOE", "NVFP4", "Q1_0"};
  // LLAMA_FTYPE_GUESSED (1024) is or-ed in by llama.cpp when the file does not say.
  bool guessed = ftype >= 1024 && ftype < 2048;
  long long base = guessed ? ftype - 1024 : ftype;
  if (base < 0 || base >= static_cast<long long>(std::size(names)) || !names[base]) return "";
  return guessed ? fmt::format("{} (guessed)", names[base]) : names[base];
}

ModelFileInfo model_info_from_gguf(const GgufFile& f, std::string path) {
  ModelFileInfo info;
  info.path = std::move(path);
  info.format = "GGUF";
  info.file_bytes = f.file_bytes;
  info.tensor_count = f.tensors.size();
  info.architecture = string_value(f, "general.architecture");
  if (info.architecture.empty()) info.warnings.push_back("no general.architecture key");
  const std::string& arch = info.architecture;
  Reader r(f, arch);

  if (const Value* ft = f.find("general.file_type"); ft && !ft->is_array()) {
    const long long type = checked(*ft, "general.file_type", INT32_MAX);
    info.file_type = llama_ftype_name(type);
    if (info.file_type.empty()) info.file_type = fmt::format("file type {}", type);
  }

  // Weights: every tensor at its stored type. Experts are stacked in *_exps tensors; their
  // share of the active parameters is expert_used_count / expert_count. The reader refuses
  // overlapping tensors, so these sums are bounded by the file size; they are checked anyway.
  std::uint64_t expert_elements = 0;
  bool has_output = false;
  const gguf::TensorInfo* token_embd = nullptr;
  auto add = [&](std::uint64_t& sum, std::uint64_t n, const gguf::TensorInfo& t, const char* what) {
    if (__builtin_add_overflow(sum, n, &sum))
      fail(fmt::format("the {} of the tensors up to '{}' overflows 64 bits", what, shown_key(t.name)), t.info_offset);
  };
  for (const auto& t : f.tensors) {
    add(info.parameters, t.elements, t, "element count");
    add(info.weights_bytes, t.bytes, t, "byte size");
    info.bytes_by_type[t.type->name] += t.bytes;  // each at most weights_bytes
    info.tensors_by_type[t.type->name] += 1;
    if (t.name.find("_exps.") != std::string::npos) expert_elements += t.elements;  // at most parameters
    if (t.name == "output.weight") has_output = true;
    if (t.name == "token_embd.weight") token_embd = &t;
  }

  ModelInfo& m = info.model;
  m.id = string_value(f, "general.name");
  if (m.id.empty()) m.id = info.path.substr(info.path.find_last_of('/') + 1);
  m.family = arch;
  m.params_total = static_cast<double>(info.parameters);
  m.params_active = m.params_total;
  m.tied_embeddings = !has_output;
  m.context_trained = r.get_or("context_length", limits::kContext, 0);
  m.hidden_size = r.get_or("embedding_length", limits::kWidth, 0);
  m.layers = r.get_or("block_count", limits::kLayers, 0);

  // Vocabulary: the token list's length (counted, never copied), else vocab_size, else the
  // embedding matrix's rows.
  if (const Value* tokens = f.find("tokenizer.ggml.tokens"); tokens && tokens->is_array()) {
    if (tokens->count > static_cast<std::uint64_t>(limits::kVocab))
      fail(fmt::format("'tokenizer.ggml.tokens' lists {} tokens, over the limit of {}", tokens->count, limits::kVocab),
           tokens->offset);
    m.vocab = static_cast<int>(tokens->count);
  } else if (auto n = r.get("vocab_size", limits::kVocab)) {
    m.vocab = *n;
  } else if (token_embd && token_embd->n_dims >= 2) {
    if (token_embd->dims[1] > static_cast<std::uint64_t>(limits::kVocab))
      fail(fmt::format("tensor 'token_embd.weight' has {} rows (the vocabulary), over the limit of {}",
                       token_embd->dims[1], limits::kVocab),
           token_embd->info_offset);
    m.vocab = static_cast<int>(token_embd->dims[1]);
  }

  if (int experts = r.get_or("expert_count", limits::kExperts, 0); experts > 1) {
    MoeInfo moe{experts, r.get_or("expert_used_count", limits::kExperts, 0),
                r.get_or("expert_shared_count", limits::kExperts, 0)};
    m.moe = moe;
    if (expert_elements > 0)
      m.params_active = m.params_total - static_cast<double>(expert_elements) +
                        static_cast<double>(expert_elements) * moe.experts_per_token / moe.experts;
  }

  fill_attention(r, arch, info);
  fill_linear(r, arch, info);
  if (m.layers == 0)
    info.warnings.push_back(fmt::format("no {}.block_count: the KV cache cannot be estimated", shown_key(arch)));
  if (m.context_trained == 0) info.warnings.push_back(fmt::format("no {}.context_length", shown_key(arch)));
  return info;
}

}  // namespace planner
