#pragma once
// Memory per device: where a route's weights, KV cache, state and buffers live. On a Mac every
// byte is in one unified memory; without a GPU, in host RAM. On a discrete GPU llama.cpp places
// each layer's weights and cache where -ngl puts the layer, keeps token_embd and the experts
// --n-cpu-moe names in host memory, and the CUDA context takes VRAM of its own (measured on an
// H200: bench/accuracy/README.md, "llama-server on an NVIDIA GPU").
#include <string>
#include <vector>

#include "estimate/memory.h"
#include "model/model_info.h"
#include "model/weight_quant.h"
#include "runtime/runtime.h"
#include "runtime/serving.h"

namespace planner {

// The machine's memory: one unified pool (Apple silicon), a discrete GPU beside host RAM, or host
// RAM alone (architecture cpu).
enum class Placement { unified, discrete_gpu, host_only };

struct DeviceMemory {
  std::string device;  // "unified", "gpu0", "host"
  double weights_bytes = 0;
  double kv_cache_bytes = 0;
  double state_bytes = 0;
  double compute_bytes = 0;  // compute and output buffers
  double runtime_bytes = 0;  // the process, the GPU context
  double total() const { return weights_bytes + kv_cache_bytes + state_bytes + compute_bytes + runtime_bytes; }
};

// `e` is estimate_memory() of the same route. Discrete GPUs are split only for runtimes that run
// llama.cpp's graph (ComputeBuffer::llama_graph); any other engine's memory is given as on one
// GPU, less nothing.
std::vector<DeviceMemory> memory_by_device(const ModelInfo& m, const WeightQuant& q, const Runtime& rt,
                                           const Serving& s, long long context, const MemoryEstimate& e,
                                           Placement placement);

// Layers on the GPU under `gpu_layers` (-ngl, the output layer counted as one): layer il is on the
// GPU when il >= first_gpu_layer(); the output layer when gpu_output().
struct Offload {
  int layers = 0;
  int first_gpu_layer = 0;
  bool output_on_gpu = true;
  int repeating_on_gpu() const { return layers - first_gpu_layer; }
};
Offload offload_of(int layers, int gpu_layers);

}  // namespace planner
