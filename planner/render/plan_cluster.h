#pragma once
// The cluster part of `planner plan` (docs/cluster.md): per route, the engine, the devices, each
// host's layers and memory by device against its limits, and the speed with what bounds it.
#include <ostream>

#include "estimate/analysis.h"
#include <nlohmann/json.hpp>

namespace planner {

// What a host holds: "layers 41-79 (39), embeddings, output", "1/2 of layers 0-31", "no layer".
std::string cluster_host_holds(const ClusterHostLoad& h);

void render_cluster_text(std::ostream& out, const Analysis& a);
nlohmann::ordered_json cluster_json(const Analysis& a);
// `plan --format markdown`: per cluster route a table, one row per host and device, then the
// host's limits and the speed (every config value through markdown_text).
void render_cluster_markdown(std::ostream& out, const Analysis& a);

}  // namespace planner
