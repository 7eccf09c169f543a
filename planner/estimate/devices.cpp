#include "estimate/devices.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "estimate/gguf_recipe.h"

namespace planner {

namespace {

// Layer of a GGUF tensor name ("blk.12.ffn_up.weight" -> 12); -1 for the others.
int layer_of(std::string_view name) {
  if (name.rfind("blk.", 0) != 0) return -1;
  int il = -1;
  const char* b = name.data() + 4;
  std::from_chars(b, name.data() + name.size(), il);
  return il;
}

// llama.cpp's --cpu-moe / --n-cpu-moe pattern: a layer's routed-expert tensors
// (common/arg.cpp@de3ff815 "\.ffn_(up|down|gate|gate_up)_(ch|)exps").
bool is_expert_tensor(std::string_view name) {
  return name.find("_exps.") != std::string_view::npos || name.find("_chexps.") != std::string_view::npos;
}

struct Split {
  double gpu = 0, host = 0;
};

// Weights by device from the recipe's tensors, scaled to `total` (a model file's exact bytes, or
// the recipe's own sum); by layer share when the layout is not known.
Split split_weights(const ModelInfo& m, const WeightQuant& q, const Serving& s, const Offload& o, double total) {
  Split w;
  const bool all_experts_host = s.cpu_moe_layers == kAllLayers;
  auto expert_on_host = [&](int il) { return all_experts_host || il < s.cpu_moe_layers; };
  const std::string& recipe = q.size_recipe.empty() ? q.gguf_recipe : q.size_recipe;
  std::optional<std::vector<RecipeTensor>> tensors;
  if (!recipe.empty()) tensors = gguf_recipe_tensors(m, recipe, QuantTables::builtin());
  if (tensors && !tensors->empty()) {
    double sum = 0, embd = 0;
    for (const auto& t : *tensors) {
      sum += t.bytes;
      const int il = layer_of(t.name);
      if (t.name == "token_embd.weight") {
        // Always in host memory: the input embedding is a row lookup (llama-model.cpp
        // dev_input = CPU). A tied output is then copied to the GPU with the output layer
        // (measured: Gemma-2's 5488 MiB on the GPU hold it once more).
        embd = t.bytes;
        w.host += t.bytes;
      } else if (il < 0) {
        (o.output_on_gpu ? w.gpu : w.host) += t.bytes;
      } else if (il < o.first_gpu_layer || (m.is_moe() && is_expert_tensor(t.name) && expert_on_host(il))) {
        w.host += t.bytes;
      } else {
        w.gpu += t.bytes;
      }
    }
    if (m.tied_embeddings && o.output_on_gpu) w.gpu += embd;
    const double scale = sum > 0 ? total / sum : 1.0;
    w.gpu *= scale;
    w.host *= scale;
    return w;
  }
  // Unknown layout: token_embd (vocab x hidden at the file's mean bits) in host memory, the rest
  // by the share of layers offloaded.
  const double bits = m.params_total > 0 ? total * 8.0 / m.params_total : 16.0;
  const double embd = std::min(total, static_cast<double>(m.vocab) * m.hidden_size * bits / 8.0);
  const double rest = total - embd;
  const double share = m.layers > 0 ? static_cast<double>(o.repeating_on_gpu()) / m.layers : 1.0;
  w.host = embd + rest * (1.0 - share);
  w.gpu = rest * share;
  return w;
}

// CUDA's compute buffer with flash attention, from the H200 measurements (llama.cpp de3ff815):
// three FFN-wide and three model-wide f32 activations of one micro-batch, for MoE the routed
// experts' gathered outputs, and each cache's f16 mask of n_kv x n_ubatch. Llama-3.1-8B 116.01
// MiB (8K) / 140.01 (32K), Qwen3-30B-A3B 92.01 / 116.01, Gemma-2-9B 122.02 / 154.52.
double cuda_compute_bytes(const ModelInfo& m, const Runtime& rt, const Serving& s, long long context) {
  const double ub = rt.defaults.ubatch;
  double ffn = m.intermediate_size, gather = 0;
  if (m.is_moe()) {
    const double routed = static_cast<double>(m.moe->experts_per_token) * m.moe_intermediate_size +
                          m.shared_expert_intermediate_size;
    ffn = std::max(m.first_dense_layers > 0 ? static_cast<double>(m.intermediate_size) : 0.0, routed);
    gather = static_cast<double>(m.moe->experts_per_token) * m.hidden_size;
  }
  const double activations = 4.0 * ub * (3.0 * ffn + 3.0 * m.hidden_size + gather);
  const double scores = llama_attention_scores_bytes(m, context, rt, s);  // 0 with flash attention
  return std::max(activations, scores) + llama_mask_bytes(m, context, rt, s);
}

// The host side of the graph (CUDA_Host compute): the input embeddings and inputs of one
// micro-batch (2 x n_embd x n_ubatch f32) and the masks, measured to 0.05 MiB with flash attention.
double host_compute_bytes(const ModelInfo& m, const Runtime& rt, const Serving& s, long long context) {
  return 2.0 * 4.0 * rt.defaults.ubatch * m.hidden_size + llama_mask_bytes(m, context, rt, s);
}

}  // namespace

Offload offload_of(int layers, int gpu_layers) {
  Offload o;
  o.layers = std::max(0, layers);
  const int total = o.layers + 1;  // the output layer counts as one (llama-model.cpp n_gpu_layers)
  const int ngl = gpu_layers == kAllLayers ? total : std::clamp(gpu_layers, 0, total);
  o.first_gpu_layer = std::max(0, total - ngl);
  // The output layer is index n_layer: on the GPU with any -ngl above 0 (get_layer_buft_list).
  o.output_on_gpu = ngl >= 1;
  return o;
}

std::vector<DeviceMemory> memory_by_device(const ModelInfo& m, const WeightQuant& q, const Runtime& rt,
                                           const Serving& s, long long context, const MemoryEstimate& e,
                                           Placement placement) {
  if (placement == Placement::discrete_gpu && e.vllm) {
    // vLLM: each of its tensor-parallel GPUs holds its share of the weights, its own KV blocks,
    // activation peak and memory outside torch (estimate/vllm_memory.cpp).
    const VllmCache& v = *e.vllm;
    std::vector<DeviceMemory> gpus;
    for (int i = 0; i < v.tensor_parallel; ++i) {
      DeviceMemory d;
      d.device = "gpu" + std::to_string(i);
      d.weights_bytes = v.weights_bytes;
      d.kv_cache_bytes = e.kv_bytes / v.tensor_parallel;
      d.compute_bytes = v.activation_bytes;
      d.runtime_bytes = v.non_torch_bytes;
      gpus.push_back(d);
    }
    return gpus;
  }
  if (placement != Placement::discrete_gpu || rt.overhead.compute != ComputeBuffer::llama_graph) {
    DeviceMemory d;
    d.device = placement == Placement::unified ? "unified" : placement == Placement::host_only ? "host" : "gpu0";
    d.weights_bytes = e.weights_bytes;
    d.kv_cache_bytes = e.kv_bytes;
    d.state_bytes = e.state_bytes;
    d.compute_bytes = e.overhead_bytes - rt.overhead.base_bytes;
    d.runtime_bytes = rt.overhead.base_bytes;
    return {d};
  }
  const Offload o = offload_of(m.layers, s.gpu_layers);
  DeviceMemory gpu, host;
  gpu.device = "gpu0";
  host.device = "host";
  const Split w = split_weights(m, q, s, o, e.weights_bytes);
  gpu.weights_bytes = w.gpu;
  host.weights_bytes = w.host;
  // Each layer's cache and state go where the layer goes (offload_kqv, the default).
  const double state_per_layer = e.linear_layers > 0 ? e.state_bytes / e.linear_layers : 0;
  for (int il = 0; il < m.layers; ++il) {
    DeviceMemory& d = il >= o.first_gpu_layer ? gpu : host;
    if (m.layer_kind(il) == ModelInfo::LayerKind::linear) d.state_bytes += state_per_layer;
    else d.kv_cache_bytes += kv_layer_bytes(m, rt, context, s, il);
  }
  gpu.compute_bytes = cuda_compute_bytes(m, rt, s, context);
  host.compute_bytes = host_compute_bytes(m, rt, s, context) + llama_output_bytes(m, s);
  gpu.runtime_bytes = o.repeating_on_gpu() > 0 || o.output_on_gpu ? rt.overhead.gpu_context_bytes
                                                                    : rt.overhead.gpu_context_idle_bytes;
  host.runtime_bytes = rt.overhead.host_process_bytes;
  return {gpu, host};
}

}  // namespace planner
