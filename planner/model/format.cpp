#include "model/format.h"

namespace planner {

std::string_view to_string(Format f) { return f == Format::mlx ? "MLX" : "GGUF"; }

}  // namespace planner
