#include "estimate/memory.h"

#include <algorithm>
#include <cmath>

namespace planner {

namespace {

long long round_up(long long v, long long step) { return step > 0 ? (v + step - 1) / step * step : v; }

// Cells a layer holds at `context`: full layers hold the (padded) context; sliding layers hold
// the window. llama.cpp keeps n_swa + n_ubatch cells, padded to 256, for its SWA cache
// (src/llama-kv-cache-iswa.cpp); mlx-lm's RotatingKVCache keeps exactly the window.
long long cells(const ModelInfo& m, ModelInfo::LayerKind kind, Format runtime, long long context,
                const RuntimeAssumptions& rt) {
  long long ctx = runtime == Format::gguf ? round_up(context, rt.llama_ctx_pad) : round_up(context, rt.mlx_kv_step);
  if (kind != ModelInfo::LayerKind::sliding || m.sliding_window <= 0) return ctx;
  if (runtime == Format::mlx && m.sliding_window_ignored_by_mlx) return ctx;
  long long window = runtime == Format::gguf ? round_up(m.sliding_window + rt.llama_ubatch, rt.llama_ctx_pad)
                                             : m.sliding_window;
  return std::min(ctx, window);
}

// Values (K plus V) one layer stores per cached token.
double values_per_token(const ModelInfo& m, Format runtime) {
  if (m.mla) {
    // llama.cpp with an MLA-aware GGUF caches the compressed latent plus the rope key
    // (src/llama-kv-cache.cpp, is_mla()); mlx-lm's deepseek_v2.py caches the expanded per-head
    // keys (nope + rope) and values.
    if (runtime == Format::gguf) return m.mla->kv_lora_rank + m.mla->qk_rope_head_dim;
    return static_cast<double>(m.attention_heads) *
           (m.mla->qk_nope_head_dim + m.mla->qk_rope_head_dim + m.mla->v_head_dim);
  }
  return 2.0 * m.kv_heads * m.head_dim;
}

}  // namespace

double kv_cache_bytes(const ModelInfo& m, Format runtime, long long context, double bpe,
                      const RuntimeAssumptions& rt) {
  double per_token = values_per_token(m, runtime) * bpe;
  double total = 0;
  for (int i = 0; i < m.layers; ++i) {
    auto kind = m.layer_kind(i);
    if (kind == ModelInfo::LayerKind::linear) continue;
    total += per_token * static_cast<double>(cells(m, kind, runtime, context, rt));
  }
  return total;
}

double weight_bytes(const ModelInfo& m, const WeightQuant& q) { return m.params_total * q.bpw / 8.0; }

MemoryEstimate estimate_memory(const ModelInfo& m, const WeightQuant& q, Format runtime, long long context,
                               double bpe, const RuntimeAssumptions& rt) {
  MemoryEstimate e;
  e.context = context;
  e.weights_bytes = weight_bytes(m, q);
  e.kv_bytes = kv_cache_bytes(m, runtime, context, bpe, rt);
  e.mla_latent = m.mla.has_value() && runtime == Format::gguf;
  for (int i = 0; i < m.layers; ++i) {
    switch (m.layer_kind(i)) {
      case ModelInfo::LayerKind::full: ++e.kv_layers; break;
      case ModelInfo::LayerKind::sliding: ++e.kv_layers, ++e.sliding_layers; break;
      case ModelInfo::LayerKind::linear: ++e.linear_layers; break;
    }
  }
  if (m.linear && e.linear_layers > 0) {
    // Gated DeltaNet: a recurrent state of value_heads x key_dim x value_dim per layer plus a
    // short convolution state of (conv_kernel - 1) x (2 x key_heads x key_dim + value_heads x
    // value_dim), independent of context (Qwen3.5 config: linear_* fields; models.md).
    const auto& l = *m.linear;
    double recurrent = static_cast<double>(l.value_heads) * l.key_head_dim * l.value_head_dim * l.state_dtype_bytes;
    double conv = static_cast<double>(std::max(0, l.conv_kernel - 1)) *
                  (2.0 * l.key_heads * l.key_head_dim + static_cast<double>(l.value_heads) * l.value_head_dim) * 2.0;
    e.state_bytes = (recurrent + conv) * e.linear_layers;
  }
  if (runtime == Format::gguf) {
    // llama.cpp compute buffer: logits of one micro-batch (n_vocab x n_ubatch f32) plus the
    // hidden-state workspace (2 x n_embd x n_ubatch f32); an approximation of the graph
    // allocator's peak (gguf-parser-go models the same terms, facts.md).
    e.overhead_bytes = 4.0 * rt.llama_ubatch * (static_cast<double>(m.vocab) + 2.0 * m.hidden_size);
  } else {
    // mlx-lm prefills in chunks of prefill_step tokens and evaluates only the cache state, so the
    // peak is the MLP intermediates of one chunk: ~3 x 3.5 x hidden values in bf16 (2 B); a
    // conservative approximation.
    e.overhead_bytes = 2.0 * rt.mlx_prefill_step * 12.0 * m.hidden_size;
  }
  e.overhead_bytes += rt.runtime_base_bytes;
  return e;
}

long long max_context_for(const ModelInfo& m, Format runtime, double kv_budget, double bpe, long long upper,
                          const RuntimeAssumptions& rt) {
  const long long step = 256;
  if (kv_cache_bytes(m, runtime, step, bpe, rt) > kv_budget) return 0;
  long long lo = 1, hi = std::max<long long>(1, upper / step);  // in units of `step`
  if (kv_cache_bytes(m, runtime, hi * step, bpe, rt) <= kv_budget) return hi * step;
  while (hi - lo > 1) {
    long long mid = (lo + hi) / 2;
    if (kv_cache_bytes(m, runtime, mid * step, bpe, rt) <= kv_budget) lo = mid;
    else hi = mid;
  }
  return lo * step;
}

}  // namespace planner
