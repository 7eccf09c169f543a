#pragma once
// mlx-lm's quantization simulated module by module, for catalog models (no directory on disk):
// which weights `mlx_lm.convert -q` quantizes and which stay in the float dtype. Sources:
// docs/memory-model.md ("MLX weights from the catalog").
#include <optional>
#include <string_view>

#include "resolve/catalog.h"

namespace planner {

// Weight bytes of `m` converted at `bits` with `group` in `mode` (affine: a 16-bit scale and bias
// per group; mxfp4 / nvfp4 / mxfp8: one 8-bit scale); nullopt when the tensor layout of the family
// is not known (estimate/gguf_recipe.h). gpt-oss keeps its experts at MXFP4 whatever `bits`.
std::optional<double> mlx_weight_bytes(const ModelInfo& m, int bits, int group, std::string_view mode = "affine");

}  // namespace planner
