#pragma once
// mlx-lm's quantization simulated module by module, for catalog models (no directory on disk):
// which weights `mlx_lm.convert -q` quantizes and which stay in the float dtype. Sources:
// docs/memory-model.md ("MLX weights from the catalog").
#include <optional>

#include "resolve/catalog.h"

namespace planner {

// Weight bytes of `m` converted at `bits` with `group` (affine: a 16-bit scale and bias per
// group); nullopt when the tensor layout of the family is not known (estimate/gguf_recipe.h).
std::optional<double> mlx_weight_bytes(const ModelInfo& m, int bits, int group);

}  // namespace planner
