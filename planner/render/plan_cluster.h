#pragma once
// The cluster part of `planner plan` (docs/cluster.md): per route, the engine, the devices, each
// host's layers and memory by device against its limits, and the speed with what bounds it.
#include <ostream>

#include "estimate/analysis.h"
#include <nlohmann/json.hpp>

namespace planner {

void render_cluster_text(std::ostream& out, const Analysis& a);
nlohmann::ordered_json cluster_json(const Analysis& a);

}  // namespace planner
