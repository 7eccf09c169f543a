#pragma once
// A parsed GGUF header as planner's ModelFileInfo: the architecture's hyperparameters (key names
// of llama.cpp src/llama-arch.cpp LLM_KV_NAMES) and exact weight bytes from the tensor infos,
// filled so that estimate_memory() works on `model`. Sources: docs/model-files.md.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "modelfile/gguf.h"
#include "modelfile/model_file.h"

namespace planner {

// general.file_type (enum llama_ftype, llama.cpp include/llama.h) as llama-quantize names it:
// 15 -> "Q4_K_M"; "" when unknown.
std::string llama_ftype_name(long long ftype);

// A metadata value planner reads that is out of its range (modelfile/limits.h), of the wrong
// type, or a tensor sum that overflows: the message names the key, the value and the limit;
// `offset` is where the value sits in the file.
struct GgufModelError : std::runtime_error {
  GgufModelError(const std::string& message, std::uint64_t at) : std::runtime_error(message), offset(at) {}
  std::uint64_t offset;
};

// Missing keys leave fields at 0 and add a warning; a value out of range throws GgufModelError.
ModelFileInfo model_info_from_gguf(const gguf::GgufFile& file, std::string path);

}  // namespace planner
