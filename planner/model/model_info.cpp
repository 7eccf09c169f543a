// ModelInfo's own logic, apart from the catalog (resolve/catalog.cpp) so that the build-time
// catalog generator can link it without the catalog it generates.
#include <algorithm>

#include "model/model_info.h"

namespace planner {

ModelInfo::LayerKind ModelInfo::layer_kind(int layer) const {
  if (pattern && pattern->period > 0) {
    int r = layer % pattern->period;
    if (std::find(pattern->full_at.begin(), pattern->full_at.end(), r) != pattern->full_at.end())
      return LayerKind::full;
    return pattern->others_linear ? LayerKind::linear : LayerKind::sliding;
  }
  return sliding_window > 0 && !sliding_window_ignored ? LayerKind::sliding : LayerKind::full;
}

}  // namespace planner
