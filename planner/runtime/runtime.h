#pragma once
// An inference engine as planner models it: the file formats it loads, how it lays out its KV
// cache, what it allocates beside weights and cache, how it serves several requests, its defaults
// and its launch steps, each fact with the commit it was read at. One descriptor per engine
// (runtime/<engine>.cpp), listed in one table (runtime/registry.cpp). Data only: the estimate
// (estimate/memory.cpp), the rules and launch read it. Depends on model/ and nothing else.
#include <span>
#include <string_view>

#include "model/format.h"

namespace planner {

struct LaunchContext;  // launch/steps.h
struct RouteLaunch;    // launch/plan.h

// How the engine sizes a KV cache, in cells: one cell holds one token of one sequence.
struct KvRules {
  // A full-attention layer holds the context rounded up to a multiple of this many cells.
  int cell_step = 1;
  // Sliding-window layers hold their window, not the context; the window grows by one micro-batch
  // (defaults.ubatch) when `window_adds_ubatch` and is rounded up to cell_step when `window_rounded`.
  bool sliding_window = true;
  bool window_adds_ubatch = false;
  bool window_rounded = false;
  // MLA (DeepSeek-V2 family) stored as the compressed latent plus the rope key, not per-head K/V.
  bool mla_latent = false;
  // Whose model code builds the cache: the catalog's `sliding_window_ignored_by` names engines by
  // it (mlx-lm's gemma2.py gives every layer a plain cache).
  std::string_view model_code;
  std::string_view source;
};

// What the engine allocates to compute, beside weights and cache.
enum class ComputeBuffer {
  llama_graph,  // llama.cpp's graph allocator peak for one micro-batch (estimate/memory.cpp llama_compute_bytes)
  mlx_prefill,  // mlx-lm: one prefill chunk's MLP intermediates (defaults.prefill_step tokens)
  // vLLM: --gpu-memory-utilization of each GPU taken at start; weights, the profiled activation
  // peak and memory outside torch come off it and the rest is KV blocks (estimate/vllm_memory.cpp).
  vllm_profile,
};

struct Overhead {
  ComputeBuffer compute = ComputeBuffer::llama_graph;
  double base_bytes = 0;  // process, Metal/CUDA context, framework (one memory: a Mac, a CPU)
  // On a discrete GPU (estimate/devices.cpp): the VRAM the GPU context takes beside the
  // engine's own buffers, with layers offloaded and with none, and the process's own host memory.
  double gpu_context_bytes = 0;
  double gpu_context_idle_bytes = 0;
  double host_process_bytes = 0;
  std::string_view source;
  std::string_view gpu_source;
};

// How concurrent requests share memory (routing.R.parallel, kv_unified; resolve/serving.cpp).
struct SlotRules {
  int default_slots = 1;  // concurrent requests the server takes when not told
  // The cache is allocated for every slot at start (llama.cpp) rather than grown by each request
  // (mlx-lm): with `parallel` unset planner then sizes default_slots, else one request.
  bool preallocated = false;
  bool default_unified = false;  // default slots share one pool of the context's cells
  bool can_unify = false;        // stated slots can share one pool (llama.cpp -kvu)
  // Model families the engine serves with one slot whatever it is told (Ollama's list, compared
  // with ModelInfo::family with '_' ignored: planner's `qwen3_5` is Ollama's `qwen35`).
  std::span<const std::string_view> single_slot_families = {};
  std::string_view source;
};

// A context the engine picks itself when nothing states one: `context` tokens on a machine with at
// least `min_vram_gib` GiB of GPU memory in all (the first tier that holds, largest first).
struct ContextTier {
  double min_vram_gib = 0;
  long long context = 0;
};

// How the engine's server holds several models. Ollama runs one server for all of them, and
// some of its settings are the server's, not a model's.
struct ServerRules {
  bool shared = false;          // one server serves every route on this runtime
  bool global_kv_type = false;  // the KV cache type is one setting for every model, K and V alike
  int max_loaded_per_gpu = 0;   // models kept loaded per GPU when not told otherwise (0: no limit of its own)
  std::string_view source;
};

// A scheduler default that depends on the GPU (vLLM's max_num_batched_tokens and max_num_seqs for
// `vllm serve`): the first tier whose min_vram_gib one GPU has, largest first.
struct BatchTier {
  double min_vram_gib = 0;
  bool excludes_a100 = false;  // not for an A100, whatever its memory
  int max_num_batched_tokens = 0;
  int max_num_seqs = 0;
};

// Settings planner assumes because no config states them: the engine's own defaults.
struct RuntimeDefaults {
  int ubatch = 0;                // micro-batch, in tokens (0: the engine has none)
  bool flash_attention = false;  // on by default
  int prefill_step = 0;          // prompt prefill chunk, in tokens (0: the engine has none)
  // The context of a request when no config states one (empty: planner's own default), and
  // whether a larger one is cut to the model's trained context.
  std::span<const ContextTier> context_tiers = {};
  bool context_capped_at_trained = false;
  // A paged KV cache (vLLM): tokens per block, the fraction of each GPU it takes, its scheduler's
  // batch defaults. 0 / empty for the engines without one.
  int block_size = 0;
  double gpu_memory_utilization = 0;
  std::span<const BatchTier> batch_tiers = {};
  std::string_view source;
};

// An app that runs other engines (LM Studio: its llama.cpp engine for GGUF, its MLX engine for
// MLX): the descriptor whose memory rules (kv, overhead, slots, defaults) apply to a format.
struct EngineFor {
  Format format;
  std::string_view runtime_id;
};

// Appends a route's download / convert / serve steps to `out` (launch/steps_<engine>.cpp).
using LaunchSteps = void (*)(LaunchContext& c, RouteLaunch& out);

struct Runtime {
  std::string_view id;    // as a config writes it (routing.R.runtime)
  std::string_view name;  // as planner prints it
  std::span<const Format> formats;  // the file formats it loads
  KvRules kv;
  Overhead overhead;
  SlotRules slots;
  RuntimeDefaults defaults;
  ServerRules server = {};
  // Warns when a model's bytes pass a fraction of the GPU wired limit (data/hardware.yaml
  // mlx_warn_fraction, with its source): rules keep its routes under that line.
  bool warns_near_wired_limit = false;
  // Non-empty: the memory rules are those of another descriptor, by format (memory_rules()); this
  // one's own kv, overhead, slots and defaults are then unused.
  std::span<const EngineFor> engines = {};
  LaunchSteps launch_steps = nullptr;  // nullptr: planner emits no commands for it
  std::string_view source;             // repo@commit its memory facts were read at
  std::string_view launch_source;      // repo@commit its flags were read at (docs/launch.md)

  bool loads(Format f) const {
    for (Format x : formats)
      if (x == f) return true;
    return false;
  }
  // The descriptor whose memory rules apply to a model of format `f` (runtime/runtime.cpp).
  const Runtime& memory_rules(Format f) const;
};

// The registry (runtime/registry.cpp), in its table's order.
std::span<const Runtime* const> all_runtimes();
// By id, case-sensitive as the schema's enum; nullptr when unknown.
const Runtime* find_runtime(std::string_view id);
// The engine a route of this file format runs on when it names none.
const Runtime& default_runtime(Format f);

// runtime/runtime.cpp: what an engine picks itself.
// The context a request gets when no config states one: the tier of `total_vram_bytes`, cut to
// `trained_context` (when known and the engine does so); 0 when the engine has no tiers.
long long engine_default_context(const Runtime& r, double total_vram_bytes, long long trained_context);
// The slots the engine serves `family` with when asked for `asked` (0: not asked, its default).
int engine_slots(const Runtime& r, std::string_view family, int asked);

}  // namespace planner
