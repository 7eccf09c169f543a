#include "support/gguf_models.h"

#include <string>

namespace planner::testing {

namespace {

std::string blk(int i, const char* name) { return "blk." + std::to_string(i) + "." + name + ".weight"; }

void general(GgufWriter& w, const std::string& arch, const std::string& name, std::uint32_t ftype) {
  w.str("general.architecture", arch).str("general.name", name).u32("general.file_type", ftype);
}

// Embedding, final norm and (untied) output head.
void ends(GgufWriter& w, std::uint64_t embd, std::uint64_t vocab, bool tied) {
  w.tensor("token_embd.weight", {embd, vocab}, "Q4_K");
  w.tensor("output_norm.weight", {embd}, "F32");
  if (!tied) w.tensor("output.weight", {embd, vocab}, "Q6_K");
}

// A llama-style block: separate q/k/v/o and a gated MLP.
void dense_block(GgufWriter& w, int i, std::uint64_t embd, std::uint64_t q_out, std::uint64_t kv_out,
                 std::uint64_t ffn) {
  w.tensor(blk(i, "attn_norm"), {embd}, "F32");
  w.tensor(blk(i, "attn_q"), {embd, q_out}, "Q4_K");
  w.tensor(blk(i, "attn_k"), {embd, kv_out}, "Q4_K");
  w.tensor(blk(i, "attn_v"), {embd, kv_out}, "Q6_K");
  w.tensor(blk(i, "attn_output"), {q_out, embd}, "Q4_K");
  w.tensor(blk(i, "ffn_norm"), {embd}, "F32");
  w.tensor(blk(i, "ffn_gate"), {embd, ffn}, "Q4_K");
  w.tensor(blk(i, "ffn_up"), {embd, ffn}, "Q4_K");
  w.tensor(blk(i, "ffn_down"), {ffn, embd}, "Q6_K");
}

}  // namespace

GgufWriter llama31_8b() {
  GgufWriter w;
  general(w, "llama", "Llama 3.1 8B", 15);
  w.u32("llama.context_length", 131072).u32("llama.embedding_length", 4096).u32("llama.block_count", 32);
  w.u32("llama.feed_forward_length", 14336).u32("llama.attention.head_count", 32).u32("llama.attention.head_count_kv", 8);
  w.u32("llama.rope.dimension_count", 128).u32("llama.vocab_size", 128256);
  w.str("tokenizer.ggml.model", "gpt2").str_array("tokenizer.ggml.tokens", 128256);
  ends(w, 4096, 128256, false);
  for (int i = 0; i < 32; ++i) dense_block(w, i, 4096, 4096, 1024, 14336);
  return w;
}

GgufWriter gemma2_9b() {
  GgufWriter w;
  general(w, "gemma2", "Gemma 2 9b", 15);
  w.u32("gemma2.context_length", 8192).u32("gemma2.embedding_length", 3584).u32("gemma2.block_count", 42);
  w.u32("gemma2.feed_forward_length", 14336).u32("gemma2.attention.head_count", 16);
  w.u32("gemma2.attention.head_count_kv", 8).u32("gemma2.attention.key_length", 256);
  w.u32("gemma2.attention.value_length", 256).u32("gemma2.attention.sliding_window", 4096);
  w.f32("gemma2.attn_logit_softcapping", 50.0f).f32("gemma2.final_logit_softcapping", 30.0f);
  w.str_array("tokenizer.ggml.tokens", 256000);
  ends(w, 3584, 256000, true);
  for (int i = 0; i < 42; ++i) {
    dense_block(w, i, 3584, 4096, 2048, 14336);
    w.tensor(blk(i, "post_attention_norm"), {3584}, "F32");
    w.tensor(blk(i, "post_ffw_norm"), {3584}, "F32");
  }
  return w;
}

GgufWriter phi3_mini() {
  GgufWriter w;
  general(w, "phi3", "Phi 3 Mini 4k Instruct", 15);
  w.u32("phi3.context_length", 4096).u32("phi3.embedding_length", 3072).u32("phi3.block_count", 32);
  w.u32("phi3.feed_forward_length", 8192).u32("phi3.attention.head_count", 32).u32("phi3.attention.head_count_kv", 32);
  w.u32("phi3.rope.dimension_count", 96).u32("phi3.attention.sliding_window", 2047);
  w.str_array("tokenizer.ggml.tokens", 32064);
  ends(w, 3072, 32064, false);
  for (int i = 0; i < 32; ++i) {
    // Phi-3 fuses q/k/v into attn_qkv and gate/up into ffn_up.
    w.tensor(blk(i, "attn_norm"), {3072}, "F32");
    w.tensor(blk(i, "attn_qkv"), {3072, 9216}, "Q4_K");
    w.tensor(blk(i, "attn_output"), {3072, 3072}, "Q4_K");
    w.tensor(blk(i, "ffn_norm"), {3072}, "F32");
    w.tensor(blk(i, "ffn_up"), {3072, 16384}, "Q4_K");
    w.tensor(blk(i, "ffn_down"), {8192, 3072}, "Q6_K");
  }
  return w;
}

GgufWriter qwen3moe_30b_a3b() {
  GgufWriter w;
  general(w, "qwen3moe", "Qwen3 30B A3B", 15);
  w.u32("qwen3moe.context_length", 40960).u32("qwen3moe.embedding_length", 2048).u32("qwen3moe.block_count", 48);
  w.u32("qwen3moe.feed_forward_length", 6144).u32("qwen3moe.attention.head_count", 32);
  w.u32("qwen3moe.attention.head_count_kv", 4).u32("qwen3moe.attention.key_length", 128);
  w.u32("qwen3moe.attention.value_length", 128).u32("qwen3moe.expert_count", 128);
  w.u32("qwen3moe.expert_used_count", 8).u32("qwen3moe.expert_feed_forward_length", 768);
  w.str_array("tokenizer.ggml.tokens", 151936);
  ends(w, 2048, 151936, false);
  for (int i = 0; i < 48; ++i) {
    w.tensor(blk(i, "attn_norm"), {2048}, "F32");
    w.tensor(blk(i, "attn_q"), {2048, 4096}, "Q4_K");
    w.tensor(blk(i, "attn_k"), {2048, 512}, "Q4_K");
    w.tensor(blk(i, "attn_v"), {2048, 512}, "Q6_K");
    w.tensor(blk(i, "attn_output"), {4096, 2048}, "Q4_K");
    w.tensor(blk(i, "attn_q_norm"), {128}, "F32");
    w.tensor(blk(i, "attn_k_norm"), {128}, "F32");
    w.tensor(blk(i, "ffn_norm"), {2048}, "F32");
    w.tensor(blk(i, "ffn_gate_inp"), {2048, 128}, "F32");
    w.tensor(blk(i, "ffn_gate_exps"), {2048, 768, 128}, "Q4_K");
    w.tensor(blk(i, "ffn_up_exps"), {2048, 768, 128}, "Q4_K");
    w.tensor(blk(i, "ffn_down_exps"), {768, 2048, 128}, "Q6_K");
  }
  return w;
}

GgufWriter deepseek2_lite() {
  GgufWriter w;
  general(w, "deepseek2", "DeepSeek V2 Lite Chat", 15);
  w.u32("deepseek2.context_length", 163840).u32("deepseek2.embedding_length", 2048).u32("deepseek2.block_count", 27);
  w.u32("deepseek2.feed_forward_length", 10944).u32("deepseek2.attention.head_count", 16);
  // An MLA-aware conversion: one "KV head" holding the latent (576 = 512 + 64 rope) and the
  // per-head sizes in the *_mla keys (llama.cpp convert_hf_to_gguf.py DeepseekV2Model).
  w.u32("deepseek2.attention.head_count_kv", 1).u32("deepseek2.attention.key_length", 576);
  w.u32("deepseek2.attention.value_length", 512).u32("deepseek2.attention.key_length_mla", 192);
  w.u32("deepseek2.attention.value_length_mla", 128).u32("deepseek2.attention.kv_lora_rank", 512);
  w.u32("deepseek2.rope.dimension_count", 64).u32("deepseek2.leading_dense_block_count", 1);
  w.u32("deepseek2.expert_count", 64).u32("deepseek2.expert_used_count", 6).u32("deepseek2.expert_shared_count", 2);
  w.u32("deepseek2.expert_feed_forward_length", 1408);
  w.str_array("tokenizer.ggml.tokens", 102400);
  ends(w, 2048, 102400, false);
  for (int i = 0; i < 27; ++i) {
    w.tensor(blk(i, "attn_norm"), {2048}, "F32");
    w.tensor(blk(i, "attn_q"), {2048, 3072}, "Q4_K");
    w.tensor(blk(i, "attn_kv_a_mqa"), {2048, 576}, "Q4_K");
    w.tensor(blk(i, "attn_kv_a_norm"), {512}, "F32");
    // 128-wide rows are not a multiple of the 256-element K-quant block: llama-quantize falls
    // back to a 32-element type for them, as it does here.
    w.tensor(blk(i, "attn_k_b"), {128, 512, 16}, "Q8_0");
    w.tensor(blk(i, "attn_v_b"), {512, 128, 16}, "Q8_0");
    w.tensor(blk(i, "attn_output"), {2048, 2048}, "Q4_K");
    w.tensor(blk(i, "ffn_norm"), {2048}, "F32");
    if (i == 0) {
      w.tensor(blk(i, "ffn_gate"), {2048, 10944}, "Q4_K");
      w.tensor(blk(i, "ffn_up"), {2048, 10944}, "Q4_K");
      w.tensor(blk(i, "ffn_down"), {10944, 2048}, "Q8_0");
      continue;
    }
    w.tensor(blk(i, "ffn_gate_inp"), {2048, 64}, "F32");
    w.tensor(blk(i, "ffn_gate_exps"), {2048, 1408, 64}, "Q4_K");
    w.tensor(blk(i, "ffn_up_exps"), {2048, 1408, 64}, "Q4_K");
    w.tensor(blk(i, "ffn_down_exps"), {1408, 2048, 64}, "Q8_0");
    w.tensor(blk(i, "ffn_gate_shexp"), {2048, 2816}, "Q4_K");
    w.tensor(blk(i, "ffn_up_shexp"), {2048, 2816}, "Q4_K");
    w.tensor(blk(i, "ffn_down_shexp"), {2816, 2048}, "Q6_K");
  }
  return w;
}

GgufWriter qwen35_9b() {
  GgufWriter w;
  general(w, "qwen35", "Qwen3.5 9B", 15);
  w.u32("qwen35.context_length", 262144).u32("qwen35.embedding_length", 4096).u32("qwen35.block_count", 32);
  w.u32("qwen35.feed_forward_length", 12288).u32("qwen35.attention.head_count", 16);
  w.u32("qwen35.attention.head_count_kv", 4).u32("qwen35.attention.key_length", 256);
  w.u32("qwen35.attention.value_length", 256).u32("qwen35.full_attention_interval", 4);
  w.u32("qwen35.ssm.conv_kernel", 4).u32("qwen35.ssm.state_size", 128).u32("qwen35.ssm.group_count", 16);
  w.u32("qwen35.ssm.time_step_rank", 32).u32("qwen35.ssm.inner_size", 4096);
  w.str_array("tokenizer.ggml.tokens", 248320);
  ends(w, 4096, 248320, false);
  for (int i = 0; i < 32; ++i) {
    w.tensor(blk(i, "attn_norm"), {4096}, "F32");
    if (i % 4 == 3) {
      w.tensor(blk(i, "attn_q"), {4096, 8192}, "Q4_K");  // query and its gate
      w.tensor(blk(i, "attn_k"), {4096, 1024}, "Q4_K");
      w.tensor(blk(i, "attn_v"), {4096, 1024}, "Q6_K");
      w.tensor(blk(i, "attn_output"), {4096, 4096}, "Q4_K");
    } else {
      w.tensor(blk(i, "attn_qkv"), {4096, 8192}, "Q4_K");
      w.tensor(blk(i, "attn_gate"), {4096, 4096}, "Q4_K");
      w.tensor(blk(i, "ssm_conv1d"), {4, 8192}, "F32");
      w.tensor(blk(i, "ssm_out"), {4096, 4096}, "Q4_K");
    }
    w.tensor(blk(i, "ffn_norm"), {4096}, "F32");
    w.tensor(blk(i, "ffn_gate"), {4096, 12288}, "Q4_K");
    w.tensor(blk(i, "ffn_up"), {4096, 12288}, "Q4_K");
    w.tensor(blk(i, "ffn_down"), {12288, 4096}, "Q6_K");
  }
  return w;
}

GgufWriter tiny_llama() {
  GgufWriter w;
  general(w, "llama", "tiny", 7);
  w.u32("llama.context_length", 2048).u32("llama.embedding_length", 64).u32("llama.block_count", 2);
  w.u32("llama.feed_forward_length", 128).u32("llama.attention.head_count", 4).u32("llama.attention.head_count_kv", 2);
  w.u32_array("llama.per_layer_example", {1, 2});
  w.bool_array("llama.flags_example", {true, false});
  w.str_array("tokenizer.ggml.tokens", 64);
  w.tensor("token_embd.weight", {64, 64}, "Q8_0");
  w.tensor("output_norm.weight", {64}, "F32");
  for (int i = 0; i < 2; ++i) {
    w.tensor(blk(i, "attn_norm"), {64}, "F32");
    w.tensor(blk(i, "attn_q"), {64, 64}, "Q8_0");
    w.tensor(blk(i, "attn_k"), {64, 32}, "Q8_0");
    w.tensor(blk(i, "attn_v"), {64, 32}, "F16");
    w.tensor(blk(i, "attn_output"), {64, 64}, "Q8_0");
    w.tensor(blk(i, "ffn_norm"), {64}, "F32");
    w.tensor(blk(i, "ffn_gate"), {64, 128}, "Q8_0");
    w.tensor(blk(i, "ffn_up"), {64, 128}, "Q8_0");
    w.tensor(blk(i, "ffn_down"), {128, 64}, "Q8_0");
  }
  return w;
}

GgufWriter gpt_oss_20b() {
  // The tensors of ggml-org/llama.cpp src/models/openai-moe.cpp@069be0ae22f3 (load_arch_tensors),
  // typed as an MXFP4_MOE file; no sliding_window_pattern key, as files converted before that key
  // existed carry none.
  GgufWriter w;
  general(w, "gpt-oss", "Gpt Oss 20b", 38);
  w.u32("gpt-oss.context_length", 131072).u32("gpt-oss.embedding_length", 2880).u32("gpt-oss.block_count", 24);
  w.u32("gpt-oss.expert_feed_forward_length", 2880).u32("gpt-oss.attention.head_count", 64);
  w.u32("gpt-oss.attention.head_count_kv", 8).u32("gpt-oss.attention.key_length", 64);
  w.u32("gpt-oss.attention.value_length", 64).u32("gpt-oss.attention.sliding_window", 128);
  w.u32("gpt-oss.expert_count", 32).u32("gpt-oss.expert_used_count", 4);
  w.str_array("tokenizer.ggml.tokens", 201088);
  w.tensor("token_embd.weight", {2880, 201088}, "Q8_0");
  w.tensor("output_norm.weight", {2880}, "F32");
  w.tensor("output.weight", {2880, 201088}, "Q8_0");
  for (int i = 0; i < 24; ++i) {
    w.tensor(blk(i, "attn_norm"), {2880}, "F32");
    w.tensor(blk(i, "post_attention_norm"), {2880}, "F32");
    w.tensor(blk(i, "attn_q"), {2880, 4096}, "Q8_0");
    w.tensor(blk(i, "attn_k"), {2880, 512}, "Q8_0");
    w.tensor(blk(i, "attn_v"), {2880, 512}, "Q8_0");
    w.tensor(blk(i, "attn_output"), {4096, 2880}, "Q8_0");
    w.tensor(blk(i, "attn_sinks"), {64}, "F32");
    w.tensor(blk(i, "ffn_gate_inp"), {2880, 32}, "F32");
    w.tensor(blk(i, "ffn_gate_exps"), {2880, 2880, 32}, "MXFP4");
    w.tensor(blk(i, "ffn_down_exps"), {2880, 2880, 32}, "MXFP4");
    w.tensor(blk(i, "ffn_up_exps"), {2880, 2880, 32}, "MXFP4");
  }
  return w;
}

}  // namespace planner::testing
