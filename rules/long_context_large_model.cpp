// LI031 long-context-large-model: 16K+ context on a model larger than the 7B class.
#include <fmt/format.h>

#include "core/text.h"
#include "model/size_classes.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_long_context_large_model(const Analysis& a, Reporter& out);
}  // namespace

extern const Rule kLongContextLargeModel = {
    "LI031", "long-context-large-model", Severity::warning,
    "a context of 16K tokens or more on a model above the 7B class",
    R"(## What it does
Warns when a route serves 16,384 tokens or more with a model of more than ~7.9B parameters
(MoE: total parameters), and says how much KV cache that context takes.

## Why is this bad?
Weights and KV cache compete for the same memory. The seed article's rule of thumb: for 16K+
context, drop to a 7B model. Sliding-window and hybrid models (Gemma, Qwen3.5) need far less
KV per token, so the message gives the real figure.

## Example
```yaml
inference: {max_context_tokens: 32768}
routing:
  reasoning: {model: llama-3.1-8b-instruct}   # 4 GiB of f16 KV cache at 32K
```

## Fix
A 7B-class model for long-context routes, `kv_cache_type: q8_0`, or a shorter context.
)",
    check_long_context_large_model};

namespace {
void check_long_context_large_model(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (!r.model || !ra.memory || !long_context_on_large_model(r.context, r.model->params_total)) continue;
    // vLLM's cache is a pool for every request: one request of the context holds its own blocks.
    const auto& v = ra.memory->vllm;
    const double kv = v ? static_cast<double>(v->bytes_per_block) * static_cast<double>(v->blocks_per_request) *
                              v->tensor_parallel
                        : ra.memory->kv_bytes;
    auto& d = out.report(kLongContextLargeModel, r.context_node, value_path(r, r.context_node, "max_context_tokens"),
                         fmt::format("route '{}': {} tokens of context on {} takes {} of KV cache ({})",
                                     shown_value(r.cfg->name), r.context, model_label(*r.model), gib(kv),
                                     shown_value(r.kv_type)));
    if (ra.speed)  // reading that cache for every token is what slows a long conversation down
      d.message += fmt::format("; on {} decoding slows from ~{:.0f} to ~{:.0f} tokens/s as the context fills", a.chip->name,
                               ra.speed->tokens_per_second_empty, ra.speed->tokens_per_second_full);
    d.help = "for 16K+ context use a 7B-class model, kv_cache_type: q8_0, or a shorter context";
  }
}
}  // namespace

}  // namespace planner
