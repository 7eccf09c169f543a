// Ollama (ollama/ollama): `ollama serve` runs every GGUF in upstream llama-server, so its KV cache,
// compute buffer and overhead are llama.cpp's; what differs is what Ollama picks itself (the
// context by VRAM, one slot, each slot its own context) and how it is told (a Modelfile and the
// server's environment). Lines are of ollama/ollama@fb30760996.
#include "runtime/runtime.h"

namespace planner {

void ollama_launch_steps(LaunchContext& c, RouteLaunch& out);  // launch/steps_ollama.cpp
extern const Runtime kLlamaCpp;                                // runtime/llama_cpp.cpp

namespace {

constexpr Format kOllamaFormats[] = {Format::gguf};

// num_ctx when neither OLLAMA_CONTEXT_LENGTH nor a Modelfile/request num_ctx sets it: by the
// VRAM of all GPUs (each less OLLAMA_GPU_OVERHEAD), "47/23 GiB vs. 48/24 GiB to account for small
// differences" (server/routes.go:2043-2058, routes.go:131-132, :176-185; envconfig/config.go:230).
constexpr ContextTier kContextTiers[] = {{47, 262144}, {23, 32768}, {0, 4096}};

// "Some architectures are not safe with num_parallel > 1" (server/sched.go:505-510; Ollama's
// names, the GGUF general.architecture).
constexpr std::string_view kSingleSlot[] = {"mllama", "qwen3vl",        "qwen3vlmoe",     "qwen35",
                                            "qwen35moe", "qwen3next",   "lfm2",           "lfm2moe",
                                            "nemotron_h", "nemotron_h_moe", "nemotron_h_omni"};

}  // namespace

extern const Runtime kOllama = {
    .id = "ollama",
    .name = "Ollama",
    .formats = kOllamaFormats,
    // The llama-server it launches lays the cache out (llm/server.go:106-120): llama.cpp's rules.
    .kv = kLlamaCpp.kv,
    .overhead = kLlamaCpp.overhead,
    .slots = {.default_slots = 1,      // OLLAMA_NUM_PARALLEL, default 1 (envconfig/config.go:275)
              .preallocated = true,    // llama-server allocates every slot's cache at load
              .default_unified = false,  // -c num_ctx*parallel -np parallel: each slot its own num_ctx
              .can_unify = false,      // Ollama never passes --kv-unified
              .single_slot_families = kSingleSlot,
              .source = "ollama/ollama@fb30760996 envconfig/config.go:275 (OLLAMA_NUM_PARALLEL 1), "
                        "server/sched.go:497-510 (at least 1; 1 for embedding models and the listed "
                        "architectures), llm/llama_server.go:375-376 (-c NumCtx*numParallel -np numParallel, "
                        "no --kv-unified)"},
    .defaults = {.ubatch = 512,  // -b/-ub 512; Ollama raises it to 1024 (>4K) or 2048 (>32K) where memory allows
                 .flash_attention = true,  // --flash-attn auto where every GPU supports it, else off
                 .prefill_step = 0,
                 .context_tiers = kContextTiers,
                 .context_capped_at_trained = true,  // num_ctx above n_ctx_train is cut to it
                 .source = "ollama/ollama@fb30760996 server/sched.go:797-801, :822-835 (generation batch "
                           "512/1024/2048), llm/llama_server.go:581-594 (-b/-ub), :596-621 (OLLAMA_FLASH_"
                           "ATTENTION unset: auto if supported, else off), server/routes.go:2043-2058 (num_ctx "
                           "4096/32768/262144 by VRAM), llm/server.go:110-116 (capped at n_ctx_train)"},
    .server = {.shared = true,
               .global_kv_type = true,
               .max_loaded_per_gpu = 3,
               .source = "ollama/ollama@fb30760996 envconfig/config.go:222 (OLLAMA_KV_CACHE_TYPE, one for the "
                         "server), llm/server.go:118 and llm/llama_server.go:393-396 (--cache-type-k and -v both "
                         "from it), envconfig/config.go:277 (OLLAMA_MAX_LOADED_MODELS 0), server/sched.go:86, "
                         ":280-288 (0: 3 per GPU)"},
    .warns_near_wired_limit = false,
    .launch_steps = ollama_launch_steps,
    .source = "ollama/ollama@fb30760996",
    .launch_source = "ollama/ollama@fb30760996",
};

}  // namespace planner
