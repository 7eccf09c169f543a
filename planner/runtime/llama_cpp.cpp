// llama.cpp (ggml-org/llama.cpp): llama-server over a GGUF file, on any machine.
#include "runtime/runtime.h"

namespace planner {

void llama_cpp_launch_steps(LaunchContext& c, RouteLaunch& out);  // launch/steps_llama_cpp.cpp

namespace {
constexpr Format kLlamaCppFormats[] = {Format::gguf};
}  // namespace

extern const Runtime kLlamaCpp = {
    .id = "llama.cpp",
    .name = "llama.cpp",
    .formats = kLlamaCppFormats,
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
                 // Measured beside llama.cpp's own buffers (tests/data/llama-cpp-gpu-ground-truth.json):
                 // nvidia-smi less the CUDA0 buffers, 597.1-598.6 MiB with layers offloaded and
                 // 527.5-533.0 with -ngl 0; the server's RssAnon less its CPU buffers, 180-206 MiB.
                 .gpu_context_bytes = 598.0 * 1024 * 1024,
                 .gpu_context_idle_bytes = 530.0 * 1024 * 1024,
                 .host_process_bytes = 200.0 * 1024 * 1024,
                 .source = "an assumption, not measured (docs/memory-model.md)",
                 .gpu_source = "measured on an NVIDIA H200, CUDA 13.0, driver 580.159.04, llama.cpp de3ff815 "
                               "(bench/accuracy/README.md); other GPUs and drivers not measured"},
    .slots = {.default_slots = 4,  // -np unset: 4 slots sharing one pool of -c cells (kv_unified)
              .preallocated = true,  // the whole cache is allocated when the model loads
              .default_unified = true,
              .can_unify = true,  // -kvu; without it -np N splits -c among the slots
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
