// vLLM (vllm-project/vllm): `vllm serve` over a Hugging Face checkpoint on NVIDIA GPUs. It takes a
// fixed fraction of each GPU at start and makes KV blocks of what its weights, a profiled forward
// pass and memory outside torch leave (estimate/vllm_memory.cpp applies the rules). vLLM's files
// are read through the code index, each at the commit it is stored at (docs/launch.md lists them).
#include "runtime/runtime.h"

namespace planner {

void vllm_launch_steps(LaunchContext& c, RouteLaunch& out);  // launch/steps_vllm.cpp

namespace {

constexpr Format kVllmFormats[] = {Format::safetensors};

// `vllm serve` is UsageContext.OPENAI_API_SERVER (vllm/entrypoints/cli/serve.py@00a5fdd2); its
// max_num_batched_tokens / max_num_seqs by one GPU's memory, "a100" excluded from the 70 GiB tier
// (vllm/engine/arg_utils.py@002f10e0 EngineArgs.get_batch_defaults).
constexpr BatchTier kBatchTiers[] = {{160, false, 16384, 1024}, {70, true, 8192, 1024}, {0, false, 2048, 256}};

}  // namespace

extern const Runtime kVllm = {
    .id = "vllm",
    .name = "vLLM",
    .formats = kVllmFormats,
    .kv = {.cell_step = 16,  // blocks of --block-size tokens (CacheConfig.DEFAULT_BLOCK_SIZE)
           .sliding_window = true,  // the hybrid KV cache manager keeps a window's blocks, not the context's
           .window_adds_ubatch = false,
           .window_rounded = true,
           .mla_latent = true,  // use_mla: one head of kv_lora_rank + qk_rope_head_dim (ModelConfig.get_head_size)
           .model_code = "vllm",
           .source = "vllm-project/vllm@002f10e0 vllm/config/cache.py:71 (DEFAULT_BLOCK_SIZE 16); "
                     "vllm/v1/kv_cache_interface.py@001cabc1 (AttentionSpec.real_page_size_bytes, "
                     "FullAttentionSpec / SlidingWindowSpec.max_memory_usage_bytes, MLAAttentionSpec); "
                     "vllm/config/model.py@18ec6629 (get_head_size, get_num_kv_heads)"},
    // Memory outside torch's allocator that the profile counts (NCCL, attention back ends):
    // memory_profiling's non_torch_increase (vllm/utils/mem_utils.py@a6d5c390). Not measured.
    .overhead = {.compute = ComputeBuffer::vllm_profile,
                 .base_bytes = 256.0 * 1024 * 1024,
                 .source = "an assumption, not measured (docs/memory-model.md); the activation peak is an estimate "
                           "(estimate/vllm_memory.cpp)",
                 .gpu_source = "not used: each GPU's share is vLLM's own fraction (estimate/devices.cpp)"},
    // One pool of blocks every running sequence draws from; --max-num-seqs caps how many run.
    .slots = {.default_slots = 1,
              .preallocated = false,
              .default_unified = true,
              .can_unify = false,
              .source = "vllm-project/vllm@002f10e0 vllm/v1/core/kv_cache_utils.py "
                        "(get_max_concurrency_for_kv_cache_config: every group draws from one pool)"},
    .defaults = {.ubatch = 0,
                 .flash_attention = true,
                 .prefill_step = 0,
                 .block_size = 16,
                 .gpu_memory_utilization = 0.92,
                 .batch_tiers = kBatchTiers,
                 .source = "vllm-project/vllm@002f10e0 vllm/config/cache.py:71 (block_size 16), :103 "
                           "(gpu_memory_utilization 0.92), vllm/engine/arg_utils.py EngineArgs.get_batch_defaults, "
                           "_set_default_max_num_seqs_and_batched_tokens_args"},
    .warns_near_wired_limit = false,
    .launch_steps = vllm_launch_steps,
    .source = "vllm-project/vllm@002f10e0",
    .launch_source = "vllm-project/vllm@002f10e0",
};

}  // namespace planner
