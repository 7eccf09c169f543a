#pragma once
// The file formats planner reads and sizes: which files a model comes in, not which engine runs
// it (runtime/runtime.h says which engines load which format).
#include <string_view>

namespace planner {

enum class Format { mlx, gguf };
std::string_view to_string(Format f);  // "MLX", "GGUF": as a config writes them

}  // namespace planner
