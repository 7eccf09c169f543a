#pragma once
// A parsed GGUF header as planner's ModelFileInfo: the architecture's hyperparameters (key names
// of llama.cpp src/llama-arch.cpp LLM_KV_NAMES) and exact weight bytes from the tensor infos,
// filled so that estimate_memory() works on `model`. Sources: docs/model-files.md.
#include <string>
#include <string_view>

#include "modelfile/gguf.h"
#include "modelfile/model_file.h"

namespace planner {

// general.file_type (enum llama_ftype, llama.cpp include/llama.h) as llama-quantize names it:
// 15 -> "Q4_K_M"; "" when unknown.
std::string llama_ftype_name(long long ftype);

// Never fails: missing keys leave fields at 0 and add a warning.
ModelFileInfo model_info_from_gguf(const gguf::GgufFile& file, std::string path);

}  // namespace planner
