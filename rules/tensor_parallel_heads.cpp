// LI044 tensor-parallel-heads: vLLM splits the attention heads over --tensor-parallel-size GPUs
// and stops at start when they do not divide.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_tensor_parallel_heads(const Analysis& a, Reporter& out);
}

extern const Rule kTensorParallelHeads = {
    "LI044", "tensor-parallel-heads", Severity::error,
    "a route's tensor_parallel does not divide the model's attention heads, or its KV heads (vLLM stops at start)",
    R"(## What it does
`tensor_parallel` (vLLM's `--tensor-parallel-size`) splits every attention layer over that many
GPUs. vLLM requires the query heads to divide by it, and the KV heads either to divide by it or,
when there are fewer KV heads than GPUs, to divide it (each KV head is then copied onto
`tensor_parallel / kv_heads` GPUs). This rule reports a vLLM route that breaks either, and a
`tensor_parallel` on a runtime that has no such setting.

## Why is this bad?
vLLM raises before it loads a weight: "Total number of attention heads (32) must be divisible by
tensor parallel size (3)." The KV heads fail in the attention layer's constructor (an assertion
that one number is divisible by the other).

## Example
```yaml
routing:
  code: {model: llama-3.1-8b-instruct, runtime: vllm, quantization: bf16, tensor_parallel: 3}
```

## Fix
A `tensor_parallel` that divides the heads (1, 2, 4, 8 for 32 query and 8 KV heads).

## Source
vllm-project/vllm@18ec6629 vllm/config/model.py `ModelConfig.verify_with_parallel_config`,
`get_num_kv_heads`; vllm/model_executor/layers/linear.py@0036d38d `QKVParallelLinear.__init__`.
)",
    check_tensor_parallel_heads};

namespace {

std::string divisors(int heads, int kv_heads) {
  std::vector<std::string> ok;
  for (int tp = 1; tp <= heads; ++tp)
    if (heads % tp == 0 && (tp < kv_heads ? kv_heads % tp == 0 : tp % kv_heads == 0)) ok.push_back(std::to_string(tp));
  return join(ok, ", ");
}

void check_tensor_parallel_heads(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    const RouteConfig& rc = *r.cfg;
    if (!rc.tensor_parallel) continue;
    const long long tp = rc.tensor_parallel->value;
    if (r.runtime->overhead.compute != ComputeBuffer::vllm_profile) {
      if (tp > 1) {
        auto& d = out.report(kTensorParallelHeads, Severity::warning, rc.tensor_parallel->node,
                             route_path(r, "tensor_parallel"),
                             fmt::format("route '{}' sets tensor_parallel {} but runs on {}, which has no tensor "
                                         "parallelism setting: it is ignored",
                                         shown_value(rc.name), tp, r.runtime->name));
        d.help = "remove tensor_parallel, or serve the route with runtime: vllm";
      }
      continue;
    }
    if (!r.model || r.model->attention_heads <= 0 || r.model->kv_heads <= 0) continue;
    const int heads = r.model->attention_heads, kv = r.model->kv_heads;
    std::string why;
    if (heads % tp != 0) {
      why = fmt::format("its {} attention heads do not divide by {}: vLLM stops at start (\"Total number of attention "
                        "heads ({}) must be divisible by tensor parallel size ({}).\")",
                        heads, tp, heads, tp);
    } else if (!r.model->mla && (tp < kv ? kv % tp != 0 : tp % kv != 0)) {
      why = tp < kv ? fmt::format("its {} KV heads do not divide by {}", kv, tp)
                    : fmt::format("{} GPUs do not divide by its {} KV heads (each KV head is copied onto a whole "
                                  "number of GPUs)",
                                  tp, kv);
      why += ": vLLM's attention layer cannot split them and it stops at start";
    }
    if (why.empty()) continue;
    auto& d = out.report(kTensorParallelHeads, rc.tensor_parallel->node, route_path(r, "tensor_parallel"),
                         fmt::format("route '{}': tensor_parallel {} does not fit {}: {}", shown_value(rc.name), tp,
                                     shown_value(r.model->id), why));
    d.help = fmt::format("tensor_parallel values that fit {} ({} attention heads, {} KV heads): {}",
                         shown_value(r.model->id), heads, kv, divisors(heads, r.model->mla ? 1 : kv));
  }
}

}  // namespace

}  // namespace planner
