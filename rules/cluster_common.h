#pragma once
// Wording the cluster rules (LI070-LI073) share.
#include <string>

#include "estimate/analysis.h"
#include "estimate/cluster.h"

namespace planner {

// "llama.cpp RPC", "mlx-lm's pipeline", "mlx-lm's tensor parallelism", "exo", "vLLM on Ray".
std::string cluster_engine_label(const ClusterPlan& p);
// "layers 0-39", "layers 40-79 and the output", "1/2 of every layer", "no layer".
std::string host_share_label(const ClusterHostLoad& h);
// The YAML node a finding about the route's cluster entry points at, and its path.
const Node* cluster_route_node(const Analysis& a, const ClusterPlan& p);
std::string cluster_route_path(const ClusterPlan& p);

}  // namespace planner

namespace planner {
// "16 KiB", "2.50 MiB": a transfer's size.
std::string bytes_label(double bytes);
}  // namespace planner
