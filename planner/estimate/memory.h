#pragma once
// Stage 4: memory per route. Formulas and their sources are in docs/memory-model.md; what differs
// between engines (cells, padding, windows, MLA, compute buffer, defaults) is read from the route's
// runtime descriptor (runtime/runtime.h), where each fact names its source. A what-if (flash
// attention off, exact cells) passes a modified copy of a descriptor.
#include <string>

#include "model/model_info.h"
#include "model/weight_quant.h"
#include "runtime/runtime.h"

namespace planner {

struct MemoryEstimate {
  double weights_bytes = 0;
  double kv_bytes = 0;        // at `context`
  double state_bytes = 0;     // fixed-size state of linear-attention layers (hybrids)
  double overhead_bytes = 0;  // compute/activation buffers + runtime base
  long long context = 0;
  int kv_layers = 0;          // layers that hold a KV cache
  int sliding_layers = 0;
  int linear_layers = 0;
  bool mla_latent = false;    // the runtime stores MLA as one latent (kv_lora_rank + rope)
  double total() const { return weights_bytes + kv_bytes + state_bytes + overhead_bytes; }
};

// KV cache bytes of `model` at `context` tokens on `runtime`, `bytes_per_element` per value.
double kv_cache_bytes(const ModelInfo& model, const Runtime& runtime, long long context, double bytes_per_element);

// Weight bytes: all parameters (MoE: every expert is resident). Catalog models of a known layout
// are sized tensor by tensor with the runtime's recipe (estimate/gguf_recipe.h, mlx_recipe.h);
// others at the quantization's bits per weight.
double weight_bytes(const ModelInfo& model, const WeightQuant& quant);

// llama.cpp's compute buffer (graph allocator peak) plus its output buffer, in bytes, at `context`
// (ComputeBuffer::llama_graph), with `runtime`'s cells and defaults.
double llama_compute_bytes(const ModelInfo& model, long long context, const Runtime& runtime);

MemoryEstimate estimate_memory(const ModelInfo& model, const WeightQuant& quant, const Runtime& runtime,
                               long long context, double kv_bytes_per_element);

// The largest context (a multiple of 256, at least 256) whose KV cache fits in `kv_budget`
// bytes; 0 when not even 256 tokens fit.
long long max_context_for(const ModelInfo& model, const Runtime& runtime, double kv_budget, double bytes_per_element,
                          long long upper_bound);

}  // namespace planner
