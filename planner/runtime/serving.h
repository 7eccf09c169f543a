#pragma once
// How one route is served, beyond the model and its quantization: the engine settings a route
// can state (routing.R.parallel, kv_unified, gpu_layers, cpu_moe_layers, kv_cache_type_k / _v,
// flash_attention), each resolved to a value, the runtime's default where the config is silent
// (resolve/serving.cpp). The estimate sizes the cache and splits the memory by device from it;
// launch emits its flags.
#include <string>
#include <vector>

#include "runtime/runtime.h"

namespace planner {

// gpu_layers / cpu_moe_layers: every layer.
inline constexpr int kAllLayers = -1;

// How llama.cpp spreads a model over several GPUs (-sm, common/arg.cpp@de3ff815:2803-2825):
// `layer` gives each GPU whole layers and their KV cache, `row` splits the matrix weights by rows,
// `none` uses main_gpu alone.
enum class SplitMode { layer, row, none };

struct Serving {
  // Concurrent sequences the server takes (llama.cpp slots, -np). Each is one request of up to
  // the route's context.
  int slots = 1;
  bool slots_set = false;  // the config states `parallel`; else `slots` is the runtime's default
  // One pool of `context` cells the slots share (llama.cpp -kvu); false: each slot holds its own
  // `context` cells (-c slots x context).
  bool kv_unified = true;
  // Layers on the GPU, the output layer counted as one (llama.cpp -ngl); kAllLayers: all.
  int gpu_layers = kAllLayers;
  // Leading layers whose MoE experts stay in host memory (--n-cpu-moe); kAllLayers: --cpu-moe.
  int cpu_moe_layers = 0;
  std::string kv_type_k = "f16", kv_type_v = "f16";
  double k_bytes_per_element = 2, v_bytes_per_element = 2;
  // Resolved: the config's on / off, or the runtime's default for auto / unset.
  bool flash_attention = true;
  bool flash_attention_set = false;  // on or off stated (auto and unset leave it to the engine)
  // vLLM (estimate/vllm_memory.cpp): the GPUs the heads and weights are split over
  // (--tensor-parallel-size), the fraction of each GPU it takes (--gpu-memory-utilization; 0: the
  // runtime's default), and one GPU's memory (0: not known) and whether it is an A100, which the
  // analysis sets from hardware: (its batch defaults depend on them).
  int tensor_parallel = 1;
  double gpu_memory_utilization = 0;
  double gpu_total_bytes = 0;
  bool gpu_is_a100 = false;
  // Several GPUs (llama.cpp -ts / -sm / -mg): each GPU's proportion of the layers (empty: by each
  // one's free memory), the split mode, and the GPU used alone with SplitMode::none.
  std::vector<double> tensor_split;
  SplitMode split_mode = SplitMode::layer;
  int main_gpu = 0;
};

// What `rt` does with no setting stated: its default slots where it allocates the cache for them
// at start, one request where the cache grows per request; f16 K and V; its flash attention.
Serving default_serving(const Runtime& rt);

}  // namespace planner
