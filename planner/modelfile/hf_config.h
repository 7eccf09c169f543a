#pragma once
// A Hugging Face / MLX `config.json` read into a ModelInfo: the architecture fields planner's
// memory model needs, the layer kinds (full, sliding-window, linear attention), MoE, MLA and
// the `quantization` block mlx-lm writes. Field names and defaults: see hf_config.cpp, one
// source per group.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/model_info.h"

namespace planner {

// One entry of mlx-lm's `quantization` block: global, or a per-module override keyed by the
// module path (`model.layers.0.mlp.gate`). `quantized == false` means the module was left as is.
struct MlxQuant {
  bool quantized = true;
  int bits = 0;
  int group_size = 0;
  std::string mode;  // "affine" (mlx-lm default), "mxfp4", "nvfp4", "mxfp8"
};

struct HfQuantization {
  bool mlx = false;            // a `quantization` block (mlx-lm) is present
  MlxQuant global;             // its group_size / bits / mode
  std::map<std::string, MlxQuant> modules;  // per-module overrides
  std::string quant_method;    // `quantization_config.quant_method` of non-MLX checkpoints (fp8, gptq, mxfp4...)
  int method_bits = 0;         // `quantization_config.bits` of those, when given

  // The quantization of the module at `path` (an override, else the global one).
  const MlxQuant& for_module(const std::string& path) const;
};

struct HfConfig {
  ModelInfo model;                 // id / hf_repo left empty; params filled by read_model_dir
  std::string model_type;          // of the language model (text_config's when nested)
  std::string outer_model_type;    // the wrapper's, for VLMs ("" when not nested)
  std::vector<std::string> architectures;
  std::string torch_dtype;         // `torch_dtype` or `dtype`
  HfQuantization quant;
  int num_layers_with_kv = 0;      // layers that keep a KV cache (full + sliding)
  std::vector<std::string> warnings;
};

// Parses config.json text; `name` prefixes error messages. Throws std::runtime_error with a
// one-line message ("NAME: byte N: ...") on invalid JSON, a config that is not an object, one
// nested or sized past the limits, or an integer planner reads that is not a whole number in
// its range (modelfile/limits.h): the message names the key, the value and the limit.
HfConfig parse_hf_config(std::string_view json_text, const std::string& name);

// Reads and parses a config.json file (at most 16 MiB).
HfConfig read_hf_config(const std::filesystem::path& file);

}  // namespace planner
