#include "model/format.h"

namespace planner {

std::string_view to_string(Format f) {
  switch (f) {
    case Format::mlx: return "MLX";
    case Format::gguf: return "GGUF";
    case Format::safetensors: return "safetensors";
  }
  return "GGUF";  // unreachable: every Format has a case
}

}  // namespace planner
