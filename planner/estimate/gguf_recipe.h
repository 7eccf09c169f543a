#pragma once
// llama-quantize's recipes simulated tensor by tensor, for catalog models (no file on disk):
// the tensors llama.cpp's loader creates for the architecture, from the catalog's shapes, each
// given the type src/llama-quant.cpp llama_tensor_get_type() picks for the recipe. Sources and
// the rules followed: docs/memory-model.md ("GGUF weights from the catalog").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resolve/catalog.h"
#include "resolve/quant.h"

namespace planner {

struct RecipeTensor {
  std::string name;             // llama.cpp's GGUF name, e.g. "blk.3.attn_v.weight"
  std::vector<int64_t> ne;      // ggml order: ne[0] is the row length
  std::string type;             // ggml type name after the recipe ("Q6_K")
  double bytes = 0;
  int64_t elements() const;
};

// The tensors of `m` in GGUF order, types unset; nullopt when the family's layout is not known
// here or the catalog lacks a shape (FFN width).
std::optional<std::vector<RecipeTensor>> gguf_tensor_list(const ModelInfo& m);

// Every tensor of `m` typed by `recipe` ("Q4_K_M"); nullopt when the layout is unknown or the
// recipe is not simulated (the IQ*, TQ* and imatrix-only recipes). gpt-oss keeps its experts at
// MXFP4 whatever the recipe, as every published gpt-oss GGUF does.
std::optional<std::vector<RecipeTensor>> gguf_recipe_tensors(const ModelInfo& m, std::string_view recipe,
                                                             const QuantTables& tables);

// Sum of the tensor bytes above.
std::optional<double> gguf_recipe_bytes(const ModelInfo& m, std::string_view recipe, const QuantTables& tables);

}  // namespace planner
