#pragma once
// vLLM's start-up memory: --gpu-memory-utilization of each GPU is taken, and what the weights, the
// profiled activation peak and memory outside torch leave of it becomes KV blocks
// (ComputeBuffer::vllm_profile; sources in vllm_memory.cpp and runtime/vllm.cpp).
#include "estimate/memory.h"

namespace planner {

// Batch defaults of `vllm serve` for the route's GPU: its --max-num-seqs (routing.R.parallel
// when stated) and max_num_batched_tokens.
struct VllmBatch {
  int max_num_seqs = 0;
  int max_num_batched_tokens = 0;
};
VllmBatch vllm_batch(const Runtime& rt, const Serving& s, long long max_model_len);

// KV heads one GPU holds at --tensor-parallel-size `tp` (1 for MLA, which caches one latent head).
int vllm_kv_heads_per_gpu(const ModelInfo& m, int tp);

// The pre-allocation of one GPU for `m` with `weights_bytes` of weights in all, at
// --max-model-len `max_model_len`.
VllmCache vllm_cache(const ModelInfo& m, const Runtime& rt, long long max_model_len, const Serving& s,
                     double weights_bytes);

}  // namespace planner
