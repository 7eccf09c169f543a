#include "estimate/memory.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "estimate/gguf_recipe.h"
#include "estimate/hf_recipe.h"
#include "estimate/mlx_recipe.h"
#include "estimate/vllm_memory.h"

namespace planner {

namespace {

long long round_up(long long v, long long step) { return step > 0 ? (v + step - 1) / step * step : v; }

// KV streams: one pool when unified, one per slot otherwise.
long long streams_of(const Serving& s) { return s.kv_unified ? 1 : std::max(1, s.slots); }

// Cells one stream of a layer holds at `context`. Full layers hold the (padded) context. Sliding
// layers hold the window: llama.cpp keeps n_swa x (unified ? n_seq : 1) + n_ubatch cells per
// stream, padded to 256, never more than the full layers' cells (src/llama-kv-cache-iswa.cpp;
// measured on an H200, 2026-12-01: Gemma-2 at -c 32768 holds 16896 SWA cells with 4 unified slots,
// 4608 per slot with -np 4); mlx-lm's RotatingKVCache keeps exactly the window, per request.
long long stream_cells(const ModelInfo& m, ModelInfo::LayerKind kind, const Runtime& rt, long long context,
                       const Serving& s) {
  const KvRules& kv = rt.kv;
  const long long ctx = round_up(context, kv.cell_step);
  if (kind != ModelInfo::LayerKind::sliding || m.sliding_window <= 0 || !kv.sliding_window) return ctx;
  if (m.sliding_window_ignored_by_mlx && kv.model_code == "mlx-lm") return ctx;
  const long long sharing = s.kv_unified ? std::max(1, s.slots) : 1;
  long long window = m.sliding_window * sharing + (kv.window_adds_ubatch ? rt.defaults.ubatch : 0);
  if (kv.window_rounded) window = round_up(window, kv.cell_step);
  return std::min(ctx, window);
}

// Cells a layer holds, all streams together.
long long cells(const ModelInfo& m, ModelInfo::LayerKind kind, const Runtime& rt, long long context,
                const Serving& s) {
  return stream_cells(m, kind, rt, context, s) * streams_of(s);
}

// How many layers are of each kind. From the pattern's period and full-attention positions,
// not layer by layer: the cost does not depend on the layer count, which a model file or a
// config's models: section states (layer_kind(i) would also search full_at on every call).
struct LayerCounts {
  long long full = 0, sliding = 0, linear = 0;
};

LayerCounts count_layers(const ModelInfo& m) {
  LayerCounts c;
  if (m.layers <= 0) return c;
  const long long n = m.layers;
  if (m.pattern && m.pattern->period > 0) {
    const long long period = m.pattern->period;
    // layer_kind: layer i is full when i % period is in full_at; positions outside [0, period)
    // never match and a repeated one counts once.
    std::vector<int> at;
    for (int r : m.pattern->full_at)
      if (r >= 0 && r < period) at.push_back(r);
    std::sort(at.begin(), at.end());
    at.erase(std::unique(at.begin(), at.end()), at.end());
    const long long rest = n % period;
    c.full = n / period * static_cast<long long>(at.size()) +
             (std::lower_bound(at.begin(), at.end(), static_cast<int>(rest)) - at.begin());
    (m.pattern->others_linear ? c.linear : c.sliding) = n - c.full;
  } else if (m.layer_kind(0) == ModelInfo::LayerKind::sliding) {
    c.sliding = n;  // no pattern: one kind for every layer
  } else {
    c.full = n;
  }
  return c;
}

// Values one layer stores per cached token, keys and values apart.
struct TokenValues {
  double k = 0, v = 0;
};

TokenValues values_per_token(const ModelInfo& m, const Runtime& rt) {
  if (m.mla) {
    // llama.cpp with an MLA-aware GGUF caches the compressed latent plus the rope key as K and no
    // V (src/llama-kv-cache.cpp, is_mla()); mlx-lm's deepseek_v2.py caches the expanded per-head
    // keys (nope + rope) and values.
    if (rt.kv.mla_latent) return {static_cast<double>(m.mla->kv_lora_rank + m.mla->qk_rope_head_dim), 0.0};
    return {static_cast<double>(m.attention_heads) * (m.mla->qk_nope_head_dim + m.mla->qk_rope_head_dim),
            static_cast<double>(m.attention_heads) * m.mla->v_head_dim};
  }
  const double per_head = static_cast<double>(m.kv_heads) * m.head_dim;
  return {per_head, per_head};
}

double token_bytes(const ModelInfo& m, const Runtime& rt, const Serving& s) {
  const TokenValues t = values_per_token(m, rt);
  return t.k * s.k_bytes_per_element + t.v * s.v_bytes_per_element;
}

// What the overloads taking one bytes-per-element size: one sequence (as the CPU measurements
// ran, 1/1 seqs), K and V of that size, the runtime's flash attention.
Serving with_bytes(const Runtime& rt, double bpe) {
  Serving s = default_serving(rt);
  s.slots = 1;
  s.kv_unified = true;
  s.k_bytes_per_element = s.v_bytes_per_element = bpe;
  return s;
}

}  // namespace

double kv_cache_bytes(const ModelInfo& m, const Runtime& rt, long long context, const Serving& s) {
  const double per_token = token_bytes(m, rt, s);
  const LayerCounts c = count_layers(m);
  using K = ModelInfo::LayerKind;
  return per_token * (static_cast<double>(c.full) * static_cast<double>(cells(m, K::full, rt, context, s)) +
                      static_cast<double>(c.sliding) * static_cast<double>(cells(m, K::sliding, rt, context, s)));
}

double kv_cache_bytes(const ModelInfo& m, const Runtime& rt, long long context, double bpe) {
  return kv_cache_bytes(m, rt, context, with_bytes(rt, bpe));
}

double kv_layer_bytes(const ModelInfo& m, const Runtime& rt, long long context, const Serving& s, int layer) {
  const KvLayerBytes p = kv_layer_parts(m, rt, context, s, layer);
  return p.k + p.v;
}

KvLayerBytes kv_layer_parts(const ModelInfo& m, const Runtime& rt, long long context, const Serving& s, int layer) {
  const ModelInfo::LayerKind kind = m.layer_kind(layer);
  if (kind == ModelInfo::LayerKind::linear) return {};
  const TokenValues t = values_per_token(m, rt);
  const double n = static_cast<double>(cells(m, kind, rt, context, s));
  return {t.k * s.k_bytes_per_element * n, t.v * s.v_bytes_per_element * n};
}

long long kv_stream_cells(const ModelInfo& m, ModelInfo::LayerKind kind, const Runtime& rt, long long context,
                          const Serving& s) {
  return stream_cells(m, kind, rt, context, s);
}

double weight_bytes(const ModelInfo& m, const WeightQuant& q) {
  // A model file's WeightQuant names no recipe and no MLX bits: its bpw is the file's own.
  // An Unsloth dynamic quant is sized as a plain recipe times a published-size ratio (size_factor).
  if (!q.hf_quant.empty())
    if (auto b = hf_weight_bytes(m, q)) return *b;  // a safetensors checkpoint (vLLM)
  const std::string& recipe = q.size_recipe.empty() ? q.gguf_recipe : q.size_recipe;
  if (!recipe.empty())
    if (auto b = gguf_recipe_bytes(m, recipe, QuantTables::builtin())) return *b * q.size_factor;
  if (q.mlx_bits > 0 && q.mlx_bits < 16)
    if (auto b = mlx_weight_bytes(m, q.mlx_bits, q.mlx_group, q.mlx_mode)) return *b;
  return m.params_total * q.bpw / 8.0;
}

double llama_compute_bytes(const ModelInfo& m, long long context, const Runtime& rt) {
  return llama_compute_bytes(m, context, rt, with_bytes(rt, 2.0));
}

double llama_attention_scores_bytes(const ModelInfo& m, long long context, const Runtime& rt, const Serving& s) {
  if (s.flash_attention) return 0;
  const double ub = rt.defaults.ubatch;
  // Without flash attention each layer materializes its attention scores, kq = n_kv x n_ubatch
  // x n_head f32 (llama.cpp 0ad4a86 src/llama-graph.cpp:2671; the softmax at :2705 runs in
  // place), beside the KQ mask of n_kv x n_ubatch, f32 without flash attention (:38-40).
  // n_kv is the most cells any attention layer of one stream holds (the pool when unified).
  const LayerCounts c = count_layers(m);
  long long n_kv = 0;
  if (c.full > 0) n_kv = stream_cells(m, ModelInfo::LayerKind::full, rt, context, s);
  if (c.sliding > 0) n_kv = std::max(n_kv, stream_cells(m, ModelInfo::LayerKind::sliding, rt, context, s));
  // What stays live beside them (residual, q, k, v, workspace): 4 x n_embd + q + 2 x kv values
  // per token, fitted to the measured cases (exact for Llama-3.1-8B and Qwen2.5-7B, within
  // 4.1 % for the others; bench/accuracy/README.md).
  const double q_dim = static_cast<double>(m.attention_heads) * m.head_dim;
  const double kv_dim = static_cast<double>(m.kv_heads) * m.head_dim;
  const double live = 4.0 * m.hidden_size + q_dim + 2.0 * kv_dim;
  return 4.0 * ub * (static_cast<double>(n_kv) * (m.attention_heads + 1) + live);
}

double llama_mask_bytes(const ModelInfo& m, long long context, const Runtime& rt, const Serving& s) {
  // One KQ mask per cache (the full-attention and the SWA cache apart) of one stream's cells x
  // n_ubatch: f16 with flash attention, f32 without (llama-graph.cpp:38-40).
  const LayerCounts c = count_layers(m);
  const double element = s.flash_attention ? 2.0 : 4.0;
  double cells_sum = 0;
  if (c.full > 0) cells_sum += static_cast<double>(stream_cells(m, ModelInfo::LayerKind::full, rt, context, s));
  if (c.sliding > 0) cells_sum += static_cast<double>(stream_cells(m, ModelInfo::LayerKind::sliding, rt, context, s));
  return element * rt.defaults.ubatch * cells_sum;
}

double llama_output_bytes(const ModelInfo& m, const Serving& s) {
  // n_vocab f32 logits for each sequence's last token (llama-context.cpp:376
  // output_reserve(n_seq_max); 0.49 MiB for Llama-3.1-8B with one slot, 1.96 with four, in the logs).
  return 4.0 * m.vocab * std::max(1, s.slots);
}

double llama_compute_bytes(const ModelInfo& m, long long context, const Runtime& rt, const Serving& s) {
  const double ub = rt.defaults.ubatch;
  // Output phase: the logits of one micro-batch (n_vocab x n_ubatch f32) plus the hidden-state
  // workspace (2 x n_embd x n_ubatch f32). Measured equal to the byte with flash attention on, on
  // the CPU at 0ad4a86 (CUDA at de3ff815 reserves less: estimate/devices.cpp).
  const double compute = 4.0 * ub * (static_cast<double>(m.vocab) + 2.0 * m.hidden_size);
  return std::max(compute, llama_attention_scores_bytes(m, context, rt, s)) + llama_output_bytes(m, s);
}

MemoryEstimate estimate_memory(const ModelInfo& m, const WeightQuant& q, const Runtime& rt, long long context,
                               double bpe) {
  return estimate_memory(m, q, rt, context, with_bytes(rt, bpe));
}

MemoryEstimate estimate_memory(const ModelInfo& m, const WeightQuant& q, const Runtime& rt, long long context,
                               const Serving& s) {
  MemoryEstimate e;
  e.context = context;
  e.weights_bytes = weight_bytes(m, q);
  e.kv_bytes = kv_cache_bytes(m, rt, context, s);
  e.mla_latent = m.mla.has_value() && rt.kv.mla_latent;
  if (rt.overhead.compute == ComputeBuffer::vllm_profile) {
    // vLLM sizes its own cache: blocks of what its fraction of each GPU leaves (estimate/vllm_memory.cpp).
    const VllmCache v = vllm_cache(m, rt, context, s, e.weights_bytes);
    const double gpus = v.tensor_parallel;
    e.kv_bytes = gpus * static_cast<double>(v.num_blocks) * static_cast<double>(v.bytes_per_block);
    e.overhead_bytes = gpus * (v.activation_bytes + v.non_torch_bytes);
    const LayerCounts lc = count_layers(m);
    e.kv_layers = static_cast<int>(lc.full + lc.sliding);
    e.sliding_layers = static_cast<int>(lc.sliding);
    e.linear_layers = static_cast<int>(lc.linear);
    e.vllm = v;
    return e;
  }
  const LayerCounts c = count_layers(m);
  e.kv_layers = static_cast<int>(c.full + c.sliding);
  e.sliding_layers = static_cast<int>(c.sliding);
  e.linear_layers = static_cast<int>(c.linear);
  if (m.linear && e.linear_layers > 0) {
    // Gated DeltaNet: a recurrent state of value_heads x key_dim x value_dim per layer plus a
    // short convolution state of (conv_kernel - 1) x (2 x key_heads x key_dim + value_heads x
    // value_dim), independent of context (Qwen3.5 config: linear_* fields; models.md).
    const auto& l = *m.linear;
    double recurrent = static_cast<double>(l.value_heads) * l.key_head_dim * l.value_head_dim * l.state_dtype_bytes;
    double conv = static_cast<double>(std::max(0, l.conv_kernel - 1)) *
                  (2.0 * l.key_heads * l.key_head_dim + static_cast<double>(l.value_heads) * l.value_head_dim) * 2.0;
    e.state_bytes = (recurrent + conv) * e.linear_layers * std::max(1, s.slots);  // one state per sequence
  }
  switch (rt.overhead.compute) {
    case ComputeBuffer::llama_graph:
      e.overhead_bytes = llama_compute_bytes(m, context, rt, s);
      break;
    case ComputeBuffer::vllm_profile:  // returned above
      break;
    case ComputeBuffer::mlx_prefill:
      // mlx-lm prefills in chunks of prefill_step tokens and evaluates only the cache state, so the
      // peak is the MLP intermediates of one chunk: ~3 x 3.5 x hidden values in bf16 (2 B); a
      // conservative approximation.
      e.overhead_bytes = 2.0 * rt.defaults.prefill_step * 12.0 * m.hidden_size;
      break;
  }
  e.overhead_bytes += rt.overhead.base_bytes;
  return e;
}

long long max_context_for(const ModelInfo& m, const Runtime& rt, double kv_budget, double bpe, long long upper) {
  return max_context_for(m, rt, kv_budget, with_bytes(rt, bpe), upper);
}

long long max_context_for(const ModelInfo& m, const Runtime& rt, double kv_budget, const Serving& s, long long upper) {
  const long long step = 256;
  if (kv_cache_bytes(m, rt, step, s) > kv_budget) return 0;
  long long lo = 1, hi = std::max<long long>(1, upper / step);  // in units of `step`
  if (kv_cache_bytes(m, rt, hi * step, s) <= kv_budget) return hi * step;
  while (hi - lo > 1) {
    long long mid = (lo + hi) / 2;
    if (kv_cache_bytes(m, rt, mid * step, s) <= kv_budget) lo = mid;
    else hi = mid;
  }
  return lo * step;
}

}  // namespace planner
