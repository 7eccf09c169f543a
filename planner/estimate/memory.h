#pragma once
// Stage 4: memory per route. Formulas and their sources are in docs/memory-model.md; every
// constant below names where it comes from.
#include <string>

#include "resolve/catalog.h"
#include "resolve/config.h"
#include "resolve/quant.h"

namespace planner {

// Assumptions about the runtimes that no config states. Defaults are documented in
// docs/memory-model.md; issue #3 replaces them with per-runtime measurements.
struct RuntimeAssumptions {
  // llama-server's default micro-batch (`-ub`, common/common.h n_ubatch = 512).
  int llama_ubatch = 512;
  // llama.cpp allocates the KV cache in multiples of 256 cells (llama-context / kv-cache padding).
  int llama_ctx_pad = 256;
  // llama.cpp's flash attention. Its default, `-fa auto` (common/common.h:499 @0ad4a86), turns
  // it on whenever the back end supports it (CPU, Metal, CUDA), so planner assumes on; off adds
  // the attention scores to the compute buffer (docs/memory-model.md).
  bool llama_flash_attn = true;
  // mlx-lm's prompt prefill chunk (`--prefill-step-size`, default 2048, mlx_lm/server.py).
  int mlx_prefill_step = 2048;
  // mlx-lm's KVCache grows in steps of 256 tokens (mlx_lm/models/cache.py KVCache.step).
  int mlx_kv_step = 256;
  // Process, Metal/CUDA context and framework allocations: an assumption (not measured here).
  double runtime_base_bytes = 256.0 * 1024 * 1024;
};

struct MemoryEstimate {
  double weights_bytes = 0;
  double kv_bytes = 0;        // at `context`
  double state_bytes = 0;     // fixed-size state of linear-attention layers (hybrids)
  double overhead_bytes = 0;  // compute/activation buffers + runtime base
  long long context = 0;
  int kv_layers = 0;          // layers that hold a KV cache
  int sliding_layers = 0;
  int linear_layers = 0;
  bool mla_latent = false;    // llama.cpp stores MLA as one latent (kv_lora_rank + rope)
  double total() const { return weights_bytes + kv_bytes + state_bytes + overhead_bytes; }
};

// KV cache bytes of `model` at `context` tokens on `runtime`, `bytes_per_element` per value.
double kv_cache_bytes(const ModelInfo& model, Format runtime, long long context, double bytes_per_element,
                      const RuntimeAssumptions& rt = {});

// Weight bytes: all parameters (MoE: every expert is resident). Catalog models of a known layout
// are sized tensor by tensor with the runtime's recipe (estimate/gguf_recipe.h, mlx_recipe.h);
// others at the quantization's bits per weight.
double weight_bytes(const ModelInfo& model, const WeightQuant& quant);

// llama.cpp's compute buffer (graph allocator peak) plus its output buffer, in bytes, at `context`.
double llama_compute_bytes(const ModelInfo& model, long long context, const RuntimeAssumptions& rt = {});

MemoryEstimate estimate_memory(const ModelInfo& model, const WeightQuant& quant, Format runtime, long long context,
                               double kv_bytes_per_element, const RuntimeAssumptions& rt = {});

// The largest context (a multiple of 256, at least 256) whose KV cache fits in `kv_budget`
// bytes; 0 when not even 256 tokens fit.
long long max_context_for(const ModelInfo& model, Format runtime, double kv_budget, double bytes_per_element,
                          long long upper_bound, const RuntimeAssumptions& rt = {});

}  // namespace planner
