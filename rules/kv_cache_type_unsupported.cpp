// LI028 kv-cache-type-unsupported: K / V cache types llama.cpp refuses to start with.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_kv_cache_type_unsupported(const Analysis& a, Reporter& out);
}

extern const Rule kKvCacheTypeUnsupported = {
    "LI028", "kv-cache-type-unsupported", Severity::error,
    "llama.cpp cannot create the KV cache a route asks for: a quantized V cache with flash attention off, or "
    "different K and V types on an MLA model",
    R"(## What it does
Reports a llama.cpp route whose cache settings llama.cpp refuses when it creates the context:
- `kv_cache_type_v` (or `kv_cache_type`) quantized (`q8_0`, `q4_0`, ...) with
  `flash_attention: off`: "quantized V cache requires flash_attn to be enabled";
- `kv_cache_type_k` and `kv_cache_type_v` different on a model with multi-head latent attention
  (DeepSeek-V2/V3, Kimi-K2, GLM-4.7-Flash...), which caches one latent for both: "model does
  not support different K (...) and V (...) cache types".

## Why is this bad?
llama-server exits at start-up (`llama_init_from_model` returns no context), so the route never
serves. With `flash_attention: auto` llama.cpp turns flash attention on by itself for a
quantized V cache; only an explicit `off` fails.

## Example
```yaml
routing:
  code:
    model: qwen2.5-coder-7b-instruct
    kv_cache_type: q8_0
    flash_attention: off
```

## Fix
Set `flash_attention: on` (unsafe: flash attention may have been turned off because the GPU's
back end lacks it; then use an f16 V cache instead), or give an MLA model one cache type.

## Source
llama.cpp de3ff815 src/llama-context.cpp:3776-3790 (node-llama-cpp 3.22.1's bundle).
)",
    check_kv_cache_type_unsupported};

namespace {

bool quantized(const std::string& type) { return type != "f16" && type != "f32" && type != "bf16"; }

void check_kv_cache_type_unsupported(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (r.rules->overhead.compute != ComputeBuffer::llama_graph) continue;  // llama.cpp's engine only
    const Serving& s = r.serving;
    const RouteConfig& rc = *r.cfg;
    if (quantized(s.kv_type_v) && s.flash_attention_set && !s.flash_attention && rc.flash_attention) {
      auto& d = out.report(kKvCacheTypeUnsupported, rc.flash_attention->node, route_path(r, "flash_attention"),
                           fmt::format("route '{}' has a {} V cache with flash attention off: llama.cpp refuses a "
                                       "quantized V cache without flash attention and the server does not start",
                                       shown_value(rc.name), shown_value(s.kv_type_v)));
      d.help = "set flash_attention: on, or an f16 V cache (kv_cache_type_v: f16)";
      d.fix = replace_scalar(rc.flash_attention->node, "on", "set flash_attention: on", FixSafety::unsafe);
    }
    if (r.model && r.model->mla && s.kv_type_k != s.kv_type_v) {
      const Node* at = rc.kv_cache_type_v ? rc.kv_cache_type_v->node
                       : rc.kv_cache_type_k ? rc.kv_cache_type_k->node
                                            : rc.node;
      auto& d = out.report(kKvCacheTypeUnsupported, at, route_path(r, rc.kv_cache_type_v ? "kv_cache_type_v" : "kv_cache_type_k"),
                           fmt::format("route '{}' asks for K cache {} and V cache {}, but {} caches one latent "
                                       "for both (multi-head latent attention): llama.cpp refuses different K and V types",
                                       shown_value(rc.name), shown_value(s.kv_type_k), shown_value(s.kv_type_v),
                                       shown_value(r.model->id)));
      d.help = fmt::format("use one type for both: kv_cache_type: {}", shown_value(s.kv_type_k));
    }
  }
}

}  // namespace

}  // namespace planner
