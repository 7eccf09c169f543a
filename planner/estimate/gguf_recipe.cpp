#include "estimate/gguf_recipe.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>

#include "modelfile/limits.h"

// Line numbers below are of llama.cpp 0ad4a86 (v0.5.0, the runtime bench/accuracy measured):
// src/llama-quant.cpp for the types, src/models/<arch>.cpp for the tensors each loader creates.

namespace planner {

int64_t RecipeTensor::elements() const {
  int64_t n = 1;
  for (int64_t d : ne) n *= d;
  return n;
}

namespace {

struct Layout {
  bool known = false;
  bool fused_qkv = false;      // phi3: one attn_qkv (src/models/phi3.cpp:46)
  bool fused_gate_up = false;  // phi3: ffn_up is {n_embd, 2 n_ff}, no ffn_gate (phi3.cpp:51-52)
  bool post_norms = false;     // gemma2/3: post_attention_norm, post_ffw_norm (gemma2.cpp:46,52)
  bool rope_freqs = false;     // llama3 rope scaling stored as rope_freqs.weight (llama.cpp loader)
  bool mla = false;            // deepseek2 (src/models/deepseek2.cpp:98-148)
  // gpt-oss (LLM_ARCH_OPENAI_MOE, GGUF architecture "gpt-oss"): ggml-org/llama.cpp
  // src/models/openai-moe.cpp@069be0ae22f3 load_arch_tensors: a post-attention norm instead of
  // ffn_norm, attention sinks, biases on attn_output, the router and every expert tensor.
  bool gpt_oss = false;
  // Qwen3.5 (LLM_ARCH_QWEN35 / QWEN35MOE) and Qwen3-Next (LLM_ARCH_QWEN3NEXT): Gated DeltaNet
  // layers between gated full-attention layers, each followed by post_attention_norm (ggml-org/
  // llama.cpp src/models/qwen35.cpp@06e514f6 and qwen3next.cpp@02ebd8f7 load_arch_tensors). A
  // linear layer: attn_qkv {n_embd, 2 key_dim + value_dim}, attn_gate {n_embd, value_dim},
  // ssm_conv1d {conv_kernel, 2 key_dim + value_dim}, ssm_dt.bias and ssm_a {value heads},
  // ssm_beta and ssm_alpha {n_embd, value heads} (Qwen3-Next: one ssm_ba {n_embd, 2 value heads}),
  // ssm_norm {value head dim}, ssm_out {value_dim, n_embd}. A full-attention layer's attn_q is
  // twice as wide (query and output gate) and has q/k norms. MoE layers add the shared expert's
  // one-output gate ffn_gate_inp_shexp {n_embd}. The checkpoints' MTP layer (n_layer_nextn) is
  // left out: mlx-lm drops mtp.* at load (mlx_lm/models/qwen3_5.py:352@d78bf58); whether the
  // published GGUFs hold it is not known (tests/unit/published_size_open.inc).
  bool hybrid = false;
};

bool is_gpt_oss(const std::string& family) { return family == "gpt-oss" || family == "gpt_oss"; }

Layout layout_for(const ModelInfo& m) {
  Layout l;
  const std::string& f = m.family;
  if (f == "llama" || f == "mistral" || f == "mixtral" || f == "qwen2" || f == "qwen3" || f == "qwen3moe" ||
      f == "gemma2" || f == "gemma3" || f == "phi3" || f == "deepseek2" || is_gpt_oss(f))
    l.known = true;
  l.hybrid = (f == "qwen3_5" || f == "qwen3_next") && m.linear.has_value() && m.pattern && m.pattern->others_linear;
  if (l.hybrid) l.known = true;
  l.gpt_oss = is_gpt_oss(f);
  l.fused_qkv = l.fused_gate_up = f == "phi3";
  l.post_norms = f == "gemma2" || f == "gemma3";
  // Llama 3.1 and 3.2 use rope_type llama3, which convert_hf_to_gguf writes as a rope_freqs
  // tensor of head_dim/2 floats (src/models/llama.cpp:66; models.md Llama rows); Mistral/Mixtral share the llama loader
  // without it.
  l.rope_freqs = f == "llama";
  l.mla = f == "deepseek2" && m.mla.has_value();
  if (f == "deepseek2" && !m.mla) l.known = false;
  return l;
}

void add(std::vector<RecipeTensor>& out, std::string name, std::vector<int64_t> ne) {
  out.push_back(RecipeTensor{std::move(name), std::move(ne), "", 0});
}

}  // namespace

std::optional<std::vector<RecipeTensor>> gguf_tensor_list(const ModelInfo& m) {
  const Layout l = layout_for(m);
  if (!l.known || m.layers <= 0 || m.hidden_size <= 0 || m.vocab <= 0 || m.head_dim <= 0) return std::nullopt;
  // A dozen tensors a layer: past the readers' layer limit the list would cost more than it
  // tells, and the caller falls back to parameters x bits per weight.
  if (m.layers > limits::kLayers) return std::nullopt;
  const bool moe = m.is_moe();
  // gpt-oss's config.json calls the expert width intermediate_size (mlx-lm gpt_oss.py MLPBlock).
  const int64_t expert_ff = m.moe_intermediate_size > 0 ? m.moe_intermediate_size
                            : l.gpt_oss                 ? m.intermediate_size
                                                        : 0;
  if (l.gpt_oss && !moe) return std::nullopt;
  if (moe ? expert_ff <= 0 : m.intermediate_size <= 0) return std::nullopt;
  if (moe && m.first_dense_layers > 0 && m.intermediate_size <= 0) return std::nullopt;
  const int64_t H = m.hidden_size, V = m.vocab, hd = m.head_dim;
  const int64_t q_dim = m.attention_heads * hd, kv_dim = static_cast<int64_t>(m.kv_heads) * hd;

  std::vector<RecipeTensor> t;
  add(t, "token_embd.weight", {H, V});
  if (l.rope_freqs) add(t, "rope_freqs.weight", {hd / 2});
  add(t, "output_norm.weight", {H});
  if (!m.tied_embeddings) add(t, "output.weight", {H, V});
  for (int i = 0; i < m.layers; ++i) {
    const std::string b = fmt::format("blk.{}.", i);
    add(t, b + "attn_norm.weight", {H});
    if (l.hybrid && m.layer_kind(i) == ModelInfo::LayerKind::linear) {
      const auto& a = *m.linear;
      const int64_t key = static_cast<int64_t>(a.key_heads) * a.key_head_dim;
      const int64_t value = static_cast<int64_t>(a.value_heads) * a.value_head_dim;
      add(t, b + "attn_qkv.weight", {H, 2 * key + value});
      add(t, b + "attn_gate.weight", {H, value});
      add(t, b + "ssm_conv1d.weight", {a.conv_kernel, 2 * key + value});
      add(t, b + "ssm_dt.bias", {a.value_heads});
      add(t, b + "ssm_a", {a.value_heads});
      if (m.family == "qwen3_next") {
        add(t, b + "ssm_ba.weight", {H, 2 * static_cast<int64_t>(a.value_heads)});
      } else {
        add(t, b + "ssm_beta.weight", {H, a.value_heads});
        add(t, b + "ssm_alpha.weight", {H, a.value_heads});
      }
      add(t, b + "ssm_norm.weight", {a.value_head_dim});
      add(t, b + "ssm_out.weight", {value, H});
    } else if (l.hybrid) {
      add(t, b + "attn_q.weight", {H, 2 * q_dim});
      add(t, b + "attn_k.weight", {H, kv_dim});
      add(t, b + "attn_v.weight", {H, kv_dim});
      add(t, b + "attn_q_norm.weight", {hd});
      add(t, b + "attn_k_norm.weight", {hd});
      add(t, b + "attn_output.weight", {q_dim, H});
    } else if (l.mla) {
      // DeepSeek-V2-Lite has no q LoRA (q_lora_rank null): one attn_q; the MLA-aware GGUF splits
      // kv_b into per-head k_b and v_b (deepseek2.cpp:109-119), as the latent KV cache assumes.
      const auto& a = *m.mla;
      const int64_t heads = m.attention_heads;
      add(t, b + "attn_q.weight", {H, heads * (a.qk_nope_head_dim + a.qk_rope_head_dim)});
      add(t, b + "attn_kv_a_mqa.weight", {H, a.kv_lora_rank + a.qk_rope_head_dim});
      add(t, b + "attn_kv_a_norm.weight", {a.kv_lora_rank});
      add(t, b + "attn_k_b.weight", {a.qk_nope_head_dim, a.kv_lora_rank, heads});
      add(t, b + "attn_v_b.weight", {a.kv_lora_rank, a.v_head_dim, heads});
      add(t, b + "attn_output.weight", {heads * a.v_head_dim, H});
    } else {
      if (l.fused_qkv) {
        add(t, b + "attn_qkv.weight", {H, q_dim + 2 * kv_dim});
      } else {
        add(t, b + "attn_q.weight", {H, q_dim});
        add(t, b + "attn_k.weight", {H, kv_dim});
        add(t, b + "attn_v.weight", {H, kv_dim});
      }
      if (m.attention_bias) {
        add(t, b + "attn_q.bias", {q_dim});
        add(t, b + "attn_k.bias", {kv_dim});
        add(t, b + "attn_v.bias", {kv_dim});
      }
      if (m.qk_norm) {
        add(t, b + "attn_q_norm.weight", {hd});
        add(t, b + "attn_k_norm.weight", {hd});
      }
      add(t, b + "attn_output.weight", {q_dim, H});
      if (l.gpt_oss) {
        add(t, b + "attn_output.bias", {H});
        add(t, b + "attn_sinks.weight", {m.attention_heads});
      }
    }
    if (l.post_norms || l.gpt_oss || l.hybrid) add(t, b + "post_attention_norm.weight", {H});
    if (!l.gpt_oss && !l.hybrid) add(t, b + "ffn_norm.weight", {H});
    if (moe && i >= m.first_dense_layers) {
      const int64_t E = m.moe->experts, F = expert_ff;
      add(t, b + "ffn_gate_inp.weight", {H, E});
      add(t, b + "ffn_gate_exps.weight", {H, F, E});
      add(t, b + "ffn_down_exps.weight", {F, H, E});
      add(t, b + "ffn_up_exps.weight", {H, F, E});
      if (l.gpt_oss) {
        add(t, b + "ffn_gate_inp.bias", {E});
        add(t, b + "ffn_gate_exps.bias", {F, E});
        add(t, b + "ffn_down_exps.bias", {H, E});
        add(t, b + "ffn_up_exps.bias", {F, E});
      }
      if (m.shared_expert_intermediate_size > 0) {
        const int64_t S = m.shared_expert_intermediate_size;
        if (l.hybrid) add(t, b + "ffn_gate_inp_shexp.weight", {H});
        add(t, b + "ffn_gate_shexp.weight", {H, S});
        add(t, b + "ffn_down_shexp.weight", {S, H});
        add(t, b + "ffn_up_shexp.weight", {H, S});
      }
    } else if (l.fused_gate_up) {
      add(t, b + "ffn_down.weight", {m.intermediate_size, H});
      add(t, b + "ffn_up.weight", {H, 2 * static_cast<int64_t>(m.intermediate_size)});
    } else {
      add(t, b + "ffn_gate.weight", {H, m.intermediate_size});
      add(t, b + "ffn_down.weight", {m.intermediate_size, H});
      add(t, b + "ffn_up.weight", {H, m.intermediate_size});
    }
    if (l.post_norms) add(t, b + "post_ffw_norm.weight", {H});
  }
  return t;
}

namespace {

enum class Cat { token_embd, attn_q, attn_v_like, attn_k, attn_output, ffn_up, ffn_gate, ffn_down, output, other };

// tensor_get_category, llama-quant.cpp:119-155. attn_qkv and attn_kv_b count as attn_v-like
// (category_is_attn_v, :157-161), so they take attn_v's promotions: the Q5_K rule for attn_qkv at
// :655-660 is unreachable in this version.
Cat category(const std::string& n) {
  auto has = [&](const char* s) { return n.find(s) != std::string::npos; };
  if (n == "output.weight") return Cat::output;
  if (n == "token_embd.weight") return Cat::token_embd;
  if (has("attn_qkv.weight") || has("attn_kv_b.weight") || has("attn_v.weight")) return Cat::attn_v_like;
  if (has("attn_k.weight")) return Cat::attn_k;
  if (has("attn_q.weight")) return Cat::attn_q;
  if (has("attn_output.weight")) return Cat::attn_output;
  if (has("ffn_up")) return Cat::ffn_up;
  if (has("ffn_gate")) return Cat::ffn_gate;
  if (has("ffn_down")) return Cat::ffn_down;
  return Cat::other;
}

// tensor_allows_quantization, llama-quant.cpp:287-306: only 2-D/3-D "...weight" tensors, never
// norms or the MoE router; those keep the converter's type, F32.
bool quantizable(const RecipeTensor& t) {
  const std::string& n = t.name;
  if (t.ne.size() < 2) return false;
  if (n.size() < 6 || n.compare(n.size() - 6, 6, "weight") != 0) return false;
  if (n.find("_norm.weight") != std::string::npos) return false;
  // The Gated DeltaNet convolution stays F32 (llama-quant.cpp tensor_allows_quantization: "do not
  // quantize Mamba/Kimi's small conv1d weights", ggml-org/llama.cpp@007dbbf3).
  if (n.find("ssm_conv1d") != std::string::npos) return false;
  return n.find("ffn_gate_inp.weight") == std::string::npos;
}

// The recipes simulated: llama_ftype_get_default_type (llama-quant.cpp:847-891) for the base type.
struct Ftype {
  const char* name;
  const char* base;
};
constexpr std::array<Ftype, 18> kFtypes{{{"F32", "F32"},   {"F16", "F16"},       {"BF16", "BF16"},     {"Q8_0", "Q8_0"},
                                         {"Q6_K", "Q6_K"}, {"Q5_K_M", "Q5_K"},   {"Q5_K_S", "Q5_K"},   {"Q5_1", "Q5_1"},
                                         {"Q5_0", "Q5_0"}, {"Q4_K_M", "Q4_K"},   {"Q4_K_S", "Q4_K"},   {"Q4_1", "Q4_1"},
                                         {"Q4_0", "Q4_0"}, {"Q3_K_L", "Q3_K"},   {"Q3_K_M", "Q3_K"},   {"Q3_K_S", "Q3_K"},
                                         {"Q2_K", "Q2_K"}, {"MXFP4_MOE", "MXFP4"}}};

// A routed-expert tensor: 3-D, one slice per expert (llama-quant.cpp's MXFP4_MOE test, ne[2] > 1).
bool expert_tensor(const RecipeTensor& t) { return t.ne.size() == 3 && t.ne[2] > 1; }

bool use_more_bits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }  // :434-436

int layer_of(const std::string& name) {
  int i = -1;
  return std::sscanf(name.c_str(), "blk.%d.", &i) == 1 ? i : -1;
}

}  // namespace

std::optional<std::vector<RecipeTensor>> gguf_recipe_tensors(const ModelInfo& m, std::string_view recipe,
                                                             const QuantTables& tables) {
  const Ftype* ft = nullptr;
  for (const auto& f : kFtypes)
    if (recipe == f.name) ft = &f;
  if (!ft) return std::nullopt;
  auto list = gguf_tensor_list(m);
  if (!list) return std::nullopt;
  const std::string ftype = ft->name;
  const std::string base = ft->base;
  const bool quantized_base = base != "F32" && base != "F16" && base != "BF16";
  const int n_expert = m.moe ? m.moe->experts : 0;
  const bool eight_experts = n_expert == 8;
  const int gqa = m.kv_heads > 0 ? m.attention_heads / m.kv_heads : 1;
  // LLM_TYPE_70B: the llama and qwen2 loaders set it for 80 layers (llama: with GQA)
  // (src/models/llama.cpp:28, src/models/qwen2.cpp:14).
  const bool is_70b = m.layers == 80 && ((m.family == "llama" && m.kv_heads != m.attention_heads) ||
                                         m.family == "qwen2");
  bool tied = true;  // has_tied_embeddings: until output.weight is seen (:898-904)
  int n_attention_wv = 0;
  for (const auto& t : *list) {
    Cat c = category(t.name);
    if (c == Cat::output) tied = false;
    if (c == Cat::attn_v_like) ++n_attention_wv;
  }
  const int n_layer = m.layers;  // n_ffn_down = n_layer_all (:906)
  int i_attention_wv = 0, i_ffn_down = 0;
  auto blck = [&](const std::string& type) {
    const GgufType* g = tables.type(type);
    return g ? g->block_elems : 1;
  };

  const bool gpt_oss = is_gpt_oss(m.family);
  for (auto& t : *list) {
    std::string type = base;
    if (!quantizable(t)) {
      type = "F32";
    } else if (gpt_oss && expert_tensor(t) && ftype != "F32") {
      // Every published gpt-oss GGUF keeps the experts in the MXFP4 they were trained and released
      // in, whatever the file's nominal type: "All quants keep the feed forward networks at mxfp4"
      // (bartowski/openai_gpt-oss-20b-GGUF README: Q6_K 12.04 GB, MXFP4 12.1 GB); unsloth's
      // gpt-oss-120b F16 file is 60.87 GiB against ggml-org's MXFP4 59.02 GiB (llama-bench
      // listing, community.frame.work/t/will-the-ai-max-395-128gb-be-able-to-run-gpt-oss-120b/73280/26).
      type = "MXFP4";
    } else if (ftype == "MXFP4_MOE") {
      // llama_tensor_get_type_impl for MXFP4_MOE: experts MXFP4, every other quantizable tensor
      // (output included) Q8_0 (data/quantization.yaml MXFP4_MOE promotions).
      type = expert_tensor(t) ? "MXFP4" : "Q8_0";
    } else if (quantized_base) {
      const Cat c = category(t.name);
      // llama_tensor_get_type_impl, :428-679, for the recipes in kFtypes (no Falcon in the catalog).
      if (c == Cat::output || (tied && c == Cat::token_embd)) {  // :456-476
        if (t.ne[0] % blck(type) != 0) type = "Q8_0";
        else if (type != "Q8_0") type = "Q6_K";
      } else if (c == Cat::attn_v_like) {  // :533-570
        if (ftype == "Q2_K") type = gqa >= 4 ? "Q4_K" : "Q3_K";
        else if (ftype == "Q3_K_M") type = i_attention_wv < 2 ? "Q5_K" : "Q4_K";
        else if (ftype == "Q3_K_L") type = "Q5_K";
        else if ((ftype == "Q4_K_M" || ftype == "Q5_K_M") && use_more_bits(i_attention_wv, n_attention_wv))
          type = "Q6_K";
        else if (ftype == "Q4_K_S" && i_attention_wv < 4) type = "Q5_K";
        if (is_70b && (type == "Q3_K" || type == "Q4_K")) type = "Q5_K";
        if (eight_experts) type = "Q8_0";
        ++i_attention_wv;
      } else if (c == Cat::attn_k) {  // :571-583
        if (eight_experts) type = "Q8_0";
      } else if (c == Cat::ffn_down) {  // :590-634
        // MoE models read the layer from the name (experts are not consecutive), dense ones count.
        const int i = n_expert > 1 ? layer_of(t.name) : i_ffn_down;
        if (ftype == "Q2_K") type = "Q3_K";
        else if (ftype == "Q3_K_M") type = i < n_layer / 16 ? "Q5_K" : "Q4_K";
        else if (ftype == "Q3_K_L") type = "Q5_K";
        else if (ftype == "Q4_K_M") { if (use_more_bits(i, n_layer)) type = "Q6_K"; }
        else if (ftype == "Q5_K_M" && use_more_bits(i, n_layer)) type = "Q6_K";
        else if (ftype == "Q4_K_S" && i < n_layer / 8) type = "Q5_K";
        ++i_ffn_down;
      } else if (c == Cat::attn_output) {  // :635-654
        if (eight_experts) {
          if (ftype == "Q2_K" || ftype == "Q3_K_S" || ftype == "Q3_K_M" || ftype == "Q4_K_S" || ftype == "Q4_K_M")
            type = "Q5_K";
        } else {
          if (ftype == "Q2_K") type = "Q3_K";
          else if (ftype == "Q3_K_M") type = "Q4_K";
          else if (ftype == "Q3_K_L") type = "Q5_K";
        }
      }
      // tensor_type_fallback, :372-425: a row that is not a whole number of blocks.
      if (t.ne[0] % blck(type) != 0) {
        if (type == "Q2_K" || type == "Q3_K") type = "Q4_0";
        else if (type == "Q4_K") type = "Q5_0";
        else if (type == "Q5_K") type = "Q5_1";
        else if (type == "Q6_K") type = "Q8_0";
        if (t.ne[0] % blck(type) != 0) type = "F16";
      }
    }
    if (t.ne[0] % blck(type) != 0) type = "F16";  // an MXFP4 / Q8_0 row that is not whole blocks
    const GgufType* g = tables.type(type);
    if (!g || g->block_elems <= 0) return std::nullopt;
    t.type = type;
    t.bytes = static_cast<double>(t.elements() / g->block_elems) * g->block_bytes;
  }
  return list;
}

std::optional<double> gguf_recipe_bytes(const ModelInfo& m, std::string_view recipe, const QuantTables& tables) {
  auto list = gguf_recipe_tensors(m, recipe, tables);
  if (!list) return std::nullopt;
  double sum = 0;
  for (const auto& t : *list) sum += t.bytes;
  return sum;
}

}  // namespace planner
