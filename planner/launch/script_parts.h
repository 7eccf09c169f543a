#pragma once
// Pieces of the bash run script (launch/render_script.cpp) that its per-host part for a cluster
// (launch/render_script_cluster.cpp) shares: one prepare step, and the per-host functions.
#include <string>
#include <vector>

#include "launch/cluster_launch.h"
#include "launch/plan.h"

namespace planner {

// One download/convert/locate/write step of route `route` as the script's lines (two spaces in):
// skipped when what it creates exists, a located file checked for.
std::string script_prepare_step(const std::string& route, const Step& st);

// The cluster routes whose commands were made, by route name ("" = none for `route`).
const ClusterLaunch* made_cluster_launch(const std::vector<ClusterLaunch>& cluster, const std::string& route);

// Route `r` (its index `n`) as the head runs it: prepare_N from the head's download and write
// steps, serve_N from its serve steps (`ray start` run and left, the route's server started,
// health-checked and validated; exo's node started and its placement preview printed).
// `validation`: the line that validates the route once its server is healthy (validation_call).
std::string cluster_head_functions(const std::string& n, const RouteLaunch& r, const ClusterLaunch& cl,
                                   const std::string& validation);

// run_host_K for every worker (K its index in cluster.hosts): its RAM and wired limit checked,
// its tools, then its steps of every made cluster route; its long-running servers kept.
std::string cluster_worker_functions(const ClusterConfig& hosts, const LaunchPlan& plan,
                                     const std::vector<ClusterLaunch>& cluster);

// A host's RAM and GPU wired limit for the preflight: `CONFIG_RAM_MIB=..` and
// `WIRED_LIMIT_MIB=..` (0: not checked), two spaces in.
std::string host_limits_lines(const ClusterHost& host);

// The executables `steps` run, in first-use order, appended to `tools` once each.
void add_tools(const std::vector<Step>& steps, std::vector<std::string>& tools);

}  // namespace planner
