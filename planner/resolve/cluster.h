#pragma once
// The `cluster:` section: several machines that serve one model together, each with its own
// hardware section (read as `hardware:` is), the link between them, and per route the engine that
// splits the model over them. Absent (`node == nullptr`): a single-host config, unchanged.
#include <optional>
#include <string>
#include <vector>

#include "load/document.h"
#include "resolve/config.h"

namespace planner {

// The engines that run one model over several machines (docs/cluster.md).
enum class ClusterEngine { llama_cpp_rpc, mlx_distributed, exo, vllm_ray };
// How the model is cut: whole layers per host (pipeline), or every layer over all hosts (tensor).
enum class ClusterMode { pipeline, tensor };

const char* engine_id(ClusterEngine e);  // "llama.cpp-rpc", as the config writes it
std::optional<ClusterEngine> parse_engine(std::string_view id);

struct ClusterHost {
  std::string name;
  const Node* node = nullptr;                   // the host's mapping
  std::optional<Located<std::string>> address;  // what the others reach it at; absent: its name
  std::optional<Located<long long>> port;       // rpc-server's port (llama.cpp RPC)
  // The host's hardware read as the top-level section is (resolve/config.h read_hardware); the
  // inference keys a budget needs (kv_cache_reserve_percent) are copied from the top level.
  Config hardware;
};

struct ClusterRoute {
  std::string route;                           // a routing: key
  const Node* key = nullptr;                   // its key under cluster.routes
  const Node* node = nullptr;
  std::optional<Located<std::string>> engine;  // absent: planner picks (cluster_engine_for)
  std::optional<Located<std::string>> mode;    // pipeline, tensor (mlx-distributed)
  std::optional<Located<std::vector<double>>> tensor_split;  // llama.cpp-rpc -ts, one per device
};

struct ClusterConfig {
  const Node* node = nullptr;  // the cluster: mapping; nullptr when absent
  std::vector<ClusterHost> hosts;  // the first is the head (llama-server, mlx.launch rank 0)
  std::optional<Located<std::string>> link;       // thunderbolt-4, ... (estimate/cluster_link.h)
  std::optional<Located<double>> link_latency_us; // one message's latency, measured by the user
  std::vector<ClusterRoute> routes;
  bool present() const { return node != nullptr && hosts.size() >= 2; }
  const ClusterRoute* route(std::string_view name) const;
};

ClusterConfig read_cluster(const Document& doc, const Config& top);

}  // namespace planner
