#pragma once
// The range of every integer the model-file readers take from a file (GGUF metadata and
// config.json alike): a value outside its range is refused with the key, the value and the
// limit, never clamped, truncated or wrapped. Each limit leaves wide headroom over the largest
// published model (the comment names it; docs/model-files.md "Limits" has the table); they exist
// so that a hostile header cannot make the estimator loop or allocate without bound, and so
// that every value fits an int with room for the products the estimator forms.
#include <cstdint>

namespace planner::limits {

// Layers (num_hidden_layers, <arch>.block_count, layer_types entries, per-layer arrays, layer
// periods). Llama-3.1-405B has 126, GLM-4.5 92, Qwen3.5-397B 60.
inline constexpr long long kLayers = 10'000;
// Model widths (hidden_size, embedding_length, intermediate sizes, ssm.inner_size).
// Llama-3.1-405B: hidden 16,384, FFN 53,248.
inline constexpr long long kWidth = 1LL << 20;
// Heads of any kind (attention, KV, linear key/value heads). Llama-3.1-405B and DeepSeek-V3: 128.
inline constexpr long long kHeads = 1LL << 16;
// Per-head sizes and ranks (head_dim, key/value length, MLA ranks, rope dims, state size,
// convolution kernel). Gemma: head_dim 256; DeepSeek-V3: latent 512 + rope 64.
inline constexpr long long kHeadDim = 1LL << 16;
// Vocabulary. Gemma 3: 262,208; Qwen3.5: 248,320.
inline constexpr long long kVocab = 1LL << 24;
// Context and sliding window in tokens. Llama 4 Scout: max_position_embeddings 10,485,760.
inline constexpr long long kContext = 1LL << 30;
// Experts (routed, per token, shared). Qwen3.5-397B-A17B: 512 routed; Kimi K2: 384.
inline constexpr long long kExperts = 1LL << 16;
// MLX quantization bits per weight (mlx-lm writes 2-8) and group size (32, 64, 128).
inline constexpr long long kQuantBits = 32;
inline constexpr long long kQuantGroup = 1LL << 16;

}  // namespace planner::limits
