#include "runtime/serving.h"

namespace planner {

Serving default_serving(const Runtime& rt) {
  Serving s;
  s.slots = rt.slots.preallocated ? rt.slots.default_slots : 1;
  s.kv_unified = rt.slots.preallocated ? rt.slots.default_unified : true;
  s.flash_attention = rt.defaults.flash_attention;
  return s;
}

}  // namespace planner
