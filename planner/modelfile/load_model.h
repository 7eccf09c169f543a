#pragma once
// A model named by path — a GGUF file (by its magic or its .gguf name), an MLX / Hugging Face
// directory, a folder of .gguf files holding one model, or a Hugging Face cache repo folder
// (followed through refs/main) — read into a ModelFileInfo, whichever it is. A path into a model
// store (an Ollama blob, a cache snapshot) gets the store's name for the model, not the hash.
// Used by `planner inspect` and by routes whose `model:` is a path or a name found in a store.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "model/weight_quant.h"
#include "modelfile/model_file.h"

namespace planner {

struct ModelLoad {
  std::optional<ModelFileInfo> info;
  std::string error;  // one line, with the byte offset where the reader knows it
  int gguf_version = 0;
};

// Never throws.
ModelLoad load_model_file(const std::filesystem::path& path);

// Whether a route's `model:` value names a path rather than a catalog model: it ends in .gguf,
// starts with "./", "../", "/" or "~/", or its last part is an Ollama blob (sha256-<64 hex>) or a
// Hugging Face cache folder (models--ORG--NAME). (A bare "org/name" is a Hugging Face repo id.)
bool looks_like_model_path(std::string_view model);

// Bits per weight of a file's own tensors, as a WeightQuant for the estimator.
WeightQuant file_weight_quant(const ModelFileInfo& info);

}  // namespace planner
