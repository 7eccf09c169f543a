#pragma once
// Memory per device: where a route's weights, KV cache, state and buffers live. On a Mac every
// byte is in one unified memory; without a GPU, in host RAM. On a discrete GPU llama.cpp places
// each layer's weights and cache where -ngl puts the layer, keeps token_embd and the experts
// --n-cpu-moe names in host memory, and the CUDA context takes VRAM of its own (measured on an
// H200: bench/accuracy/README.md, "llama-server on an NVIDIA GPU").
#include <optional>
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

// The discrete GPUs of the host in CUDA's order, each one's VRAM in bytes (nullopt: not known).
// Empty or one entry: a single GPU.
using GpuVram = std::vector<std::optional<double>>;

// `e` is estimate_memory() of the same route. Discrete GPUs are split only for runtimes that run
// llama.cpp's graph (ComputeBuffer::llama_graph); any other engine's memory is given as on one
// GPU, less nothing. With several `gpus`, llama.cpp's layer split spreads the layers over them
// (gpu0, gpu1, ..., then host).
std::vector<DeviceMemory> memory_by_device(const ModelInfo& m, const WeightQuant& q, const Runtime& rt,
                                           const Serving& s, long long context, const MemoryEstimate& e,
                                           Placement placement, const GpuVram& gpus = {});

// llama.cpp's split points (src/llama-model.cpp@de3ff815:1488-1519): the proportions of
// `tensor_split` (its first gpus.size() entries; all 0 or empty: each GPU's free memory, which
// planner takes as its VRAM less `context_bytes`, equal shares when a VRAM is not known), summed
// up and normalised. Empty when the proportions sum to 0 with some not 0, which llama.cpp divides
// by (the load fails).
std::vector<float> split_points(const std::vector<double>& tensor_split, const GpuVram& gpus, double context_bytes);

// Where llama.cpp puts each layer 0..layers (index `layers` is the output layer): the GPU's index
// into `splits` (split_points()), or -1 for the CPU (llama-model.cpp:1521-1546 get_layer_buft_list).
std::vector<int> layer_devices(int layers, int gpu_layers, const std::vector<float>& splits);

// Layers on the GPU under `gpu_layers` (-ngl, the output layer counted as one): layer il is on the
// GPU when il >= first_gpu_layer; the output layer when output_on_gpu.
struct Offload {
  int layers = 0;
  int first_gpu_layer = 0;
  bool output_on_gpu = true;
  int repeating_on_gpu() const { return first_gpu_layer < layers ? layers - first_gpu_layer : 0; }
};
Offload offload_of(int layers, int gpu_layers);

}  // namespace planner
