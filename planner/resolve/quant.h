#pragma once
// How a route's quantization name resolves for its file format: GGUF recipes for llama.cpp, bits +
// group size for MLX, bf16 / fp16 / fp8 / AWQ / GPTQ for a safetensors checkpoint (vLLM), over the
// quantization tables (model/quant_tables.h).
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "model/format.h"
#include "model/quant_tables.h"
#include "model/weight_quant.h"

namespace planner {

// MLX width names: "4bit", "4-bit", "mlx-4bit", "4bit-g32" -> (bits, group size or 0).
std::optional<std::pair<int, int>> parse_mlx_name(std::string_view name);

// MLX's own mode names as mlx-community repos carry them: "mxfp4", "nvfp4", "mxfp8" -> the mode;
// "bf16", "fp16" -> "16" (unquantized). nullopt for anything else.
std::optional<std::string> parse_mlx_mode(std::string_view name);

WeightQuant resolve_quant(const QuantTables& tables, std::string_view name, Format format);

}  // namespace planner
