#pragma once
// A model named by path — a .gguf file or an MLX / Hugging Face directory — read into a
// ModelFileInfo, whichever it is. Used by `planner inspect` and by routes whose `model:` is a path.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "modelfile/model_file.h"

namespace planner {

struct ModelLoad {
  std::optional<ModelFileInfo> info;
  std::string error;  // one line, with the byte offset where the reader knows it
  int gguf_version = 0;
};

// Never throws.
ModelLoad load_model_file(const std::filesystem::path& path);

// Whether a route's `model:` value names a path rather than a catalog model: it ends in .gguf or
// starts with "./", "../", "/" or "~/". (A bare "org/name" is a Hugging Face repo id.)
bool looks_like_model_path(std::string_view model);

// Bits per weight of a file's own tensors, as a WeightQuant for the estimator.
struct WeightQuant;
WeightQuant file_weight_quant(const ModelFileInfo& info);

}  // namespace planner
