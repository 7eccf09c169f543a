#pragma once
// Which .gguf file of a folder a route means: a GGUF repo (unsloth/X-GGUF in the Hugging Face
// cache, lmstudio-community/X-GGUF in LM Studio) holds one file per quantization, and the route's
// quantization names one. Only names are read here.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace planner {

struct GgufChoice {
  std::filesystem::path file;       // empty when none could be chosen
  std::string error;                // why not, naming the files there (one line)
  std::vector<std::string> files;   // every model .gguf there, relative to the folder, sorted
};

// The .gguf files of `dir` and of its direct subfolders (big repos keep a quantization's shards in
// a folder of its own), less vision projectors (mmproj-*). `quant` ("Q4_K_M", "UD-Q4_K_XL",
// "q8_0") picks the file whose name holds it as a whole word, case-insensitively; "" (or no
// match) is fine only when the folder holds a single model file. A quantization split into
// shards (-00001-of-00003) is refused: planner reads one GGUF file at a time.
GgufChoice choose_gguf(const std::filesystem::path& dir, std::string_view quant);

// Whether a folder holds .gguf files at all (cheap: stops at the first).
bool has_gguf_files(const std::filesystem::path& dir);

}  // namespace planner
