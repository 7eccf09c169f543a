#include "modelfile/gguf_model.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace planner {

namespace {

using gguf::GgufFile;
using gguf::Value;

// No real model has more blocks than this (Llama-3.1-405B: 126); a larger count is a hostile
// or broken header, and the estimator loops over layers.
constexpr long long kMaxLayers = 10000;

std::optional<long long> int_value(const Value* v) {
  if (!v) return std::nullopt;
  if (v->is_int()) return v->i;
  if (v->type == gguf::ValueType::f32 || v->type == gguf::ValueType::f64) return static_cast<long long>(v->f);
  return std::nullopt;
}

// Converts a count from the file to int, 0 when it is negative or does not fit.
int small(long long v) { return v < 0 || v > 1'000'000'000 ? 0 : static_cast<int>(v); }

class Reader {
 public:
  Reader(const GgufFile& f, std::string arch) : f_(f), arch_(std::move(arch)) {}

  const Value* arch_key(std::string_view suffix) const { return f_.find(fmt::format("{}.{}", arch_, suffix)); }
  std::optional<long long> get(std::string_view suffix) const { return int_value(arch_key(suffix)); }

  // A hyperparameter that may be one number or one per layer (e.g. head_count_kv of hybrids):
  // the per-layer values, or empty when the key is a scalar, absent, or too long to keep.
  std::vector<long long> per_layer(std::string_view suffix) const {
    std::vector<long long> out;
    const Value* v = arch_key(suffix);
    if (!v || !v->is_array() || !v->items_kept) return out;
    for (const auto& item : v->items) out.push_back(int_value(&item).value_or(0));
    return out;
  }
  // The scalar, or the largest per-layer value.
  std::optional<long long> scalar_or_max(std::string_view suffix) const {
    if (auto v = get(suffix)) return v;
    auto all = per_layer(suffix);
    if (all.empty()) return std::nullopt;
    return *std::max_element(all.begin(), all.end());
  }

 private:
  const GgufFile& f_;
  std::string arch_;
};

std::string string_value(const GgufFile& f, std::string_view key) {
  const Value* v = f.find(key);
  return v && v->type == gguf::ValueType::string ? v->s : "";
}

// Layers that keep no KV cache, from the file: `<arch>.attention.recurrent_layers` (bools),
// else zero entries of a per-layer head_count_kv, else every full_attention_interval-th layer
// is attention (qwen35 / qwen3next, llama.cpp default interval 4: layer i is attention when
// (i + 1) % interval == 0, src/models/qwen35.cpp).
std::optional<LayerPattern> recurrent_pattern(const Reader& r, const std::string& arch, int layers) {
  std::vector<long long> recurrent = r.per_layer("attention.recurrent_layers");
  std::vector<long long> kv = r.per_layer("attention.head_count_kv");
  LayerPattern p;
  p.others_linear = true;
  if (!recurrent.empty() || (!kv.empty() && std::count(kv.begin(), kv.end(), 0) > 0)) {
    p.period = layers;
    for (int i = 0; i < layers; ++i) {
      bool is_recurrent = !recurrent.empty() ? (i < static_cast<int>(recurrent.size()) && recurrent[i] != 0)
                                             : (i < static_cast<int>(kv.size()) && kv[i] == 0);
      if (!is_recurrent) p.full_at.push_back(i);
    }
    return p;
  }
  if (arch == "qwen35" || arch == "qwen35moe" || arch == "qwen3next") {
    long long interval = r.get("full_attention_interval").value_or(4);
    if (interval < 1 || interval > layers) return std::nullopt;
    p.period = static_cast<int>(interval);
    p.full_at = {p.period - 1};
    return p;
  }
  return std::nullopt;
}

// Which layers slide: `<arch>.attention.sliding_window_pattern` as a period N (layer i slides
// when i % N < N - 1, llama_hparams::set_swa_pattern) or as one bool per layer; else the
// period llama.cpp hard-codes for the architecture (src/llama-model.cpp: gemma2 2, gemma3 6).
std::optional<LayerPattern> sliding_pattern(const Reader& r, const std::string& arch, int layers) {
  LayerPattern p;
  long long period = 0;
  if (auto n = r.get("attention.sliding_window_pattern")) period = *n;
  else if (auto each = r.per_layer("attention.sliding_window_pattern"); !each.empty()) {
    p.period = layers;
    for (int i = 0; i < layers; ++i)
      if (i >= static_cast<int>(each.size()) || each[i] == 0) p.full_at.push_back(i);
    return p;
  } else if (arch == "gemma2") period = 2;
  else if (arch == "gemma3") period = 6;
  if (period < 1 || period > layers) return std::nullopt;
  p.period = static_cast<int>(period);
  p.full_at = {p.period - 1};
  return p;
}

void fill_attention(const Reader& r, const std::string& arch, ModelFileInfo& info) {
  ModelInfo& m = info.model;
  m.attention_heads = small(r.scalar_or_max("attention.head_count").value_or(0));
  m.kv_heads = small(r.scalar_or_max("attention.head_count_kv").value_or(m.attention_heads));
  auto kv_each = r.per_layer("attention.head_count_kv");
  if (!kv_each.empty()) {
    long long lo = m.kv_heads;
    for (long long k : kv_each)
      if (k > 0) lo = std::min(lo, k);
    if (lo != m.kv_heads)
      info.warnings.push_back(fmt::format("KV heads differ per layer ({}-{}): counted at {} for every attention layer",
                                          lo, m.kv_heads, m.kv_heads));
  }
  // llama.cpp's default head size is n_embd / n_head when key_length / value_length are absent.
  int fallback = m.attention_heads > 0 ? m.hidden_size / m.attention_heads : 0;
  info.key_length = small(r.get("attention.key_length").value_or(fallback));
  info.value_length = small(r.get("attention.value_length").value_or(info.key_length));
  // The estimator counts 2 x kv_heads x head_dim values per token: the mean of K and V sizes
  // keeps that sum exact when they differ.
  m.head_dim = (info.key_length + info.value_length) / 2;

  if (auto rank = r.get("attention.kv_lora_rank"); rank && *rank > 0) {
    // DeepSeek-V2 family (llama-model.cpp LLM_ARCH_DEEPSEEK2). MLA-aware GGUFs store the
    // per-head sizes in key_length_mla / value_length_mla (and the latent in key_length);
    // older ones store the per-head sizes in key_length / value_length.
    MlaInfo mla;
    mla.kv_lora_rank = small(*rank);
    mla.qk_rope_head_dim = small(r.get("rope.dimension_count").value_or(0));
    int k = small(r.get("attention.key_length_mla").value_or(info.key_length));
    mla.v_head_dim = small(r.get("attention.value_length_mla").value_or(info.value_length));
    mla.qk_nope_head_dim = std::max(0, k - mla.qk_rope_head_dim);
    m.mla = mla;
  }

  m.sliding_window = small(r.get("attention.sliding_window").value_or(0));
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
          m.sliding_window, arch));
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
  l.key_heads = small(r.get("ssm.group_count").value_or(0));
  l.value_heads = small(r.get("ssm.time_step_rank").value_or(0));
  l.key_head_dim = small(r.get("ssm.state_size").value_or(0));
  l.value_head_dim = l.value_heads > 0 ? small(r.get("ssm.inner_size").value_or(0)) / l.value_heads : 0;
  l.conv_kernel = small(r.get("ssm.conv_kernel").value_or(0));
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

  if (auto ft = int_value(f.find("general.file_type"))) {
    info.file_type = llama_ftype_name(*ft);
    if (info.file_type.empty()) info.file_type = fmt::format("file type {}", *ft);
  }

  // Weights: every tensor at its stored type. Experts are stacked in *_exps tensors; their
  // share of the active parameters is expert_used_count / expert_count.
  std::uint64_t expert_elements = 0;
  bool has_output = false;
  const gguf::TensorInfo* token_embd = nullptr;
  for (const auto& t : f.tensors) {
    info.parameters += t.elements;
    info.weights_bytes += t.bytes;
    info.bytes_by_type[t.type->name] += t.bytes;
    info.tensors_by_type[t.type->name] += 1;
    if (t.name.find("_exps.") != std::string::npos) expert_elements += t.elements;
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
  m.context_trained = std::max(0LL, r.get("context_length").value_or(0));
  m.hidden_size = small(r.get("embedding_length").value_or(0));
  long long blocks = r.get("block_count").value_or(0);
  if (blocks < 0 || blocks > kMaxLayers) {
    info.warnings.push_back(fmt::format("block_count {} is implausible: ignored", blocks));
    blocks = 0;
  }
  m.layers = static_cast<int>(blocks);

  // Vocabulary: the token list's length (counted, never copied), else vocab_size, else the
  // embedding matrix's rows.
  if (const Value* tokens = f.find("tokenizer.ggml.tokens"); tokens && tokens->is_array()) m.vocab = small(static_cast<long long>(tokens->count));
  else if (auto n = r.get("vocab_size")) m.vocab = small(*n);
  else if (token_embd && token_embd->n_dims >= 2) m.vocab = small(static_cast<long long>(token_embd->dims[1]));

  if (auto experts = r.get("expert_count"); experts && *experts > 1) {
    MoeInfo moe{small(*experts), small(r.get("expert_used_count").value_or(0)),
                small(r.get("expert_shared_count").value_or(0))};
    m.moe = moe;
    if (moe.experts > 0 && expert_elements > 0)
      m.params_active = m.params_total - static_cast<double>(expert_elements) +
                        static_cast<double>(expert_elements) * moe.experts_per_token / moe.experts;
  }

  fill_attention(r, arch, info);
  fill_linear(r, arch, info);
  if (m.layers == 0) info.warnings.push_back(fmt::format("no {}.block_count: the KV cache cannot be estimated", arch));
  if (m.context_trained == 0) info.warnings.push_back(fmt::format("no {}.context_length", arch));
  return info;
}

}  // namespace planner
