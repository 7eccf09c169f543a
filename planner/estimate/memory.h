#pragma once
// Stage 4: memory per route. Formulas and their sources are in docs/memory-model.md; what differs
// between engines (cells, padding, windows, MLA, compute buffer, defaults) is read from the route's
// runtime descriptor (runtime/runtime.h), where each fact names its source. A what-if (flash
// attention off, exact cells) passes a modified copy of a descriptor.
#include <optional>
#include <string>

#include "model/model_info.h"
#include "model/weight_quant.h"
#include "runtime/runtime.h"
#include "runtime/serving.h"

namespace planner {

// What vLLM takes on each GPU at start (estimate/vllm_memory.cpp, ComputeBuffer::vllm_profile).
struct VllmCache {
  double gpu_bytes = 0;         // one GPU's memory; 0: not known, and nothing below is sized by it
  double utilization = 0;       // --gpu-memory-utilization
  double requested_bytes = 0;   // utilization x gpu_bytes: what vLLM takes of each GPU
  double weights_bytes = 0;     // one GPU's share of the weights
  double activation_bytes = 0;  // profile_run's peak: an estimate
  double non_torch_bytes = 0;   // allocated outside torch (NCCL, attention back ends): an assumption
  double available_bytes = 0;   // for KV blocks: requested less the three above
  int tensor_parallel = 1;
  int kv_heads_per_gpu = 0;
  int block_size = 0;
  long long page_bytes = 0;        // one layer's block
  int layers_per_group = 0;        // layers that share one block id (all of them unless hybrid)
  long long bytes_per_block = 0;   // page_bytes x layers_per_group
  long long num_blocks = 0;
  long long blocks_per_request = 0;  // one sequence of max_model_len, every group's blocks
  long long kv_tokens = 0;           // "GPU KV cache size: N tokens"
  double max_concurrency = 0;        // "Maximum concurrency for max_model_len tokens per request"
  long long max_model_len_fit = 0;   // the longest max_model_len one sequence of fits (0: none)
  int max_num_seqs = 0, max_num_batched_tokens = 0;
  bool fits = false;                 // one max_model_len sequence fits the usable blocks
  // Linear-attention layers (Qwen3.5, Qwen3-Next): vLLM pads their state to the attention page and
  // gives them blocks of their own; planner sizes only the attention layers' blocks (an estimate).
  bool linear_layers_unsized = false;
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
  bool mla_latent = false;    // the runtime stores MLA as one latent (kv_lora_rank + rope)
  std::optional<VllmCache> vllm;  // a vLLM route: its pre-allocation, per GPU
  double total() const { return weights_bytes + kv_bytes + state_bytes + overhead_bytes; }
};

// KV cache bytes of `model` at `context` tokens per request on `runtime` served as `serving` (its
// slots, pooled or not, and K / V types); the overloads taking one `bytes_per_element` size one
// sequence (as the CPU measurements ran) with K and V of that size.
double kv_cache_bytes(const ModelInfo& model, const Runtime& runtime, long long context, const Serving& serving);
double kv_cache_bytes(const ModelInfo& model, const Runtime& runtime, long long context, double bytes_per_element);
// The cache of layer `layer` alone (0 for a linear-attention layer).
double kv_layer_bytes(const ModelInfo& model, const Runtime& runtime, long long context, const Serving& serving,
                      int layer);
// The same, its keys and values apart.
struct KvLayerBytes {
  double k = 0, v = 0;
};
KvLayerBytes kv_layer_parts(const ModelInfo& model, const Runtime& runtime, long long context, const Serving& serving,
                            int layer);
// Cells one stream of a layer of `kind` holds at `context` (the padded context, or a sliding
// layer's window); the layer's cache holds this per stream (per slot, or one pool when unified).
long long kv_stream_cells(const ModelInfo& model, ModelInfo::LayerKind kind, const Runtime& runtime,
                          long long context, const Serving& serving);

// Weight bytes: all parameters (MoE: every expert is resident). Catalog models of a known layout
// are sized tensor by tensor with the runtime's recipe (estimate/gguf_recipe.h, mlx_recipe.h);
// others at the quantization's bits per weight.
double weight_bytes(const ModelInfo& model, const WeightQuant& quant);

// llama.cpp's compute buffer (graph allocator peak) plus its output buffer, in bytes, at `context`
// (ComputeBuffer::llama_graph), with `runtime`'s cells and defaults.
double llama_compute_bytes(const ModelInfo& model, long long context, const Runtime& runtime);
double llama_compute_bytes(const ModelInfo& model, long long context, const Runtime& runtime, const Serving& serving);
// Its parts: the attention scores without flash attention (0 with it), the KQ masks, and the
// output buffer (the logits of each slot's last token).
double llama_attention_scores_bytes(const ModelInfo& model, long long context, const Runtime& runtime,
                                    const Serving& serving);
double llama_mask_bytes(const ModelInfo& model, long long context, const Runtime& runtime, const Serving& serving);
double llama_output_bytes(const ModelInfo& model, const Serving& serving);

MemoryEstimate estimate_memory(const ModelInfo& model, const WeightQuant& quant, const Runtime& runtime,
                               long long context, const Serving& serving);
MemoryEstimate estimate_memory(const ModelInfo& model, const WeightQuant& quant, const Runtime& runtime,
                               long long context, double kv_bytes_per_element);

// The largest context (a multiple of 256, at least 256) whose KV cache fits in `kv_budget`
// bytes; 0 when not even 256 tokens fit.
long long max_context_for(const ModelInfo& model, const Runtime& runtime, double kv_budget, const Serving& serving,
                          long long upper_bound);
long long max_context_for(const ModelInfo& model, const Runtime& runtime, double kv_budget, double bytes_per_element,
                          long long upper_bound);

}  // namespace planner
