#pragma once
// One route split over the hosts of `cluster:` as its engine splits it (docs/cluster.md, with the
// source of each rule): the layers each host holds and their weight bytes, the KV cache and state
// that follow the layers, compute buffers per host, each host against its own budget, and the
// speed the slowest host and the link leave.
#include <optional>
#include <string>
#include <vector>

#include "estimate/budget.h"
#include "estimate/devices.h"
#include "estimate/memory.h"
#include "resolve/cluster.h"
#include "resolve/hardware.h"
#include "resolve/routes.h"

namespace planner {

struct ClusterHostLoad {
  const ClusterHost* host = nullptr;
  // What the host holds, by device: "metal" and "host" on a Mac under llama.cpp (both in its
  // unified memory), "unified" under MLX, "gpu0".. and "host" on an NVIDIA host, "cpu" without a GPU.
  std::vector<DeviceMemory> devices;
  int first_layer = 0, layers = 0;  // the repeating layers it holds: [first_layer, first_layer + layers)
  int parts = 1;  // tensor parallelism: the host holds 1/parts of each of those layers
  double gpu_fraction = 1.0;  // vLLM: the share of each GPU it takes (gpu_memory_utilization)
  bool embeddings = false, output = false;
  Budget budget;
  const ChipInfo* chip = nullptr;  // hardware.chip, for the speed; nullptr when unknown
  double total() const;
};

// One limit of one host: its RAM budget, a Mac's wired limit, a GPU's VRAM.
struct HostLimit {
  std::string what;  // "model budget", "GPU wired limit", "gpu0 VRAM"
  double bytes = 0;
  double limit = 0;
  std::string basis;
  std::vector<std::string> devices;  // the ClusterHostLoad::devices whose memory `bytes` adds up
  bool over() const { return bytes > limit; }
};
std::vector<HostLimit> host_limits(const ClusterHostLoad& h);

struct ClusterSpeed {
  bool known = false;            // every host's chip is known
  double host_tokens_per_second = 0;  // what the hosts' memory bandwidth allows, the link free
  std::string slowest_host;      // the host that spends longest per token
  double link_bytes_per_token = 0;    // activations crossing the link per generated token
  int link_messages_per_token = 0;    // transfers per token, each paying the link's latency
  double link_tokens_per_second = 0;  // what the link allows (0: no link stated)
  bool latency_counted = false;       // cluster.link_latency_us was given
  double tokens_per_second = 0;       // the lower bound of the two, with the context full
  bool link_bound() const { return link_tokens_per_second > 0 && link_tokens_per_second < host_tokens_per_second; }
};

struct ClusterPlan {
  const ResolvedRoute* route = nullptr;
  const ClusterRoute* config = nullptr;  // nullptr: the route is not under cluster.routes
  ClusterEngine engine = ClusterEngine::llama_cpp_rpc;
  ClusterMode mode = ClusterMode::pipeline;
  bool engine_picked = false;  // cluster.routes.R.engine absent: planner chose
  std::vector<ClusterHostLoad> hosts;  // in cluster.hosts order
  // llama.cpp RPC: the devices in llama.cpp's order (remote first, then the head's), and the -ts
  // planner passes (each device's free memory, or the route's tensor_split). vLLM on Ray:
  // tensor_split is {tensor_parallel, pipeline_parallel}.
  std::vector<std::string> devices;
  std::vector<double> tensor_split;
  // Why the engine cannot make this split (empty: it can); each a sentence.
  std::vector<std::string> cannot;
  std::vector<int> unassigned_layers;  // mlx-lm's pipeline: layers no rank holds
  ClusterSpeed speed;
  double single_host_bytes = 0;  // the route on one machine (the single-host estimate's total)
};

// The plan of every route under cluster.routes (all routes that have an estimate when
// cluster.routes is absent). `memory[i]` is the single-host estimate of resolution.routes[i].
std::vector<ClusterPlan> plan_cluster(const ClusterConfig& cluster, const Resolution& resolution,
                                      const std::vector<std::optional<MemoryEstimate>>& memory,
                                      const HardwareTables& hw);

// Where mlx-lm's pipeline puts rank `rank` of `size` over `layers` layers (models/pipeline.py):
// [start, end), end clamped to `layers`.
std::pair<int, int> mlx_pipeline_range(int layers, int rank, int size);

// exo's layers per node, in proportion to `ram` (placement_utils.py allocate_layers_proportionally);
// empty when there are fewer layers than nodes or no memory.
std::vector<int> exo_layers(int layers, const std::vector<double>& ram);

// Families mlx-lm can pipeline (models with PipelineMixin) and shard (models with `shard`).
bool mlx_can_pipeline(const std::string& family);
bool mlx_can_shard(const std::string& family);

}  // namespace planner
