#include "resolve/serving.h"

namespace planner {

namespace {

double bytes_per_element(const QuantTables& qt, const std::string& type) {
  const KvCacheType* kv = qt.kv_type(type);
  return kv ? kv->bytes_per_element : 2.0;  // the schema allows only the table's types
}

}  // namespace

Serving resolve_serving(const RouteConfig& rc, const Runtime& rt, const std::string& kv_type, const QuantTables& qt) {
  Serving s = default_serving(rt);
  if (rc.parallel) {
    s.slots = static_cast<int>(rc.parallel->value);
    s.slots_set = true;
    // Stated slots each hold their own context unless told to share one pool, and only an
    // engine that has such a pool can share it.
    s.kv_unified = rt.slots.can_unify && rc.kv_unified && rc.kv_unified->value;
    // An engine whose requests always draw from one pool (vLLM's blocks) has no other way.
    if (!rt.slots.can_unify && !rt.slots.preallocated && rt.slots.default_unified) s.kv_unified = true;
  } else if (rc.kv_unified && rt.slots.preallocated) {
    s.kv_unified = rt.slots.can_unify && rc.kv_unified->value;  // the default slots, pooled or not
  }
  if (rc.gpu_layers) s.gpu_layers = static_cast<int>(rc.gpu_layers->value);
  if (rc.cpu_moe_layers) s.cpu_moe_layers = static_cast<int>(rc.cpu_moe_layers->value);
  s.kv_type_k = rc.kv_cache_type_k ? rc.kv_cache_type_k->value : kv_type;
  s.kv_type_v = rc.kv_cache_type_v ? rc.kv_cache_type_v->value : kv_type;
  s.k_bytes_per_element = bytes_per_element(qt, s.kv_type_k);
  s.v_bytes_per_element = bytes_per_element(qt, s.kv_type_v);
  if (rc.tensor_parallel) s.tensor_parallel = static_cast<int>(rc.tensor_parallel->value);
  if (rc.gpu_memory_utilization) s.gpu_memory_utilization = rc.gpu_memory_utilization->value;
  if (rc.flash_attention && rc.flash_attention->value != "auto") {
    s.flash_attention = rc.flash_attention->value == "on";
    s.flash_attention_set = true;
  }
  if (rc.tensor_split) s.tensor_split = rc.tensor_split->value;
  if (rc.split_mode) {
    const std::string& m = rc.split_mode->value;
    s.split_mode = m == "row" ? SplitMode::row : m == "none" ? SplitMode::none : SplitMode::layer;
  }
  if (rc.main_gpu) s.main_gpu = static_cast<int>(rc.main_gpu->value);
  return s;
}

}  // namespace planner
