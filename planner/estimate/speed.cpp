#include "estimate/speed.h"

namespace planner {

std::optional<SpeedEstimate> estimate_decode_speed(const ModelInfo& m, const WeightQuant& q, const MemoryEstimate& mem,
                                                   const ChipInfo& chip, const HardwareTables& tables) {
  if (chip.bandwidth_gbs <= 0 || m.params_total <= 0) return std::nullopt;
  SpeedEstimate s;
  s.bandwidth_gbs = chip.bandwidth_gbs;
  // The efficiency measured for the weight type closest to the route's (llama-bench rows exist for
  // Q4_0, Q8_0 and F16 only; dequantizing 4-bit blocks costs compute, so Q4 runs at a lower share).
  double eta = q.bits_class <= 6 ? chip.eta_q4 : q.bits_class <= 8 ? chip.eta_q8 : chip.eta_f16;
  s.efficiency_measured = eta > 0;
  if (eta <= 0) eta = tables.fallback_eta(chip);
  if (eta <= 0) return std::nullopt;
  s.efficiency = eta;
  // A MoE model reads only the experts its router picks: the active share of its weights.
  const double active_share = m.params_active > 0 ? m.params_active / m.params_total : 1.0;
  s.weight_bytes_per_token = mem.weights_bytes * active_share;
  s.kv_bytes_per_token = mem.kv_bytes + mem.state_bytes;
  // vLLM's cache is a pool of blocks for every request: one request at the context reads its own.
  if (mem.vllm)
    s.kv_bytes_per_token = static_cast<double>(mem.vllm->bytes_per_block) *
                           static_cast<double>(mem.vllm->blocks_per_request) * mem.vllm->tensor_parallel;
  const double bw = chip.bandwidth_gbs * 1e9 * eta;
  s.tokens_per_second_empty = bw / (s.weight_bytes_per_token + mem.state_bytes);
  s.tokens_per_second_full = bw / (s.weight_bytes_per_token + s.kv_bytes_per_token);
  return s;
}

}  // namespace planner
