#include "estimate/mlx_recipe.h"

#include "estimate/gguf_recipe.h"

// mlx-lm at d78bf58e21 (the commit ../shared/docs/launch-flags.md records).

namespace planner {

std::optional<double> mlx_weight_bytes(const ModelInfo& m, int bits, int group, std::string_view mode) {
  if (bits <= 0 || bits >= 16 || group <= 0) return std::nullopt;
  // The same weights llama.cpp's loader names (a fused qkv or gate_up holds the same elements as
  // the separate projections mlx-lm keeps); llama3's rope_freqs is computed, not stored, in MLX.
  auto list = gguf_tensor_list(m);
  if (!list) return std::nullopt;
  // Packed bits + a bf16 scale and bias per group (affine), or one 8-bit scale (e8m0 / e4m3) per
  // group for the fp modes (data/quantization.yaml mlx.modes).
  const double quantized_bpw = bits + (mode == "affine" ? 32.0 : 8.0) / group;
  // gpt-oss: mlx-lm loads the released checkpoint's experts as MXFP4 (utils.py:402-406,
  // quant_method mxfp4 -> group 32, bits 4, mode mxfp4, applied where the weights carry scales:
  // the experts), and mlx_lm.convert -q then quantizes only modules that have to_quantized, which
  // QuantizedSwitchLinear lacks (switch_layers.py:27): the experts stay MXFP4 (4 + 8/32 bits),
  // the rest takes `bits` (mlx-community/gpt-oss-20b-MXFP4-Q8). Its router takes 8 bits, group 64
  // (gpt_oss.py quant_predicate).
  const bool gpt_oss = m.family == "gpt-oss" || m.family == "gpt_oss";
  constexpr double kMxfp4Bpw = 4 + 8.0 / 32;
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
    if (gpt_oss && t.ne.size() == 3 && t.name.find("_exps.weight") != std::string::npos) bpw = kMxfp4Bpw;
    // Biases (gpt-oss's expert biases are 2-D) and the attention sinks are arrays, not modules.
    if (t.name.ends_with(".bias") || t.name.find("attn_sinks") != std::string::npos) quantize = false;
    if (t.name.find("ffn_gate_inp.weight") != std::string::npos) {
      // The MoE router: Qwen3-MoE's quant_predicate keeps it at 8 bits, group 64
      // (mlx_lm/models/qwen3_moe.py:249-253); DeepSeek-V2's MoEGate is a bare weight without
      // to_quantized (mlx_lm/models/deepseek_v2.py:268-281); Mixtral's gate is an nn.Linear
      // quantized like the rest (mlx_lm/models/mixtral.py:106).
      // Qwen3.5 and Qwen3-Next keep it and the shared expert's gate at 8 bits, group 64 (qwen3_5.py:373-379,
      // qwen3_next.py:485-488).
      if (m.family == "qwen3moe" || m.family == "qwen3_5" || m.family == "qwen3_next" || gpt_oss) bpw = 8 + 32.0 / 64;
      else if (m.family == "deepseek2") quantize = false;
    }
    sum += quantize ? n * bpw / 8 : n * kFloatBytes;
  }
  return sum;
}

}  // namespace planner
