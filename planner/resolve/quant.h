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

// Every quantization name the tables resolve, for the schema's completion examples: the
// llama-quantize recipes and Unsloth's dynamic quants in table order, then MLX's affine widths
// ("4bit") and its other modes ("mxfp4").
std::vector<std::string> quantization_examples(const QuantTables& tables);

// The quantization names planner knows for a route of `format`, the list LI025's "did you mean"
// picks from and the language server completes: for GGUF and MLX the schema's examples
// (quantization_examples: llama-quantize recipes, Unsloth's dynamic quants, MLX's widths and
// modes); a safetensors checkpoint's own names for vLLM.
std::vector<std::string> known_quant_names(const QuantTables& tables, Format format);

}  // namespace planner
