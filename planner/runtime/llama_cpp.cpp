// llama.cpp (ggml-org/llama.cpp): llama-server over a GGUF file, on any machine.
#include "runtime/runtime.h"

namespace planner {

void llama_cpp_launch_steps(LaunchContext& c, RouteLaunch& out);  // launch/steps_llama_cpp.cpp

namespace {
constexpr Format kFormats[] = {Format::gguf};
}  // namespace

extern const Runtime kLlamaCpp = {
    .id = "llama.cpp",
    .name = "llama.cpp",
    .formats = kFormats,
    .kv = {.cell_step = 256,  // the KV cache is allocated in multiples of 256 cells
           .sliding_window = true,
           .window_adds_ubatch = true,  // the SWA cache keeps pad(n_swa + n_ubatch, 256) cells
           .window_rounded = true,
           .mla_latent = true,  // an MLA-aware GGUF caches kv_lora_rank + qk_rope_head_dim, no separate V
           .model_code = "llama.cpp",
           .source = "ggml-org/llama.cpp@0ad4a86 src/llama-kv-cache.cpp (padding, is_mla()), "
                     "src/llama-kv-cache-iswa.cpp (SWA cells)"},
    .overhead = {.compute = ComputeBuffer::llama_graph,
                 .base_bytes = 256.0 * 1024 * 1024,
                 .source = "an assumption, not measured (docs/memory-model.md)"},
    .slots = {.sized_sequences = 1,
              .default_slots = 4,  // -np unset: 4 slots sharing one pool of -c cells (kv_unified)
              .slots_share_context = true,  // -np N without -kvu splits -c among the slots
              .source = "llama.cpp v0.5.0 (node-llama-cpp 3.22.1, squashed de3ff815) tools/server/server.cpp "
                        "(n_parallel auto: 4, kv_unified), src/llama-context.cpp (n_ctx_seq); measured on an "
                        "H200 2026-12-01"},
    .defaults = {.ubatch = 512,           // -ub (common/common.h n_ubatch)
                 .flash_attention = true,  // -fa auto: on wherever the back end supports it (CPU, Metal, CUDA)
                 .prefill_step = 0,
                 .source = "ggml-org/llama.cpp@0ad4a86 common/common.h (n_ubatch = 512), :499 (flash_attn_type auto)"},
    .warns_near_wired_limit = false,
    .launch_steps = llama_cpp_launch_steps,
    .source = "ggml-org/llama.cpp@0ad4a86",
    .launch_source = "ggml-org/llama.cpp@bb4caa7540",
};

}  // namespace planner
