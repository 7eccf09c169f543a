#pragma once
// GGUF headers with the real shapes and metadata of published models (values from their
// config.json, as data/models/ cites them), for tests of the reader and the estimator.
// Tensor types follow a simplified Q4_K_M: Q4_K for most matrices, Q6_K for attn_v, ffn_down
// and output, F32 for norms, so that expected bytes are easy to compute by hand.
#include "support/gguf_writer.h"

namespace planner::testing {

GgufWriter llama31_8b();        // meta-llama/Llama-3.1-8B: 32 x (32 heads, 8 KV, 128), vocab 128256
GgufWriter gemma2_9b();         // google/gemma-2-9b: 42 layers, window 4096 on every other layer, tied
GgufWriter phi3_mini();         // microsoft/Phi-3-mini-4k: no GQA, fused qkv, window 2047 (ignored)
GgufWriter qwen3moe_30b_a3b();  // Qwen/Qwen3-30B-A3B: 48 layers, 128 experts, 8 per token
GgufWriter deepseek2_lite();    // deepseek-ai/DeepSeek-V2-Lite: MLA (rank 512, rope 64), 64 experts
GgufWriter qwen35_9b();         // Qwen/Qwen3.5-9B: Gated DeltaNet on 3 of every 4 layers
GgufWriter gpt_oss_20b();       // openai/gpt-oss-20b: 24 layers, window 128, 32 experts at MXFP4, no pattern key
// A complete, tiny model (2 layers, 64-token vocabulary, ~20 KiB with its zero data): the seed
// of the hostile corpus and of the CLI tests.
GgufWriter tiny_llama();

}  // namespace planner::testing
