#include "estimate/cluster.h"

#include <algorithm>
#include <fmt/format.h>

#include "core/text.h"
#include "estimate/cluster_link.h"
#include "estimate/gguf_recipe.h"
#include "estimate/speed.h"
#include "model/quant_tables.h"

namespace planner {

namespace {

constexpr double kSchedMaxCopies = 4;  // ggml/src/ggml-backend.cpp@de3ff815:772 GGML_SCHED_MAX_COPIES
constexpr double kCpuExtraActivations = 4;
// A CPU-only rpc-server's own process: its VmRSS before the head connects, 5.9 to 6.2 MiB in all
// 24 loopback runs (bench/accuracy/logs/rpc-loopback, "### proc rpcN idle"); its buffers are the
// device's.
constexpr double kRpcServerProcessBytes = 6.0 * 1024 * 1024;

// A model's weight bytes cut where a split can fall: the input embedding, each repeating layer,
// and the output (output.weight, output_norm and any tensor outside the layers).
struct LayerWeights {
  double embed = 0, output = 0;
  std::vector<double> layer;
};

int layer_index(const std::string& name) {
  if (name.rfind("blk.", 0) != 0) return -1;
  return std::atoi(name.c_str() + 4);
}

// From the GGUF recipe's tensors when the route has one; else the tensor list's element counts
// at the route's mean bits (mlx-lm quantizes every matrix alike, embeddings included); else the
// embedding at the mean bits and the rest evenly. Scaled to `total`, the estimate's weight bytes.
LayerWeights layer_weights(const ModelInfo& m, const WeightQuant& q, double total) {
  LayerWeights w;
  w.layer.assign(static_cast<std::size_t>(std::max(0, m.layers)), 0.0);
  std::optional<std::vector<RecipeTensor>> tensors;
  const std::string& recipe = q.size_recipe.empty() ? q.gguf_recipe : q.size_recipe;
  bool by_bytes = false;
  if (!recipe.empty()) {
    tensors = gguf_recipe_tensors(m, recipe, QuantTables::builtin());
    by_bytes = tensors.has_value();
  }
  if (!tensors) tensors = gguf_tensor_list(m);
  if (tensors && !tensors->empty()) {
    double sum = 0;
    for (const auto& t : *tensors) {
      const double b = by_bytes ? t.bytes : static_cast<double>(t.elements());
      sum += b;
      const int il = layer_index(t.name);
      if (t.name == "token_embd.weight") w.embed += b;
      else if (il >= 0 && il < m.layers) w.layer[static_cast<std::size_t>(il)] += b;
      else w.output += b;
    }
    const double scale = sum > 0 ? total / sum : 0;
    w.embed *= scale;
    w.output *= scale;
    for (double& x : w.layer) x *= scale;
    return w;
  }
  const double bits = m.params_total > 0 ? total * 8.0 / m.params_total : 16.0;
  w.embed = std::min(total, static_cast<double>(m.vocab) * m.hidden_size * bits / 8.0);
  for (double& x : w.layer) x = m.layers > 0 ? (total - w.embed) / m.layers : 0;
  return w;
}

double layer_cache(const ModelInfo& m, const Runtime& rt, const ResolvedRoute& r, const MemoryEstimate& e, int il,
                   double* state) {
  if (m.layer_kind(il) == ModelInfo::LayerKind::linear) {
    *state += e.linear_layers > 0 ? e.state_bytes / e.linear_layers : 0;
    return 0;
  }
  return kv_layer_bytes(m, rt, r.context, r.serving, il);
}

// One Mac's share as mlx-lm lays it out (and exo, which runs mlx-lm): the embeddings, the final
// norm and lm_head on every host (pipeline() and shard() cut the layers only: models/pipeline.py,
// models/llama.py shard), then either the repeating layers [first, first + count) with their
// cache (tensor_parts 0: a pipeline stage), or 1/tensor_parts of every layer and of the cache.
void add_unified_share(ClusterHostLoad& h, const LayerWeights& w, const ResolvedRoute& r, const MemoryEstimate& e,
                       int first, int count, int tensor_parts) {
  const ModelInfo& m = *r.model;
  const Runtime& rt = *r.rules;
  DeviceMemory d;
  d.device = "unified";
  d.weights_bytes = w.embed + w.output;
  h.embeddings = h.output = true;
  h.first_layer = first;
  h.layers = count;
  if (tensor_parts > 0) {
    h.parts = tensor_parts;
    for (double x : w.layer) d.weights_bytes += x / tensor_parts;
    d.kv_cache_bytes = e.kv_bytes / tensor_parts;
    d.state_bytes = e.state_bytes / tensor_parts;
  } else {
    for (int il = first; il < first + count; ++il) {
      d.weights_bytes += w.layer[static_cast<std::size_t>(il)];
      d.kv_cache_bytes += layer_cache(m, rt, r, e, il, &d.state_bytes);  // exo's own check leaves it out
    }
  }
  d.compute_bytes = e.overhead_bytes - rt.overhead.base_bytes;  // the whole activation width on each (assumed)
  d.runtime_bytes = rt.overhead.base_bytes;
  h.devices.push_back(d);
}

ClusterHostLoad host_load(const ClusterHost& h, const HardwareTables& hw) {
  ClusterHostLoad l;
  l.host = &h;
  l.budget = compute_budget(h.hardware, hw);
  if (h.hardware.chip) {
    std::optional<double> ram;
    if (h.hardware.total_ram_gb) ram = h.hardware.total_ram_gb->value;
    l.chip = hw.match(h.hardware.chip->value, ram).chip;
  } else if (!h.hardware.gpus.empty() && h.hardware.gpus[0].chip) {
    l.chip = hw.match(h.hardware.gpus[0].chip->value).chip;
  }
  return l;
}

// llama.cpp RPC (llama-server --rpc): the remote devices first, in --rpc order, then the head's
// own GPUs (src/llama.cpp "add RPC servers at the front of the list to minimize network
// transfers"); the layers split over that list by -ts, or by each device's free memory, with
// llama.cpp's one-host rule (estimate/devices.cpp split_points, layer_devices). Each rpc-server
// reports its devices' memory (tools/rpc/rpc-server.cpp@075f1e0: the device total, or -m); planner
// takes a Mac's Metal device as its wired limit and a GPU as its VRAM less the CUDA context.
void plan_llama_rpc(ClusterPlan& p, const MemoryEstimate& e) {
  const ResolvedRoute& r = *p.route;
  const ModelInfo& m = *r.model;
  const Runtime& rt = *r.rules;
  if (r.format != Format::gguf || rt.overhead.compute != ComputeBuffer::llama_graph) {
    p.cannot.push_back(fmt::format("llama.cpp RPC serves GGUF files through llama-server; route '{}' is {} on {}",
                                   shown_value(r.cfg->name), to_string(r.format), r.runtime->name));
    return;
  }
  const double ctx = rt.overhead.gpu_context_bytes;
  struct Dev {
    std::size_t host;
    std::string name;
  };
  std::vector<Dev> order;
  GpuVram free;
  auto add_host = [&](std::size_t hi, bool head) {
    const ClusterHostLoad& h = p.hosts[hi];
    const Config& c = h.host->hardware;
    if (c.apple_silicon()) {
      order.push_back({hi, "metal"});
      free.push_back(h.budget.gpu_limit_bytes ? std::optional<double>(*h.budget.gpu_limit_bytes + ctx) : std::nullopt);
    } else if (!h.budget.gpus.empty()) {
      for (const auto& g : h.budget.gpus) {
        order.push_back({hi, g.device});
        free.push_back(g.vram_bytes);
      }
    } else if (!head) {
      // rpc-server without an accelerator exposes its CPU device (tools/rpc/README.md).
      order.push_back({hi, "cpu"});
      free.push_back(h.budget.model_budget_bytes + ctx);
    }
  };
  for (std::size_t hi = 1; hi < p.hosts.size(); ++hi) add_host(hi, false);
  add_host(0, true);
  Serving s = r.serving;
  s.split_mode = SplitMode::layer;
  s.tensor_split.clear();
  if (p.config && p.config->tensor_split) {
    s.tensor_split = p.config->tensor_split->value;
    if (s.tensor_split.size() != order.size())
      p.cannot.push_back(fmt::format("tensor_split has {} proportions for {} devices (llama.cpp reads one per device, "
                                     "the remote ones first)",
                                     s.tensor_split.size(), order.size()));
  }
  const std::vector<float> splits = split_points(s.tensor_split, free, ctx);
  if (splits.empty()) {
    p.cannot.push_back("tensor_split sums to 0 with some proportion not 0: llama.cpp divides by the sum");
    return;
  }
  const std::vector<int> dev = layer_devices(m.layers, s.gpu_layers, splits);
  std::vector<DeviceMemory> mem = memory_by_device(m, r.quant, rt, s, r.context, e, Placement::discrete_gpu, free);
  for (const auto& d : order) p.devices.push_back(fmt::format("{}:{}", p.hosts[d.host].host->name, d.name));
  // The -ts planner passes: layers per device, the output counted on its device, which reproduces
  // the split exactly (llama-model.cpp: layer il goes to the first device whose running share
  // exceeds il / (n_layer + 1)).
  p.tensor_split.assign(order.size(), 0.0);
  for (int d : dev)
    if (d >= 0) p.tensor_split[static_cast<std::size_t>(d)] += 1;
  // Pipeline parallelism (src/llama-context.cpp@de3ff815:429-452: several devices, every layer and
  // the output on them, layer split, and RPC devices report async compute and events): ggml's
  // scheduler keeps GGML_SCHED_MAX_COPIES = 4 copies of the graph inputs (ggml-backend.cpp:772), so
  // each backend, the head's CPU included, holds the masks 4 times. Measured on loopback: every
  // device's and the head's compute buffer grows by 4 x n_ctx x n_ubatch x f16 per mask
  // (bench/accuracy/logs/rpc-loopback: Llama-3.1-8B 156.04 -> 204.04 MiB from 4K to 16K, head 32.05 -> 80.05).
  bool pipeline = order.size() > 1 && s.cpu_moe_layers == 0;  // --cpu-moe is a tensor override
  for (int d : dev) pipeline = pipeline && d >= 0;
  const double more_masks = pipeline ? (kSchedMaxCopies - 1) * llama_mask_bytes(m, r.context, rt, s) : 0;
  for (std::size_t i = 0; i < order.size() && i < mem.size(); ++i) {
    DeviceMemory d = mem[i];
    d.device = order[i].name;
    if (d.device == "metal" || d.device == "cpu") d.runtime_bytes = 0;  // no CUDA context there
    if (d.compute_bytes > 0) {
      d.compute_bytes += more_masks;
      // The CPU backend's graph over the same layers holds four model-wide f32 activations of
      // the micro-batch more than CUDA's formula: fitted on the loopback measurements (3 to 5 of
      // them on the four models measured; bench/accuracy/README.md, "llama.cpp RPC on loopback").
      if (d.device == "cpu") d.compute_bytes += kCpuExtraActivations * 4.0 * rt.defaults.ubatch * m.hidden_size;
    }
    p.hosts[order[i].host].devices.push_back(d);
  }
  if (!mem.empty()) {
    DeviceMemory host = mem.back();  // token_embd, the host compute buffer, llama-server's process
    host.device = "host";
    host.compute_bytes += more_masks;
    p.hosts[0].devices.push_back(host);
  }
  for (std::size_t hi = 1; hi < p.hosts.size(); ++hi) {
    DeviceMemory proc;
    proc.device = "host";
    // A CPU rpc-server as measured; one with a GPU or Metal assumed as llama-server's process
    // (the GPU runtime's host side: not measured on an rpc-server).
    const auto& d = p.hosts[hi].devices;
    const bool cpu_only = !d.empty() && std::all_of(d.begin(), d.end(), [](const auto& x) { return x.device == "cpu"; });
    proc.runtime_bytes = cpu_only ? kRpcServerProcessBytes : rt.overhead.host_process_bytes;
    p.hosts[hi].devices.push_back(proc);
  }
  p.hosts[0].embeddings = true;
  for (int il = 0; il < m.layers; ++il) {
    const int d = dev[static_cast<std::size_t>(il)];
    if (d < 0) continue;
    ClusterHostLoad& h = p.hosts[order[static_cast<std::size_t>(d)].host];
    if (h.layers == 0) h.first_layer = il;
    ++h.layers;
  }
  if (dev.back() >= 0) p.hosts[order[static_cast<std::size_t>(dev.back())].host].output = true;
  else p.hosts[0].output = true;
}

void plan_mlx(ClusterPlan& p, const MemoryEstimate& e) {
  const ResolvedRoute& r = *p.route;
  const ModelInfo& m = *r.model;
  const int n = static_cast<int>(p.hosts.size());
  for (const auto& h : p.hosts)
    if (!h.host->hardware.apple_silicon())
      p.cannot.push_back(fmt::format("host '{}' is not apple_silicon: mlx.launch runs mlx_lm.server on Macs",
                                     shown_value(h.host->name)));
  if (r.format != Format::mlx)
    p.cannot.push_back(fmt::format("mlx-distributed serves MLX models; route '{}' is {}", shown_value(r.cfg->name),
                                   to_string(r.format)));
  const bool pipeline = p.mode == ClusterMode::pipeline;
  if (pipeline && !mlx_can_pipeline(m.family))
    p.cannot.push_back(fmt::format("mlx-lm cannot pipeline the {} family (models/pipeline.py's PipelineMixin is in "
                                   "deepseek_v2, deepseek_v3, glm4_moe, glm4_moe_lite, ministral3 and qwen3_5 only): "
                                   "sharded_load raises \"The model does not support pipelining\"",
                                   shown_value(m.family)));
  if (!pipeline && !mlx_can_shard(m.family))
    p.cannot.push_back(fmt::format("mlx-lm cannot shard the {} family over hosts (its model file has no shard()): "
                                   "sharded_load raises \"The model does not support tensor parallelism\"",
                                   shown_value(m.family)));
  if (!pipeline && m.attention_heads > 0 && m.kv_heads > 0 && !m.mla &&
      (m.attention_heads % n != 0 || m.kv_heads % n != 0))
    p.cannot.push_back(fmt::format("{} attention heads and {} KV heads do not both divide by {} hosts: shard() gives "
                                   "each host n_heads // {} heads",
                                   m.attention_heads, m.kv_heads, n, n));
  const LayerWeights w = layer_weights(m, r.quant, e.weights_bytes);
  std::vector<bool> held(static_cast<std::size_t>(std::max(0, m.layers)), false);
  for (int rank = 0; rank < n; ++rank) {
    ClusterHostLoad& h = p.hosts[static_cast<std::size_t>(rank)];
    if (!pipeline) {
      add_unified_share(h, w, r, e, 0, m.layers, n);
      continue;
    }
    const auto [start, end] = mlx_pipeline_range(m.layers, rank, n);
    add_unified_share(h, w, r, e, start, std::max(0, end - start), 0);
    for (int il = start; il < end; ++il) held[static_cast<std::size_t>(il)] = true;
  }
  if (pipeline) {
    for (int il = 0; il < m.layers; ++il)
      if (!held[static_cast<std::size_t>(il)]) p.unassigned_layers.push_back(il);
    if (!p.unassigned_layers.empty())
      p.cannot.push_back(fmt::format("mlx-lm's pipeline() leaves {} of {} layers on no host ({} layers over {} hosts: "
                                     "the ranks given an extra layer start past the others' end)",
                                     p.unassigned_layers.size(), m.layers, m.layers, n));
    for (const auto& h : p.hosts)
      if (h.layers == 0)
        p.cannot.push_back(fmt::format("host '{}' gets no layer ({} layers over {} hosts)", shown_value(h.host->name),
                                       m.layers, n));
  }
}

// exo@b5375f8 src/exo/master/placement_utils.py allocate_layers_proportionally: layers in
// proportion to each node's ram_available, floored, the rest by largest remainder, at least one
// each; the nodes take consecutive layers in cycle order (cluster.hosts order here). Tensor
// sharding needs hidden_size and the KV heads to divide by the node count (placement.py:147-148).
std::vector<int> exo_allocation(int layers, const std::vector<double>& ram) {
  const std::size_t n = ram.size();
  double total = 0;
  for (double r : ram) total += r;
  std::vector<int> out(n, 0);
  if (n == 0 || total <= 0 || layers < static_cast<int>(n)) return {};
  std::vector<double> raw(n);
  int sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    raw[i] = ram[i] / total * layers;
    out[i] = static_cast<int>(raw[i]);
    sum += out[i];
  }
  std::vector<std::size_t> by_remainder(n);
  for (std::size_t i = 0; i < n; ++i) by_remainder[i] = i;
  // Python's sorted is stable: equal remainders keep the node order.
  std::stable_sort(by_remainder.begin(), by_remainder.end(),
                   [&](std::size_t x, std::size_t y) { return raw[x] - out[x] > raw[y] - out[y]; });
  for (int i = 0; i < layers - sum; ++i) out[by_remainder[static_cast<std::size_t>(i)]] += 1;
  for (std::size_t i = 0; i < n; ++i)
    if (out[i] == 0) {
      const auto mx = std::max_element(out.begin(), out.end());  // the first largest, as max() picks
      *mx -= 1;
      out[i] = 1;
    }
  return out;
}

void plan_exo(ClusterPlan& p, const MemoryEstimate& e) {
  const ResolvedRoute& r = *p.route;
  const ModelInfo& m = *r.model;
  const int n = static_cast<int>(p.hosts.size());
  if (r.format != Format::mlx)
    p.cannot.push_back(fmt::format("exo runs MLX models; route '{}' is {}", shown_value(r.cfg->name), to_string(r.format)));
  const LayerWeights w = layer_weights(m, r.quant, e.weights_bytes);
  if (p.mode == ClusterMode::tensor) {
    if (m.hidden_size % n != 0 || (m.kv_heads > 0 && m.kv_heads % n != 0))
      p.cannot.push_back(fmt::format("hidden size {} and {} KV heads do not both divide by {} nodes: exo finds no "
                                     "tensor sharding",
                                     m.hidden_size, m.kv_heads, n));
  }
  // ram_available, which exo measures at placement: planner takes each host's model budget.
  std::vector<double> ram;
  for (const auto& h : p.hosts) ram.push_back(h.budget.model_budget_bytes);
  const std::vector<int> counts = p.mode == ClusterMode::pipeline ? exo_allocation(m.layers, ram) : std::vector<int>{};
  if (p.mode == ClusterMode::pipeline && counts.empty()) {
    p.cannot.push_back(fmt::format("{} layers cannot be spread over {} nodes with memory (exo needs at least one "
                                   "layer per node)",
                                   m.layers, n));
    return;
  }
  int at = 0;
  for (int i = 0; i < n; ++i) {
    ClusterHostLoad& h = p.hosts[static_cast<std::size_t>(i)];
    if (p.mode != ClusterMode::pipeline) {
      add_unified_share(h, w, r, e, 0, m.layers, n);
      continue;
    }
    // Assumed as mlx-lm's pipeline keeps them: the embeddings and the output on every node.
    add_unified_share(h, w, r, e, at, counts[static_cast<std::size_t>(i)], 0);
    at += h.layers;
  }
}

// vLLM over Ray: one pipeline stage per host (--pipeline-parallel-size = hosts), each stage's
// layers over that host's GPUs (--tensor-parallel-size = GPUs per host, the same on every
// host). Stage sizes: vllm-project/vllm@5a6541db vllm/distributed/utils.py get_pp_indices, an
// even split whose remainder goes to the stages before the last; the first stage holds the
// embeddings, the last the norm and lm_head. Each GPU holds 1/tp of its stage and takes
// gpu_memory_utilization of its VRAM (estimate/vllm_memory.cpp).
void plan_vllm_ray(ClusterPlan& p, const MemoryEstimate& e) {
  const ResolvedRoute& r = *p.route;
  const ModelInfo& m = *r.model;
  const Runtime& rt = *r.rules;
  const int pp = static_cast<int>(p.hosts.size());
  if (rt.overhead.compute != ComputeBuffer::vllm_profile || !e.vllm) {
    p.cannot.push_back(fmt::format("vLLM serves safetensors checkpoints; route '{}' is {} on {}",
                                   shown_value(r.cfg->name), to_string(r.format), r.runtime->name));
    return;
  }
  std::size_t tp = 0;
  for (const auto& h : p.hosts) {
    if (h.budget.gpus.empty()) {
      p.cannot.push_back(fmt::format("host '{}' has no GPU for vLLM", shown_value(h.host->name)));
      return;
    }
    if (tp == 0) tp = h.budget.gpus.size();
    else if (h.budget.gpus.size() != tp) {
      p.cannot.push_back(fmt::format("hosts with {} and {} GPUs: vLLM runs one --tensor-parallel-size on every stage",
                                     tp, h.budget.gpus.size()));
      return;
    }
  }
  const int t = static_cast<int>(tp);
  if (m.attention_heads > 0 && m.attention_heads % t != 0)
    p.cannot.push_back(fmt::format("{} attention heads do not divide by --tensor-parallel-size {} (the GPUs per host)",
                                   m.attention_heads, t));
  else if (m.kv_heads > 0 && !m.mla && (t < m.kv_heads ? m.kv_heads % t != 0 : t % m.kv_heads != 0))
    p.cannot.push_back(fmt::format("{} KV heads and --tensor-parallel-size {} do not divide one by the other",
                                   m.kv_heads, t));
  if (m.layers < pp) {
    p.cannot.push_back(fmt::format("{} layers over {} pipeline stages leaves a stage empty", m.layers, pp));
    return;
  }
  std::vector<int> parts(static_cast<std::size_t>(pp), m.layers / pp);
  const int rem = m.layers % pp;
  for (int i = 2; i < rem + 2; ++i) parts[static_cast<std::size_t>(pp - i)] += 1;
  const LayerWeights w = layer_weights(m, r.quant, e.weights_bytes);
  int at = 0;
  for (int s = 0; s < pp; ++s) {
    ClusterHostLoad& h = p.hosts[static_cast<std::size_t>(s)];
    h.first_layer = at;
    h.layers = parts[static_cast<std::size_t>(s)];
    h.parts = t;
    h.embeddings = s == 0;
    h.output = s == pp - 1;
    h.gpu_fraction = e.vllm->utilization;
    double weights = (h.embeddings ? w.embed : 0) + (h.output ? w.output : 0), kv = 0, state = 0;
    for (int il = at; il < at + h.layers; ++il) {
      weights += w.layer[static_cast<std::size_t>(il)];
      kv += layer_cache(m, rt, r, e, il, &state);
    }
    at += h.layers;
    for (const auto& g : h.budget.gpus) {
      DeviceMemory d;
      d.device = g.device;
      d.weights_bytes = weights / t;
      d.kv_cache_bytes = kv / t;  // one request's cache at the context; vLLM fills the rest with blocks
      d.state_bytes = state / t;
      d.compute_bytes = e.vllm->activation_bytes;
      d.runtime_bytes = e.vllm->non_torch_bytes;
      h.devices.push_back(d);
    }
  }
  p.tensor_split = {static_cast<double>(t), static_cast<double>(pp)};
}

void estimate_speed(ClusterPlan& p, const MemoryEstimate& e, const ClusterConfig& cluster, const HardwareTables& hw) {
  const ResolvedRoute& r = *p.route;
  const ModelInfo& m = *r.model;
  ClusterSpeed& sp = p.speed;
  const double active = m.params_active > 0 && m.params_total > 0 ? m.params_active / m.params_total : 1.0;
  const LayerWeights w = layer_weights(m, r.quant, e.weights_bytes);
  double sum = 0, worst = 0;
  sp.known = true;
  for (const auto& h : p.hosts) {
    if (!h.chip) {
      sp.known = false;
      continue;
    }
    const auto s = estimate_decode_speed(m, r.quant, e, *h.chip, hw);
    if (!s) {
      sp.known = false;
      continue;
    }
    double weights = 0, kv = 0;
    for (const auto& d : h.devices) {
      weights += d.weights_bytes;
      kv += d.kv_cache_bytes + d.state_bytes;
    }
    if (h.embeddings) weights -= w.embed;  // a row lookup, not a read of the table
    // vLLM's GPUs of one host read their shares at once (tensor parallelism inside the stage).
    const double gpus = p.engine == ClusterEngine::vllm_ray ? std::max<double>(1, h.budget.gpus.size()) : 1.0;
    const double t = (std::max(0.0, weights) * active + kv) / (gpus * s->bandwidth_gbs * 1e9 * s->efficiency);
    sum += t;
    if (t > worst) {
      worst = t;
      sp.slowest_host = h.host->name;
    }
  }
  // Batch 1: pipeline stages run one after the other; tensor-parallel hosts at once.
  const double host_time = p.mode == ClusterMode::tensor ? worst : sum;
  if (sp.known && host_time > 0) sp.host_tokens_per_second = 1.0 / host_time;
  const int n = static_cast<int>(p.hosts.size());
  const double hidden = m.hidden_size;
  if (p.engine == ClusterEngine::llama_cpp_rpc) {
    // f32 activations at each change of host along the layers, from the head's embeddings to the
    // output; the logits (vocab x f32) come back when the output is on another host.
    std::vector<std::pair<int, std::size_t>> by_layer;  // hosts in the order the layers run
    for (std::size_t i = 0; i < p.hosts.size(); ++i)
      if (p.hosts[i].layers > 0) by_layer.push_back({p.hosts[i].first_layer, i});
    std::sort(by_layer.begin(), by_layer.end());
    int hops = 0;
    std::size_t at = 0;  // the head computes the embeddings
    for (const auto& [first, i] : by_layer)
      if (i != at) {
        ++hops;
        at = i;
      }
    sp.link_messages_per_token = hops + (at != 0 ? 1 : 0);
    sp.link_bytes_per_token = hops * hidden * 4.0 + (at != 0 ? static_cast<double>(m.vocab) * 4.0 : 0.0);
  } else if (p.mode == ClusterMode::pipeline) {
    // mlx-lm: n-1 sends of the hidden state (bf16) and an all_gather of it (models/deepseek_v3.py).
    sp.link_messages_per_token = 2 * (n - 1);
    sp.link_bytes_per_token = 2.0 * (n - 1) * hidden * 2.0;
  } else {
    // Tensor parallelism: two all_sum of the hidden state per layer (o_proj and down_proj are
    // "sharded-to-all"); a ring all-reduce moves 2(n-1)/n of it through each host in 2(n-1) steps.
    sp.link_messages_per_token = m.layers * 2 * 2 * (n - 1);
    sp.link_bytes_per_token = m.layers * 2.0 * (2.0 * (n - 1) / n) * hidden * 2.0;
  }
  if (cluster.link) {
    if (const LinkInfo* l = find_link(cluster.link->value)) {
      double t = sp.link_bytes_per_token / (l->gbit_per_s * 1e9 / 8.0);
      if (cluster.link_latency_us) {
        t += sp.link_messages_per_token * cluster.link_latency_us->value * 1e-6;
        sp.latency_counted = true;
      }
      if (t > 0) sp.link_tokens_per_second = 1.0 / t;
    }
  }
  sp.tokens_per_second = sp.host_tokens_per_second;
  if (sp.link_tokens_per_second > 0 && (sp.tokens_per_second == 0 || sp.link_tokens_per_second < sp.tokens_per_second))
    sp.tokens_per_second = sp.known ? sp.link_tokens_per_second : 0;
}

// The engine a route gets when cluster.routes names none: the one that loads its format.
ClusterEngine pick_engine(const ResolvedRoute& r) {
  if (r.format == Format::mlx) return ClusterEngine::mlx_distributed;
  if (r.format == Format::safetensors) return ClusterEngine::vllm_ray;
  return ClusterEngine::llama_cpp_rpc;
}

}  // namespace

std::vector<int> exo_layers(int layers, const std::vector<double>& ram) { return exo_allocation(layers, ram); }

double ClusterHostLoad::total() const {
  double t = 0;
  for (const auto& d : devices) t += d.total();
  return t;
}

std::vector<HostLimit> host_limits(const ClusterHostLoad& h) {
  std::vector<HostLimit> out;
  const Config& c = h.host->hardware;
  const Budget& b = h.budget;
  // RAM holds everything on a Mac or a CPU host; on discrete GPUs only what is not on a GPU.
  HostLimit ram{"model budget", 0, b.model_budget_bytes,
                fmt::format("{:g} GB RAM less {:g} % OS reserve", c.total_ram_gb ? c.total_ram_gb->value : 0.0,
                            c.os_reserve_percent.value),
                {}};
  for (const auto& d : h.devices)
    if (c.apple_silicon() || d.device.rfind("gpu", 0) != 0) {
      ram.bytes += d.total();
      ram.devices.push_back(d.device);
    }
  out.push_back(std::move(ram));
  if (c.apple_silicon() && b.gpu_limit_bytes) {
    HostLimit gpu{"GPU wired limit", 0, *b.gpu_limit_bytes, b.gpu_limit_basis, {}};
    for (const auto& d : h.devices)
      if (d.device == "metal" || d.device == "unified") {
        gpu.bytes += d.total();
        gpu.devices.push_back(d.device);
      }
    out.push_back(std::move(gpu));
  }
  for (const auto& g : b.gpus) {
    if (!g.vram_bytes) continue;
    for (const auto& d : h.devices)
      if (d.device == g.device)
        out.push_back(h.gpu_fraction < 1.0
                          ? HostLimit{fmt::format("{} VRAM x {:g} (gpu_memory_utilization)", g.device, h.gpu_fraction),
                                      d.total(), *g.vram_bytes * h.gpu_fraction, g.basis, {d.device}}
                          : HostLimit{g.device + " VRAM", d.total(), *g.vram_bytes, g.basis, {d.device}});
  }
  return out;
}

std::pair<int, int> mlx_pipeline_range(int layers, int rank, int size) {
  // mlx-lm models/pipeline.py@d78bf58 PipelineMixin.pipeline: the layers split in reverse, so
  // rank 0 gets the last layers; the first `extra` ranks get one layer more, and start at
  // (size - rank - 1) * their own count.
  if (size <= 0 || layers <= 0) return {0, 0};
  int per = layers / size;
  const int extra = layers - per * size;
  if (rank < extra) per += 1;
  const int start = (size - rank - 1) * per;
  return {std::min(start, layers), std::min(start + per, layers)};
}

// mlx-lm@d78bf58: `git grep -l PipelineMixin mlx_lm/models` and `git grep -l "def shard"`, by
// planner's family names (a GGUF architecture name, or the config's model_type).
bool mlx_can_pipeline(const std::string& family) {
  static const char* const k[] = {"deepseek2", "deepseek_v2", "deepseek_v3", "glm4moe", "glm4_moe", "glm4_moe_lite",
                                  "ministral3", "qwen3_5", "qwen35", "qwen35moe"};
  return std::find(std::begin(k), std::end(k), family) != std::end(k);
}

bool mlx_can_shard(const std::string& family) {
  static const char* const k[] = {"deepseek2", "deepseek_v2", "deepseek_v3", "deepseek_v32", "exaone_moe", "glm4moe",
                                  "glm4_moe", "glm4_moe_lite", "gpt-oss", "gpt_oss", "iquestloopcoder", "kimi_k25",
                                  "llama", "longcat_flash", "minimax", "minimax-m2", "ministral3", "qwen2", "qwen3",
                                  "qwen3_5", "qwen35", "qwen35moe", "step3p5"};
  return std::find(std::begin(k), std::end(k), family) != std::end(k);
}

std::vector<ClusterPlan> plan_cluster(const ClusterConfig& cluster, const Resolution& resolution,
                                      const std::vector<std::optional<MemoryEstimate>>& memory,
                                      const HardwareTables& hw) {
  std::vector<ClusterPlan> out;
  if (!cluster.present()) return out;
  for (std::size_t i = 0; i < resolution.routes.size(); ++i) {
    const ResolvedRoute& r = resolution.routes[i];
    const ClusterRoute* cr = cluster.route(r.cfg->name);
    if (!cluster.routes.empty() && !cr) continue;  // cluster.routes lists the routes it serves
    if (!r.model || i >= memory.size() || !memory[i] || !r.rules) continue;
    ClusterPlan p;
    p.route = &r;
    p.config = cr;
    p.single_host_bytes = memory[i]->total();
    std::optional<ClusterEngine> engine;
    if (cr && cr->engine) engine = parse_engine(cr->engine->value);
    p.engine_picked = !engine;
    p.engine = engine.value_or(pick_engine(r));
    if (p.engine == ClusterEngine::exo)
      p.mode = cr && cr->mode && cr->mode->value == "tensor" ? ClusterMode::tensor : ClusterMode::pipeline;
    if (p.engine == ClusterEngine::mlx_distributed)
      p.mode = cr && cr->mode ? (cr->mode->value == "tensor" ? ClusterMode::tensor : ClusterMode::pipeline)
                              : (mlx_can_pipeline(r.model->family) || !mlx_can_shard(r.model->family)
                                     ? ClusterMode::pipeline : ClusterMode::tensor);
    for (const auto& h : cluster.hosts) p.hosts.push_back(host_load(h, hw));
    switch (p.engine) {
      case ClusterEngine::llama_cpp_rpc: plan_llama_rpc(p, *memory[i]); break;
      case ClusterEngine::mlx_distributed: plan_mlx(p, *memory[i]); break;
      case ClusterEngine::exo: plan_exo(p, *memory[i]); break;
      case ClusterEngine::vllm_ray: plan_vllm_ray(p, *memory[i]); break;
    }
    if (!p.hosts.empty() && !p.hosts[0].devices.empty()) estimate_speed(p, *memory[i], cluster, hw);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace planner
