// LI017 vllm-max-model-len: vLLM refuses to start when one request of --max-model-len does not fit
// the KV blocks its --gpu-memory-utilization leaves (estimate/vllm_memory.cpp sizes them).
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_vllm_max_model_len(const Analysis& a, Reporter& out);
}

extern const Rule kVllmMaxModelLen = {
    "LI017", "vllm-max-model-len", Severity::error,
    "vLLM's KV blocks cannot hold one request of the route's context (--max-model-len): vLLM stops at start",
    R"(## What it does
vLLM takes `--gpu-memory-utilization` (default 0.92) of each GPU when it starts. Off that come
the weights, the peak of a profiled forward pass (planner estimates it) and memory outside
torch; the rest becomes KV blocks of 16 tokens. One request of `--max-model-len` tokens (the
route's `max_context_tokens`) must fit those blocks. This rule reports a vLLM route where it does
not, or where nothing is left for blocks at all, with the longest context that fits.

## Why is this bad?
vLLM raises at start-up and the server never serves: "To serve at least one request with the
model's max seq len (N), (X GiB KV cache is needed, which is larger than the available KV cache
memory (Y GiB). ..." or "No available memory for the cache blocks. Try increasing
`gpu_memory_utilization` when initializing the engine".

## Example
```yaml
hardware: {total_ram_gb: 64, os_reserve_percent: 22, architecture: linux_nvidia, gpu_vram_gb: 24}
routing:
  code: {model: qwen2.5-7b-instruct, runtime: vllm, quantization: bf16, max_context_tokens: 131072}
```

## Fix
Lower `max_context_tokens` to the context the message names (`planner fix --unsafe-fixes` sets
the route's own), raise `gpu_memory_utilization`, use `kv_cache_type: fp8` (half the blocks'
bytes), a quantized checkpoint (`quantization: awq`), or split the model over more GPUs
(`tensor_parallel`).

## Source
vllm-project/vllm@002f10e0 vllm/v1/core/kv_cache_utils.py `_check_enough_kv_cache_memory`,
`get_kv_cache_configs` (the null block held back); vllm/v1/worker/gpu_worker.py@35d5cda1
`determine_available_memory`.
)",
    check_vllm_max_model_len};

namespace {

void check_vllm_max_model_len(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    // A route split over cluster: hosts is held to each host's budget by LI070 instead.
    if (a.cluster_plan(ra.route->cfg->name)) continue;
    if (!ra.memory || !ra.memory->vllm) continue;
    const VllmCache& v = *ra.memory->vllm;
    if (v.gpu_bytes <= 0 || v.fits) continue;  // no GPU known: nothing to hold it against
    const auto& r = *ra.route;
    const std::string taken = fmt::format(
        "{:g} x {} = {} less {} weights, {} peak activation (an estimate) and {} outside torch{}", v.utilization,
        gib(v.gpu_bytes), gib(v.requested_bytes), gib(v.weights_bytes), gib(v.activation_bytes),
        gib(v.non_torch_bytes), v.tensor_parallel > 1 ? fmt::format(", on each of {} GPUs", v.tensor_parallel) : "");
    const double usable = v.available_bytes - static_cast<double>(v.bytes_per_block);
    const std::string where = value_path(r, r.context_node, "max_context_tokens");
    if (v.max_model_len_fit <= 0) {
      auto& d = out.report(kVllmMaxModelLen, r.context_node ? r.context_node : r.cfg->key, where,
                           fmt::format("route '{}': vLLM has no memory left for KV blocks ({} leaves {}): it stops at "
                                       "start with \"No available memory for the cache blocks\"",
                                       shown_value(r.cfg->name), taken, gib(usable)));
      d.help = "raise gpu_memory_utilization, or use a smaller model, a quantized checkpoint (awq, gptq, fp8) or "
               "tensor_parallel over more GPUs";
      continue;
    }
    const double needed = static_cast<double>(v.bytes_per_block) * static_cast<double>(v.blocks_per_request);
    auto& d = out.report(kVllmMaxModelLen, r.context_node ? r.context_node : r.cfg->key, where,
                         fmt::format("route '{}': one request of {} tokens needs {} of KV blocks, more than the {} "
                                     "vLLM has for them ({}): vLLM stops at start (\"To serve at least one request "
                                     "with the model's max seq len ({}) ...\"); {} tokens fit",
                                     shown_value(r.cfg->name), r.context, gib(needed), gib(usable), taken, r.context,
                                     v.max_model_len_fit));
    d.help = fmt::format("set max_context_tokens: {} (or less), raise gpu_memory_utilization, or use kv_cache_type: fp8",
                         v.max_model_len_fit);
    d.fix = lower_context(a, r, v.max_model_len_fit);
  }
}

}  // namespace

}  // namespace planner
