#pragma once
// The model size classes the seed article's advice names, read by the rules that give the advice
// and by route selection that follows it, so a chosen route draws no finding the note does not
// name. The 7B class reaches 7.62B parameters (Qwen2.5-7B, data/models/); 8B models
// (Llama-3.1-8B 8.03B, Qwen3-8B 8.19B) are above it.
namespace planner {

inline constexpr double kSevenBClassParams = 7.9e9;

// Pitfall 7 (rule LI051 routing-tiers): "Use lightweight models (3B-7B) for routing, formatting,
// and quick responses": lightweight is the 7B class or smaller.
inline bool lightweight_model(double params_total) { return params_total <= kSevenBClassParams; }

// Pitfall 1 (rule LI031 long-context-large-model): "If you need 16K+ context, drop to a 7B model
// or reduce quantization."
inline constexpr long long kLongContextTokens = 16384;
inline bool long_context_on_large_model(long long context, double params_total) {
  return context >= kLongContextTokens && !lightweight_model(params_total);
}

}  // namespace planner
