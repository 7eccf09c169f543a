#include "estimate/vllm_memory.h"

#include <algorithm>
#include <cmath>

#include "core/text.h"

// vLLM's start-up, as read (each file at the commit the code index stores it at):
// - vllm/v1/worker/gpu_worker.py@35d5cda1: init_device takes requested_memory = total_memory x
//   gpu_memory_utilization (and refuses to start when less is free); determine_available_memory
//   runs profile_run inside memory_profiling and returns requested_memory - non_kv_cache_memory;
//   CUDA graphs are captured afterwards, outside it ("memory_profiling does not consider CUDAGraph
//   memory size").
// - vllm/utils/mem_utils.py@a6d5c390 memory_profiling: non_kv_cache_memory = weights_memory +
//   torch_peak_increase (the profile run's activations) + non_torch_increase.
// - vllm/v1/core/kv_cache_utils.py@002f10e0: num_blocks = available_memory // bytes_per_block
//   (get_kv_cache_config_from_groups), bytes_per_block = the largest group's layers x page
//   (_get_kv_cache_bytes_per_block); the check plans against available less one block (the null
//   block, get_kv_cache_configs) and raises when one max_model_len request needs more
//   (_check_enough_kv_cache_memory); concurrency = num_blocks / blocks per request
//   (get_max_concurrency_for_kv_cache_config), tokens = concurrency x max_model_len
//   (get_kv_cache_capacity); hybrid groups of min(full, sliding) layers, or the larger count when
//   it is under 1.5 x the smaller (_get_kv_cache_groups_uniform_page_size).
// - vllm/v1/kv_cache_interface.py@001cabc1: a page is block_size x kv_heads x (head_size +
//   head_size_v) x dtype bytes (FullAttentionSpec), block_size x head_size x dtype for MLA; a
//   request needs cdiv(max_model_len, block_size) pages of a full layer and cdiv(min(window - 1 +
//   max_num_batched_tokens, max_model_len), block_size) + 1 of a sliding one.

namespace planner {

namespace {

long long cdiv(long long a, long long b) { return b > 0 ? (a + b - 1) / b : a; }

constexpr double kGiBytes = 1024.0 * 1024.0 * 1024.0;

struct Layers {
  long long full = 0, sliding = 0, linear = 0;
};

Layers layers_of(const ModelInfo& m) {
  Layers l;
  for (int i = 0; i < m.layers; ++i) {
    const ModelInfo::LayerKind k = m.layer_kind(i);
    // A window the engines ignore (Phi-3's config) is full attention in vLLM's model code too.
    if (k == ModelInfo::LayerKind::sliding && (m.sliding_window <= 0 || m.sliding_window_ignored)) ++l.full;
    else if (k == ModelInfo::LayerKind::sliding) ++l.sliding;
    else if (k == ModelInfo::LayerKind::linear) ++l.linear;
    else ++l.full;
  }
  return l;
}

// KV element bytes: --kv-cache-dtype fp8* stores one byte; auto (f16 / bf16 here) the model's
// 16-bit dtype (CacheConfig.cache_dtype, vllm/config/cache.py@002f10e0:111).
double kv_dtype_bytes(const std::string& type) {
  if (type.rfind("fp8", 0) == 0) return 1;
  if (type == "f32") return 4;
  return 2;
}

// profile_run's torch peak: a dummy forward of max_num_batched_tokens tokens, then the sampler on
// max_num_seqs rows (vllm/v1/worker/gpu_model_runner.py profile_run, _dummy_sampler_run). Not
// sourced to the byte: an estimate of the largest live tensors, the FFN's gate_up and activation
// outputs (3 x its width per GPU) and 4 hidden-wide buffers of 2 bytes a value per token, or the
// sampler's float32 logits and probabilities, whichever is larger.
double activation_bytes(const ModelInfo& m, const VllmBatch& b, int tp) {
  double ffn = m.intermediate_size;
  if (m.is_moe())
    ffn = static_cast<double>(m.moe->experts_per_token) * m.moe_intermediate_size + m.shared_expert_intermediate_size;
  if (ffn <= 0) ffn = 4.0 * m.hidden_size;  // width unknown: the classic 4 x hidden
  const double forward = 2.0 * b.max_num_batched_tokens * (3.0 * ffn / tp + 4.0 * m.hidden_size);
  const double rows = std::min(b.max_num_seqs, b.max_num_batched_tokens);
  const double sampler = 8.0 * rows * m.vocab;
  return std::max(forward, sampler);
}

}  // namespace

VllmBatch vllm_batch(const Runtime& rt, const Serving& s, long long max_model_len) {
  VllmBatch b;
  const std::span<const BatchTier> tiers = rt.defaults.batch_tiers;
  if (tiers.empty()) return b;
  const BatchTier* tier = &tiers.back();  // no GPU known: get_batch_defaults' device_memory 0
  for (const BatchTier& t : tiers)
    if (s.gpu_total_bytes >= t.min_vram_gib * kGiBytes && !(t.excludes_a100 && s.gpu_is_a100)) {
      tier = &t;
      break;
    }
  // _set_default_max_num_seqs_and_batched_tokens_args: the default batch is capped at max_num_seqs
  // x max_model_len (chunked prefill on, the default), and a default max_num_seqs at the batch.
  b.max_num_seqs = s.slots_set ? s.slots : tier->max_num_seqs;
  b.max_num_batched_tokens = static_cast<int>(std::min<long long>(
      static_cast<long long>(b.max_num_seqs) * std::max<long long>(1, max_model_len), tier->max_num_batched_tokens));
  if (!s.slots_set) b.max_num_seqs = std::min(b.max_num_seqs, b.max_num_batched_tokens);
  return b;
}

int vllm_kv_heads_per_gpu(const ModelInfo& m, int tp) {
  if (m.mla) return 1;  // ModelConfig.get_num_kv_heads: "When using MLA during decode it becomes MQA"
  return std::max(1, m.kv_heads / std::max(1, tp));  // replicated when fewer than the GPUs
}

VllmCache vllm_cache(const ModelInfo& m, const Runtime& rt, long long max_model_len, const Serving& s,
                     double weights_bytes) {
  VllmCache c;
  const int tp = std::max(1, s.tensor_parallel);
  c.tensor_parallel = tp;
  c.utilization = s.gpu_memory_utilization > 0 ? s.gpu_memory_utilization : rt.defaults.gpu_memory_utilization;
  c.gpu_bytes = s.gpu_total_bytes;
  c.requested_bytes = c.utilization * c.gpu_bytes;
  c.block_size = rt.defaults.block_size > 0 ? rt.defaults.block_size : 16;
  const VllmBatch b = vllm_batch(rt, s, max_model_len);
  c.max_num_seqs = b.max_num_seqs;
  c.max_num_batched_tokens = b.max_num_batched_tokens;
  // Column- and row-parallel layers and the vocab-parallel embeddings split over the GPUs; the
  // norms each GPU keeps whole are left out (a few hidden-wide vectors a layer).
  c.weights_bytes = weights_bytes / tp;
  c.activation_bytes = activation_bytes(m, b, tp);
  c.non_torch_bytes = rt.overhead.base_bytes;
  c.available_bytes = c.requested_bytes - c.weights_bytes - c.activation_bytes - c.non_torch_bytes;

  c.kv_heads_per_gpu = vllm_kv_heads_per_gpu(m, tp);
  const double dtype = kv_dtype_bytes(to_lower(s.kv_type_k));
  const double values = m.mla ? static_cast<double>(m.mla->kv_lora_rank + m.mla->qk_rope_head_dim)
                              : 2.0 * c.kv_heads_per_gpu * m.head_dim;
  c.page_bytes = static_cast<long long>(c.block_size * values * dtype);

  const Layers l = layers_of(m);
  c.linear_layers_unsized = l.linear > 0;
  long long full_groups = 0, sliding_groups = 0;
  if (l.full == 0 || l.sliding == 0) {
    c.layers_per_group = static_cast<int>(l.full + l.sliding);  // one group of every attention layer
    (l.full > 0 ? full_groups : sliding_groups) = c.layers_per_group > 0 ? 1 : 0;
  } else {
    long long group = std::min(l.full, l.sliding);
    const long long most = std::max(l.full, l.sliding);
    if (static_cast<double>(most) < 1.5 * static_cast<double>(group)) group = most;
    c.layers_per_group = static_cast<int>(group);
    full_groups = cdiv(l.full, group);
    sliding_groups = cdiv(l.sliding, group);
  }
  c.bytes_per_block = c.page_bytes * c.layers_per_group;
  const long long bs = c.block_size, window = m.sliding_window, batch = c.max_num_batched_tokens;
  auto blocks_for = [&](long long len) {
    return full_groups * cdiv(len, bs) + sliding_groups * (cdiv(std::min(window - 1 + batch, len), bs) + 1);
  };
  c.blocks_per_request = blocks_for(max_model_len);
  if (c.bytes_per_block <= 0 || c.blocks_per_request <= 0) return c;

  if (c.gpu_bytes <= 0) {
    // No GPU memory known: vLLM would take the fraction of whatever GPU it runs on; planner can
    // only size the blocks of the requests asked for (parallel, else one).
    c.num_blocks = c.blocks_per_request * (s.slots_set ? std::max(1, s.slots) : 1);
    c.fits = true;
  } else {
    c.num_blocks = c.available_bytes > 0 ? static_cast<long long>(c.available_bytes / c.bytes_per_block) : 0;
    const double check = c.available_bytes - static_cast<double>(c.bytes_per_block);  // less the null block
    auto fits_len = [&](long long len) {
      return check > 0 && static_cast<double>(c.bytes_per_block) * blocks_for(len) <= check;
    };
    c.fits = fits_len(max_model_len);
    if (c.fits) {
      c.max_model_len_fit = max_model_len;
    } else if (fits_len(1)) {
      long long lo = 1, hi = max_model_len;  // fits(lo), !fits(hi)
      while (hi - lo > 1) {
        const long long mid = lo + (hi - lo) / 2;
        (fits_len(mid) ? lo : hi) = mid;
      }
      c.max_model_len_fit = lo;
    }
  }
  c.max_concurrency = static_cast<double>(c.num_blocks) / static_cast<double>(c.blocks_per_request);
  c.kv_tokens = static_cast<long long>(c.max_concurrency * static_cast<double>(max_model_len));
  return c;
}

}  // namespace planner
