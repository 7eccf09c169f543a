#include "estimate/devices.h"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <string_view>

#include "estimate/gguf_recipe.h"
#include "estimate/offload_replay.h"

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

// Where each layer 0..layers (the output layer last) is: a GPU's index, or -1 for the CPU.
using LayerDevices = std::vector<int>;

// Whether any repeating layer (not the output layer, the last entry) is on the CPU.
bool any_layer_on_host(const LayerDevices& dev) {
  return std::any_of(dev.begin(), dev.end() - 1, [](int d) { return d < 0; });
}

// Weights by device: one entry per GPU, and the host; and the host-resident tensors whose
// copies size CUDA's compute buffer under partial offload (op_offload_compute_bytes).
struct Split {
  std::vector<double> gpu;
  double host = 0;
  double host_ffn_up = 0;      // the largest dense ffn_up left on the host
  double host_attn_q = 0;      // the largest attn_q left on the host (0 with a fused qkv)
  double host_expert = 0;      // the largest routed-expert tensor left on the host
  std::vector<RecipeTensor> tensors;  // the recipe's, unscaled (empty: the layout is not known)
};


// Weights by device from the recipe's tensors, scaled to `total` (a model file's exact bytes, or
// the recipe's own sum); by layer share when the layout is not known.
Split split_weights(const ModelInfo& m, const WeightQuant& q, const Serving& s, const LayerDevices& dev,
                    std::size_t n_gpus, double total) {
  Split w;
  w.gpu.assign(n_gpus, 0.0);
  const int out_dev = dev.back();  // the output layer's device
  auto add = [&](int d, double bytes) { (d < 0 ? w.host : w.gpu[static_cast<std::size_t>(d)]) += bytes; };
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
      } else if (il < 0 || il >= m.layers) {
        add(out_dev, t.bytes);
      } else if (m.is_moe() && is_expert_tensor(t.name) && expert_on_host(il)) {
        w.host += t.bytes;
        w.host_expert = std::max(w.host_expert, t.bytes);
      } else {
        const int d = dev[static_cast<std::size_t>(il)];
        add(d, t.bytes);
        if (d < 0 && m.is_moe() && is_expert_tensor(t.name)) w.host_expert = std::max(w.host_expert, t.bytes);
        if (d < 0 && t.name.find(".ffn_up.") != std::string::npos) w.host_ffn_up = std::max(w.host_ffn_up, t.bytes);
        if (d < 0 && t.name.find(".attn_q.weight") != std::string::npos)
          w.host_attn_q = std::max(w.host_attn_q, t.bytes);
      }
    }
    if (m.tied_embeddings && out_dev >= 0) w.gpu[static_cast<std::size_t>(out_dev)] += embd;
    w.tensors = std::move(*tensors);
    const double scale = sum > 0 ? total / sum : 1.0;
    for (double& g : w.gpu) g *= scale;
    w.host *= scale;
    w.host_ffn_up *= scale;
    w.host_attn_q *= scale;
    w.host_expert *= scale;
    return w;
  }
  // Unknown layout: token_embd (vocab x hidden at the file's mean bits) in host memory, the rest
  // by each device's share of the repeating layers.
  const double bits = m.params_total > 0 ? total * 8.0 / m.params_total : 16.0;
  const double embd = std::min(total, static_cast<double>(m.vocab) * m.hidden_size * bits / 8.0);
  const double rest = total - embd;
  w.host = embd;
  if (m.layers <= 0) {
    add(out_dev, rest);
    return w;
  }
  for (int il = 0; il < m.layers; ++il) add(dev[static_cast<std::size_t>(il)], rest / m.layers);
  // The host tensors at the file's mean bits: one expert tensor holds every expert of a layer.
  const bool host_layer = any_layer_on_host(dev);
  if (m.is_moe() && (host_layer || s.cpu_moe_layers == kAllLayers || s.cpu_moe_layers > 0))
    w.host_expert = static_cast<double>(m.moe->experts) * m.hidden_size * m.moe_intermediate_size * bits / 8.0;
  else if (host_layer)
    w.host_ffn_up = static_cast<double>(m.hidden_size) * m.intermediate_size * bits / 8.0;
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

// Whether the second host-KV layer starts from the first one's layout, so that the hole under the
// first mask is exactly layer 0's K + V copies. Read in the allocator traces (offload.md sections
// 6-7), per architecture, as its node order decides it: Gemma-2 (the embedding scaled in place, the
// residual back at offset 0 after each layer) does; Llama (layer 0's ffn_out takes the later of two
// equal holes) and Qwen2 (a 0.02 MiB bias copy) shift it. Architectures not traced are taken to
// shift it, as those two do.
bool repeats_first_layer_layout(const ModelInfo& m) { return m.family == "gemma2"; }

// CUDA's compute buffer when weights or KV stay on the host (-ngl below all, --cpu-moe): ggml's
// scheduler runs a host weight's matrix product on CUDA0 when the batch is at least 32 tokens
// (ggml-cuda.cu:5599-5617) and copies the weight into CUDA0's buffer for it, and each host layer's
// K and V views before its attention; the mask stays resident from the first attention on. The
// peak is the largest of the attention, FFN and MoE phases (bench/accuracy/offload.md: the
// derivation in section 2, the measured cases in sections 3, 5, 6 and 7). The dense FFN phase's peak
// is the ideal working set (residual, norm output, gate and up outputs, the ffn_up copy) times the
// fragmentation the H200 showed: 1.232 on Llama-3.1-8B (127.5 MiB over 103.5) and 1.526 on
// Gemma-2-9B (148.9 over 97.6), one case of each. Which one applies is what the allocator trace
// showed (offload.md section 6): the GLU output (F) takes the hole the freed ffn_up copy leaves
// when it fits there (Llama: 28 MiB in 31.5), and goes on top of gate and up when it does not
// (Gemma-2: 28 in 27.56, Qwen2.5-7B: 37 in 36.42), a third F at the peak.
double op_offload_compute_bytes(const ModelInfo& m, const Runtime& rt, const Serving& s, long long context,
                                const LayerDevices& dev, const Split& w) {
  // Gemma-2: ggml-alloc replayed over the graph's node order, with each host layer's copies from
  // the recipe (estimate/offload_replay.h; offload.md section 7). The host layers lead (-ngl
  // counts from the top). With some on the GPU it replays the host layers alone: their allocations
  // come first, and the GPU layers' smaller working set is the full-offload figure the caller
  // takes the larger of (measured: Gemma-2-9B -ngl 10 and 21 give -ngl 0's buffer, offload.md section 3).
  int host_layers = 0;
  while (host_layers < m.layers && dev[static_cast<std::size_t>(host_layers)] < 0) ++host_layers;
  if (!w.tensors.empty() && host_layers > 0)
    if (const auto g = gemma2_host_graph(m, rt, s, context, w.tensors, host_layers))
      return static_cast<double>(replay_gemma2_host_graph(*g));
  const double t = static_cast<double>(rt.defaults.ubatch);
  const double e = 4.0 * t * m.hidden_size;
  const double eq = 4.0 * t * m.attention_heads * m.head_dim;
  const double f = 4.0 * t * m.intermediate_size;
  // What is live below layer 0's K copy: the input copy and its norm (2E), then Q and its roped
  // copy. The roped Q takes the freed attn_q copy's hole when it fits there (Llama-3.1-8B: 8 MiB
  // in 9, so 24 MiB); otherwise both Q tensors sit above that hole (Gemma-2-9B: 8 in 7.88, so
  // 14 + 7.88 + 16 = 37.88 MiB; Qwen2.5-7B 34.89; offload.md section 6, every trace).
  const double base = w.host_attn_q > 0 && eq > w.host_attn_q ? 2.0 * e + w.host_attn_q + 2.0 * eq : 2.0 * e + eq;
  const double mask = llama_mask_bytes(m, context, rt, s);
  const double mask_per_cell = (s.flash_attention ? 2.0 : 4.0) * t;  // one cache's mask, per cell
  // The host-KV layers: the first two (whose copies lay out the buffer) and the largest cache (a
  // global layer's under iSWA).
  int host_kv_layers = 0;
  KvLayerBytes kv, first[2];
  double first_mask[2] = {0, 0};
  ModelInfo::LayerKind first_kind[2] = {ModelInfo::LayerKind::full, ModelInfo::LayerKind::full};
  long long n_kv = 0;
  for (int il = 0; il < m.layers; ++il) {
    const ModelInfo::LayerKind kind = m.layer_kind(il);
    if (kind == ModelInfo::LayerKind::linear) continue;
    n_kv = std::max(n_kv, kv_stream_cells(m, kind, rt, context, s));
    if (dev[static_cast<std::size_t>(il)] >= 0) continue;
    const KvLayerBytes p = kv_layer_parts(m, rt, context, s, il);
    if (host_kv_layers < 2) {
      first[host_kv_layers] = p;
      first_kind[host_kv_layers] = kind;
      first_mask[host_kv_layers] = mask_per_cell * static_cast<double>(kv_stream_cells(m, kind, rt, context, s));
    }
    ++host_kv_layers;
    if (p.k + p.v > kv.k + kv.v) kv = p;
  }
  double peak = 0;
  if (host_kv_layers > 0) {
    // Quantized K/V under flash attention: CUDA's kernels take f16 K and V, so the attention
    // node's allocation grows by both at f16 (ggml-cuda.cu:908-925, fattn.cu:719-753).
    const bool quantized = s.k_bytes_per_element < 2.0 || s.v_bytes_per_element < 2.0;
    const double f16_copy = s.flash_attention && quantized
                                ? 2.0 * (kv.k / s.k_bytes_per_element + kv.v / s.v_bytes_per_element) : 0.0;
    // Without flash attention each layer's scores, n_kv x n_ubatch x n_head f32 (llama-graph.cpp:2671).
    const double scores = s.flash_attention ? 0.0 : 4.0 * t * m.attention_heads * static_cast<double>(n_kv);
    // The mask copy takes the best-fitting free block when the first attention runs: one no larger
    // than the freed attn_norm output (n_embd x n_ubatch f32) goes into it; a larger one goes on top
    // of layer 0's K and V copies (offload.md section 6).
    const double largest_mask = mask_per_cell * static_cast<double>(n_kv);
    double attn = base + kv.k + kv.v + mask + f16_copy + scores;
    const bool repeats = host_kv_layers >= 2 && repeats_first_layer_layout(m) && s.flash_attention && !quantized;
    const double kv0 = first[0].k + first[0].v, k1 = first[1].k, v1 = first[1].v;
    // Where layer 1's layout repeats layer 0's, the low hole is the attn_norm output's with the
    // attn_q copy's beside it when the roped Q did not take it (Gemma-2-9B: 7 + 7.88 = 14.88 MiB).
    const double low_hole = e + (repeats && base > 2.0 * e + eq ? w.host_attn_q : 0.0);
    const bool mask_on_top = first_mask[0] > low_hole;
    if (repeats && (mask_on_top || k1 + v1 <= kv0)) {
      // The hole under layer 0's mask is exactly layer 0's K + V, and ggml-alloc's best fit
      // (ggml-alloc.c@de3ff815:211-247) places layer 1's copies and a 2nd cache's mask:
      const double m1 = first_kind[1] == first_kind[0] ? 0.0 : first_mask[1];  // a 2nd cache's own mask
      const double top0 = base + kv0 + (mask_on_top ? first_mask[0] : 0.0);
      if (k1 + v1 <= kv0) {
        attn = top0 + m1;  // both fit under the mask; the 2nd mask goes on top (Gemma-2 16K: 197.88)
      } else if (k1 <= kv0) {
        // K fits the hole, V goes on top. The 2nd mask then fits what K left, or goes above V,
        // which makes V's block a hole between the masks that the small tensors of the next
        // layers cut, and a later layer's V goes on top of everything (Gemma-2 32K: 474.38).
        attn = m1 <= kv0 - k1 ? top0 + v1 : top0 + 2.0 * v1 + m1;
      } else {
        attn = top0 + k1 + v1 + (m1 > kv0 ? m1 : 0.0);  // neither fits; the 2nd mask takes the hole
      }
    } else if (host_kv_layers >= 2 && largest_mask > low_hole) {
      // Elsewhere layer 1's residual lands higher than layer 0's (a best-fit tie in Llama, a bias
      // copy in Qwen2.5), the hole under the mask is short of K + V, and V goes on top
      // (Llama-3.1-8B 32K -ngl 0: 248 MiB; 177 with -np 4's 8 MiB mask, which sits in a low hole).
      attn += kv.v;
    }
    peak = std::max(peak, attn);
  }
  if (w.host_ffn_up > 0) {
    const double working_set = 2.0 * e + w.host_ffn_up + 2.0 * f;
    // Best fit over the free blocks (ggml-alloc.c@de3ff815:210-222): the gate copy's hole, which the
    // up copy takes again (one split each, ggml-backend.cpp:1325-1341), is at small contexts the
    // only free block that large, so the GLU output fits under the peak only if F <= the copy.
    const bool glu_on_top = f > w.host_ffn_up;
    const double fragmentation = glu_on_top ? 148.88 / 97.5625 : 127.5 / 103.5;
    peak = std::max(peak, fragmentation * working_set + mask);
    // With host KV too: the gate and up outputs go above the mask unless the KV copies' hole holds
    // them. Not where layer 1 repeats layer 0's layout: there the FFN starts below the Q copies,
    // in a hole of 2 Eq + K + V, and what does not fit is the fitted ratio's (Gemma-2 8K).
    if (host_kv_layers > 0 && !repeats_first_layer_layout(m))
      peak = std::max(peak, base + kv.k + kv.v + mask + (kv.k + kv.v < working_set ? 2.0 * f : 0.0));
  }
  if (w.host_expert > 0 && m.is_moe()) {
    // The routed experts' phase: the largest expert tensor's copy (ffn_down_exps), the gathered
    // outputs of the used experts, their gate and up, and the residual; exact to 0.01 MiB on
    // Qwen3-30B-A3B with --cpu-moe. With host KV also one K copy (fitted: -12.5 MiB at 8K).
    const double used = m.moe->experts_per_token;
    const double moe = w.host_expert + 4.0 * t * m.hidden_size * used +
                       2.0 * 4.0 * t * m.moe_intermediate_size * used + e;
    peak = std::max(peak, moe + mask + (host_kv_layers > 0 ? kv.k : 0.0));
  }
  return peak;
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

std::vector<float> split_points(const std::vector<double>& tensor_split, const GpuVram& gpus, double context_bytes) {
  const std::size_t n = std::max<std::size_t>(1, gpus.size());
  std::vector<float> splits(n, 0.0f);
  // llama.cpp reads the first n_devices proportions; all 0 there (or none given) is the default.
  bool all_zero = true;
  for (std::size_t i = 0; i < n && i < tensor_split.size(); ++i) {
    splits[i] = static_cast<float>(tensor_split[i]);
    if (splits[i] != 0.0f) all_zero = false;
  }
  if (all_zero) {
    // By free memory (cudaMemGetInfo at load): planner takes it as the VRAM less the CUDA context,
    // and equal shares when a GPU's VRAM is not known.
    const bool known = !gpus.empty() && std::all_of(gpus.begin(), gpus.end(), [](const auto& v) { return v.has_value(); });
    for (std::size_t i = 0; i < n; ++i)
      splits[i] = known ? static_cast<float>(std::max(0.0, *gpus[i] - context_bytes)) : 1.0f;
    if (std::all_of(splits.begin(), splits.end(), [](float x) { return x == 0.0f; }))
      std::fill(splits.begin(), splits.end(), 1.0f);
  }
  // Summed and normalised in float, as llama.cpp does: an edge falls where its rounding puts it.
  float split_sum = 0.0f;
  for (float& x : splits) {
    split_sum += x;
    x = split_sum;
  }
  for (float& x : splits) x /= split_sum;
  return splits;
}

std::vector<int> layer_devices(int layers, int gpu_layers, const std::vector<float>& splits) {
  const int n_layer = std::max(0, layers);
  const int total = n_layer + 1;  // the output layer counts as one
  const int ngl = gpu_layers == kAllLayers ? total : std::clamp(gpu_layers, 0, total);
  const int i_gpu_start = std::max(total - ngl, 0);
  const int act = splits.empty() ? 0 : std::min(ngl, total);
  std::vector<int> dev(static_cast<std::size_t>(total), -1);
  for (int il = 0; il < total; ++il) {
    if (il < i_gpu_start || il - i_gpu_start >= act) continue;
    const float at = static_cast<float>(il - i_gpu_start) / static_cast<float>(act);
    const auto it = std::upper_bound(splits.begin(), splits.end(), at);
    dev[static_cast<std::size_t>(il)] = static_cast<int>(std::min<std::ptrdiff_t>(it - splits.begin(),
                                                                                 static_cast<std::ptrdiff_t>(splits.size()) - 1));
  }
  return dev;
}

std::vector<DeviceMemory> memory_by_device(const ModelInfo& m, const WeightQuant& q, const Runtime& rt,
                                           const Serving& s, long long context, const MemoryEstimate& e,
                                           Placement placement, const GpuVram& gpus) {
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
  const std::size_t n = std::max<std::size_t>(1, gpus.size());
  // The GPUs llama.cpp loads on (src/llama.cpp@de3ff815:288-301): all of them, or with split mode
  // none only main_gpu, which then holds what one GPU would.
  const bool single = n == 1 || s.split_mode == SplitMode::none;
  const std::size_t main_dev = single && s.main_gpu >= 0 && static_cast<std::size_t>(s.main_gpu) < n
                               ? static_cast<std::size_t>(s.main_gpu) : 0;
  LayerDevices dev;
  if (single) {
    dev = layer_devices(m.layers, s.gpu_layers, {1.0f});
    for (int& d : dev)
      if (d >= 0) d = static_cast<int>(main_dev);
  } else {
    // Split mode row is estimated as the layer split: llama.cpp de3ff815 cannot load it on CUDA (LI029).
    dev = layer_devices(m.layers, s.gpu_layers, split_points(s.tensor_split, gpus, rt.overhead.gpu_context_bytes));
  }
  std::vector<DeviceMemory> out(n + 1);
  for (std::size_t i = 0; i < n; ++i) out[i].device = "gpu" + std::to_string(i);
  DeviceMemory& host = out[n];
  host.device = "host";
  auto at = [&](int d) -> DeviceMemory& { return d < 0 ? host : out[static_cast<std::size_t>(d)]; };
  const Split w = split_weights(m, q, s, dev, n, e.weights_bytes);
  for (std::size_t i = 0; i < n; ++i) out[i].weights_bytes = w.gpu[i];
  host.weights_bytes = w.host;
  // Each layer's cache and state go where the layer goes (offload_kqv, the default).
  const double state_per_layer = e.linear_layers > 0 ? e.state_bytes / e.linear_layers : 0;
  for (int il = 0; il < m.layers; ++il) {
    DeviceMemory& d = at(dev[static_cast<std::size_t>(il)]);
    if (m.layer_kind(il) == ModelInfo::LayerKind::linear) d.state_bytes += state_per_layer;
    else d.kv_cache_bytes += kv_layer_bytes(m, rt, context, s, il);
  }
  // Each GPU that holds a layer has its compute buffer and its full CUDA context (the one-GPU
  // formula per GPU: not measured on several). With no layer on any GPU, the main GPU still runs
  // the host weights' matrix products (its compute buffer), beside an idle context. A GPU of the
  // split that holds nothing keeps an idle context (assumed, not measured); GPUs outside the
  // split (split mode none) hold nothing.
  std::vector<bool> holds(n, false);
  for (int d : dev)
    if (d >= 0) holds[static_cast<std::size_t>(d)] = true;
  const bool any = std::find(holds.begin(), holds.end(), true) != holds.end();
  // A host ffn_up implies a host layer; host experts alone are --cpu-moe / --n-cpu-moe.
  double compute = cuda_compute_bytes(m, rt, s, context);
  if (w.host_expert > 0 || any_layer_on_host(dev))
    compute = std::max(compute, op_offload_compute_bytes(m, rt, s, context, dev, w));
  for (std::size_t i = 0; i < n; ++i) {
    const bool used = !single || i == main_dev;
    if (!used) continue;
    if (holds[i] || (!any && i == main_dev)) out[i].compute_bytes = compute;
    out[i].runtime_bytes = holds[i] ? rt.overhead.gpu_context_bytes : rt.overhead.gpu_context_idle_bytes;
  }
  host.compute_bytes = host_compute_bytes(m, rt, s, context) + llama_output_bytes(m, s);
  host.runtime_bytes = rt.overhead.host_process_bytes;
  return out;
}

}  // namespace planner
