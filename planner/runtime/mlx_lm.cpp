// mlx-lm (ml-explore/mlx-lm): mlx_lm.server over an MLX model directory, on Apple silicon.
#include "runtime/runtime.h"

namespace planner {

void mlx_lm_launch_steps(LaunchContext& c, RouteLaunch& out);  // launch/steps_mlx_lm.cpp

namespace {
constexpr Format kMlxLmFormats[] = {Format::mlx};
}  // namespace

extern const Runtime kMlxLm = {
    .id = "mlx-lm",
    .name = "mlx-lm",
    .formats = kMlxLmFormats,
    .kv = {.cell_step = 256,  // KVCache.step: the cache grows in 256-token steps
           .sliding_window = true,  // RotatingKVCache keeps exactly the window
           .window_adds_ubatch = false,
           .window_rounded = false,
           .mla_latent = false,  // deepseek_v2.py caches the expanded per-head keys (nope + rope) and values
           .model_code = "mlx-lm",
           .source = "ml-explore/mlx-lm@d78bf58e21 mlx_lm/models/cache.py:325-326 (KVCache.step = 256), :410 "
                     "(RotatingKVCache); mlx_lm/models/deepseek_v2.py:230-237"},
    .overhead = {.compute = ComputeBuffer::mlx_prefill,
                 .base_bytes = 256.0 * 1024 * 1024,
                 .source = "an assumption, not measured (docs/memory-model.md)",
                 .gpu_source = "not used: mlx-lm runs in Apple silicon's unified memory, with no discrete GPU"},
    .slots = {.default_slots = 32,  // batchable requests decode together, each with its own cache
              .preallocated = false,  // a request's cache grows as it decodes (KVCache.step)
              .default_unified = false,
              .can_unify = false,
              .source = "ml-explore/mlx-lm@d78bf58e21 mlx_lm/server.py:1823-1827 (--decode-concurrency 32), "
                        ":755-763 (BatchGenerator)"},
    .defaults = {.ubatch = 0,
                 .flash_attention = false,
                 .prefill_step = 2048,
                 .source = "ml-explore/mlx-lm@d78bf58e21 mlx_lm/server.py:1835-1839 (--prefill-step-size 2048)"},
    .warns_near_wired_limit = true,
    .launch_steps = mlx_lm_launch_steps,
    .source = "ml-explore/mlx-lm@d78bf58e21",
    .launch_source = "ml-explore/mlx-lm@d78bf58e21",
};

}  // namespace planner
