#pragma once
// A Hugging Face checkpoint's weights as vLLM holds them, tensor by tensor (the catalog's shapes
// laid out as estimate/gguf_recipe.h lays them out): bf16 / fp16 unquantized, FP8, or 4-bit AWQ /
// GPTQ with their scales and zeros. Sources: the comments in hf_recipe.cpp.
#include <optional>

#include "model/model_info.h"
#include "model/weight_quant.h"

namespace planner {

// Weight bytes of `m` at `q` (q.hf_quant set); nullopt when the family's tensor layout is not known
// (the caller then uses parameters x q.bpw).
std::optional<double> hf_weight_bytes(const ModelInfo& m, const WeightQuant& q);

}  // namespace planner
