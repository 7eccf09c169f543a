#pragma once
// An MLX or Hugging Face model directory (config.json + *.safetensors, optionally sharded through
// model.safetensors.index.json) read into a ModelFileInfo. Only config.json, the index and the
// safetensors headers are read; tensor data never is.
#include <filesystem>

#include "modelfile/model_file.h"

namespace planner {

// `path` is the directory (or a file inside it: config.json or a .safetensors shard).
// Throws std::runtime_error with a one-line "FILE: byte N: what" message when the directory is
// not a model directory or a file in it is malformed (see safetensors.h).
ModelFileInfo read_model_dir(const std::filesystem::path& path);

}  // namespace planner
