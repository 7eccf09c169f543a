#pragma once
// `planner launch` for a cluster: per route under cluster.routes, what to run on each host, as
// its engine starts (docs/cluster.md, "Commands"): llama.cpp RPC's ggml-rpc-server on every
// worker and llama-server --rpc -ts on the head; mlx-lm's hostfile and mlx.launch ...
// mlx_lm.server [--pipeline] on the head. Pure data, like launch/plan.h; flags' sources beside them.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "estimate/analysis.h"
#include "launch/plan.h"

namespace planner {

struct HostSteps {
  std::string host;     // cluster.hosts[i].name
  std::string role;     // "worker", "head", "node" (exo: every host alike)
  std::vector<Step> steps;
  // Its last serve step is the route's server, on the route's port: `planner script` waits for
  // its health endpoint and validates it, as a one-host route's.
  bool serves_route = false;
  // A Mac's `sudo sysctl iogpu.wired_limit_mb=N` for its share (its hardware's raised limit, or
  // its model budget when the share is over macOS's default); run by hand before the rest.
  std::optional<Step> wired_limit = std::nullopt;
};

struct ClusterLaunch {
  std::string route;
  std::string engine;       // "llama.cpp RPC", ...
  std::string skipped;      // why no commands ("" = made)
  std::vector<HostSteps> hosts;
};

// The per-host commands of every cluster route that `plan` launches (its single-host steps give
// the head's download and serve command, which the cluster's flags extend).
std::vector<ClusterLaunch> plan_cluster_launch(const Analysis& a, const LaunchPlan& plan);

// As bash, each host's commands under a comment naming it.
void render_cluster_launch_text(std::ostream& out, const std::vector<ClusterLaunch>& launches);

}  // namespace planner
