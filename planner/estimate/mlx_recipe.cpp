#include "estimate/mlx_recipe.h"

#include "estimate/gguf_recipe.h"

// mlx-lm at d78bf58e21 (the commit ../shared/docs/launch-flags.md records).

namespace planner {

std::optional<double> mlx_weight_bytes(const ModelInfo& m, int bits, int group) {
  if (bits <= 0 || bits >= 16 || group <= 0) return std::nullopt;
  // The same weights llama.cpp's loader names (a fused qkv or gate_up holds the same elements as
  // the separate projections mlx-lm keeps); llama3's rope_freqs is computed, not stored, in MLX.
  auto list = gguf_tensor_list(m);
  if (!list) return std::nullopt;
  const double quantized_bpw = bits + 32.0 / group;  // packed bits + bf16 scale and bias per group
  constexpr double kFloatBytes = 2;                  // bf16: the converted models' dtype
  double sum = 0;
  for (const auto& t : *list) {
    const double n = static_cast<double>(t.elements());
    if (t.name == "rope_freqs.weight") continue;
    // mlx_lm/utils.py:867-872 (quantize_model's wrapped_predicate): only modules with
    // to_quantized (Linear, Embedding, SwitchLinear experts) whose input dimension is a multiple
    // of the group; norms and biases keep the float dtype.
    bool quantize = t.ne.size() >= 2 && t.ne[0] % group == 0 && t.name.find("_norm.weight") == std::string::npos;
    double bpw = quantized_bpw;
    if (t.name.find("ffn_gate_inp.weight") != std::string::npos) {
      // The MoE router: Qwen3-MoE's quant_predicate keeps it at 8 bits, group 64
      // (mlx_lm/models/qwen3_moe.py:249-253); DeepSeek-V2's MoEGate is a bare weight without
      // to_quantized (mlx_lm/models/deepseek_v2.py:268-281); Mixtral's gate is an nn.Linear
      // quantized like the rest (mlx_lm/models/mixtral.py:106).
      if (m.family == "qwen3moe") bpw = 8 + 32.0 / 64;
      else if (m.family == "deepseek2") quantize = false;
    }
    sum += quantize ? n * bpw / 8 : n * kFloatBytes;
  }
  return sum;
}

}  // namespace planner
