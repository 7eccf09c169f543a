#pragma once
// How a route's quantization name resolves for its file format: GGUF recipes for llama.cpp, bits +
// group size for MLX, bf16 / fp16 / fp8 / AWQ / GPTQ for a safetensors checkpoint (vLLM), over the
// quantization tables (model/quant_tables.h).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// The quantization names planner knows for a route of `format`, the list LI070's "did you mean"
// picks from and the language server completes: GGUF recipes, Unsloth's dynamic quants and the
// MLX widths for GGUF and MLX; a safetensors checkpoint's own names for vLLM.
std::vector<std::string> known_quant_names(const QuantTables& tables, Format format);

}  // namespace planner
