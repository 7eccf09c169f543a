#pragma once
// Decode speed: generating a token reads every active weight and the whole KV cache once, so on
// a bandwidth-bound machine tokens/s ~= efficiency x bandwidth / bytes read per token.
#include <optional>
#include <string>

#include "estimate/memory.h"
#include "resolve/hardware.h"

namespace planner {

struct SpeedEstimate {
  double bandwidth_gbs = 0;     // chip's memory bandwidth, GB/s (10^9)
  double efficiency = 0;        // measured share of it decode reaches (data/hardware.yaml)
  bool efficiency_measured = false;  // this chip's own llama-bench row, or its class's lowest
  double weight_bytes_per_token = 0;  // active weights read per token
  double kv_bytes_per_token = 0;      // KV cache read per token at the full context
  double tokens_per_second_empty = 0; // at the first token (no KV cache yet)
  double tokens_per_second_full = 0;  // with the context full
};

std::optional<SpeedEstimate> estimate_decode_speed(const ModelInfo& model, const WeightQuant& quant,
                                                   const MemoryEstimate& memory, const ChipInfo& chip,
                                                   const HardwareTables& tables);

}  // namespace planner
