#pragma once
// A model's weight quantization as its runtime stores it: what resolve/quant.h makes of a route's
// quantization name, or what a model file's own tensors say (modelfile/load_model.h).
#include <string>

namespace planner {

// A route's weight quantization as its runtime will store it.
struct WeightQuant {
  bool known = false;
  std::string requested;  // as written in the config
  std::string label;      // "Q4_K_M" or "MLX 4-bit, group 64"
  double bpw = 0;         // bits per weight, whole model
  int bits_class = 0;     // 2, 3, 4, 5, 6, 8, 16
  bool mapped = false;    // a GGUF name applied to MLX (or the reverse)
  int mlx_bits = 0;
  int mlx_group = 0;
  std::string mlx_mode = "affine";  // or "mxfp4" / "nvfp4" / "mxfp8" (mlx_lm.convert --q-mode)
  std::string gguf_recipe;  // the name the GGUF files carry on GGUF routes ("Q4_K_M", "UD-Q4_K_XL", "MXFP4")
  // safetensors routes (vLLM): "bf16", "fp16", "fp8", "awq", "gptq" (estimate/hf_recipe.h sizes
  // them), with the group size of AWQ / GPTQ's scales and zeros; "" on other formats.
  std::string hf_quant;
  int hf_group = 0;
  // What sizes it: the llama-quantize recipe simulated (gguf_recipe when empty) and a factor on
  // its bytes (an Unsloth dynamic quant: a published-size ratio, so the figure is an estimate).
  std::string size_recipe;
  double size_factor = 1;
  std::string estimate_note;  // why the size is an estimate; "" when it is computed
  bool published_only = false;  // no local tool makes it (Unsloth's own recipe): download it or nothing
};

}  // namespace planner
