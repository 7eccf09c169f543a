#pragma once
// The file formats planner reads and sizes: which files a model comes in, not which engine runs
// it (runtime/runtime.h says which engines load which format).
#include <string_view>

namespace planner {

// safetensors: a Hugging Face checkpoint as transformers writes it (config.json and *.safetensors,
// unquantized or with its quantization_config: FP8, AWQ, GPTQ), which vLLM serves. MLX models are
// safetensors files too, but in mlx-lm's own layout; that is Format::mlx.
enum class Format { mlx, gguf, safetensors };
std::string_view to_string(Format f);  // "MLX", "GGUF", "safetensors": as a config writes them

}  // namespace planner
