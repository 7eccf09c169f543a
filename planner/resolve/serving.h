#pragma once
// The engine settings of one route (runtime/serving.h) from what it states and its runtime's
// defaults.
#include "model/quant_tables.h"
#include "resolve/config.h"
#include "runtime/runtime.h"
#include "runtime/serving.h"

namespace planner {

// `kv_type` is the route's kv_cache_type (its own, else inference's): the K and V types unless
// kv_cache_type_k / _v say otherwise.
Serving resolve_serving(const RouteConfig& rc, const Runtime& rt, const std::string& kv_type, const QuantTables& qt);

}  // namespace planner
