#include "estimate/hf_recipe.h"

#include "estimate/gguf_recipe.h"

#include <algorithm>

namespace planner {

namespace {

// The matrices a quantized checkpoint stores quantized: the linear layers of the decoder blocks.
// vLLM's AWQ and GPTQ configs give their packed method to linear layers only (get_linear_method:
// vllm-project/vllm@92d756e9 vllm/model_executor/layers/quantization/awq.py, @02dd7b88 gptq.py),
// so the input embedding and lm_head (vocab-parallel embeddings), norms and biases stay 16-bit.
// The MoE router is kept 16-bit too: an assumption (it is a few hidden x experts values a layer).
bool quantized(const RecipeTensor& t) {
  if (t.ne.size() < 2 || t.name.rfind("blk.", 0) != 0) return false;  // token_embd, output, norms
  if (t.name.ends_with(".bias") || t.name.find("_norm.") != std::string::npos) return false;
  if (t.name.find("ffn_gate_inp") != std::string::npos || t.name.find("attn_sinks") != std::string::npos) return false;
  if (t.name.find("ssm_conv1d") != std::string::npos) return false;  // a convolution kernel, not a linear layer
  return true;
}

// Bytes of one quantized tensor: `in` inputs per row, `matrices` experts (1 for a plain matrix).
double quantized_bytes(const WeightQuant& q, double n, double in, double matrices) {
  const double rows = n / std::max(1.0, in);  // all matrices' output rows together
  // FP8: one byte a weight. Its scales (one per tensor, or one per row, as the checkpoint has
  // them: 4 bytes at most a row) are left out: under 0.1 % of a matrix of 4096 inputs; an estimate.
  if (q.hf_quant == "fp8") return n;
  const double g = q.hf_group > 0 ? q.hf_group : 128;
  // AWQ: qweight int32 [in, out/8], qzeros int32 [in/g, out/8], scales fp16 [in/g, out]
  // (awq.py@92d756e9 AWQLinearMethod.create_weights): 4 bits a weight, 16 + 4 bits a group.
  double bytes = n * 4.0 / 8.0 + (in / g) * rows * (2.0 + 0.5);
  // GPTQ: qweight int32 [in/8, out], qzeros and scales as AWQ's, and g_idx int32 [in] a matrix
  // (gptq.py@02dd7b88 GPTQLinearMethod.create_weights).
  if (q.hf_quant == "gptq") bytes += 4.0 * in * matrices;
  return bytes;
}

}  // namespace

std::optional<double> hf_weight_bytes(const ModelInfo& m, const WeightQuant& q) {
  if (q.hf_quant.empty()) return std::nullopt;
  auto list = gguf_tensor_list(m);
  if (!list) return std::nullopt;
  const bool unquantized = q.hf_quant == "bf16" || q.hf_quant == "fp16";
  double sum = 0;
  for (const auto& t : *list) {
    if (t.name == "rope_freqs.weight") continue;  // computed at load, not a checkpoint tensor
    const double n = static_cast<double>(t.elements());
    if (unquantized || !quantized(t)) {
      sum += 2.0 * n;
      continue;
    }
    const double matrices = t.ne.size() >= 3 ? static_cast<double>(t.ne[2]) : 1.0;
    sum += quantized_bytes(q, n, static_cast<double>(t.ne[0]), matrices);
  }
  return sum;
}

}  // namespace planner
