// LM Studio (lmstudio-ai/lms, the `lms` CLI of the LM Studio app): it runs a GGUF on its llama.cpp
// engine and an MLX model on its MLX engine, so each format's memory rules are that engine's
// descriptor's (memory_rules(): a fact stated once). What is LM Studio's own is how it is told:
// `lms load KEY --context-length --gpu --parallel` (launch/steps_lm_studio.cpp).
#include "runtime/runtime.h"

namespace planner {

void lm_studio_launch_steps(LaunchContext& c, RouteLaunch& out);  // launch/steps_lm_studio.cpp

namespace {

constexpr Format kLmStudioFormats[] = {Format::gguf, Format::mlx};
constexpr EngineFor kEngines[] = {{Format::gguf, "llama.cpp"}, {Format::mlx, "mlx-lm"}};
constexpr std::string_view kDelegated =
    "its engines': runtime/llama_cpp.cpp for GGUF, runtime/mlx_lm.cpp for MLX (LM Studio's own engine "
    "builds and defaults are not read: lms only passes the settings on, src/subcommands/load.ts:281-297)";

}  // namespace

extern const Runtime kLmStudio = {
    .id = "lm-studio",
    .name = "LM Studio",
    .formats = kLmStudioFormats,
    .kv = {.model_code = "", .source = kDelegated},
    .overhead = {.source = kDelegated, .gpu_source = kDelegated},
    .slots = {.source = kDelegated},
    .defaults = {.source = kDelegated},
    .warns_near_wired_limit = false,
    .engines = kEngines,
    .launch_steps = lm_studio_launch_steps,
    .source = "lmstudio-ai/lms@07b7252d6d",
    .launch_source = "lmstudio-ai/lms@07b7252d6d",
};

}  // namespace planner
