#pragma once
// What planner learns from a model on disk (a GGUF file, or an MLX / Hugging Face directory of
// config.json + safetensors): the architecture as a ModelInfo, plus exact weight bytes read from
// the tensor headers. Only headers are read, never tensor data.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/model_info.h"

namespace planner {

struct ModelFileInfo {
  std::string path;
  std::string format;        // "GGUF" or "MLX" / "safetensors"
  std::string architecture;  // general.architecture, or config.json model_type
  std::string file_type;     // GGUF: "Q4_K_M" etc. (general.file_type); MLX: "4-bit, group 64"
  ModelInfo model;           // architecture fields filled from the file's metadata
  std::uint64_t parameters = 0;    // elements of all weight tensors (unpacked)
  std::uint64_t weights_bytes = 0; // bytes of all tensors as stored
  std::map<std::string, std::uint64_t> bytes_by_type;   // ggml type / safetensors dtype -> bytes
  std::map<std::string, std::uint64_t> tensors_by_type; // type -> tensor count
  std::uint64_t tensor_count = 0;
  std::uint64_t file_bytes = 0;    // size on disk (all shards)
  int key_length = 0;              // GGUF *.attention.key_length (0 = head_dim)
  int value_length = 0;            // GGUF *.attention.value_length
  std::vector<std::string> warnings;  // oddities worth telling the user (not errors)
};

}  // namespace planner
