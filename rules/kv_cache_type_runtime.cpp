// LI018 kv-cache-type-runtime: a KV cache type the route's runtime does not have (llama.cpp's
// q8_0 on vLLM, vLLM's fp8 on llama.cpp), or K and V types apart on vLLM, which has one setting.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_kv_cache_type_runtime(const Analysis& a, Reporter& out);
}

extern const Rule kKvCacheTypeRuntime = {
    "LI018", "kv-cache-type-runtime", Severity::error,
    "a route's KV cache type is not one its runtime has (q8_0 on vLLM, fp8 on llama.cpp), or vLLM is given K and V apart",
    R"(## What it does
The KV cache types are each engine's own: llama.cpp's `-ctk`/`-ctv` take `f32`, `f16`, `bf16`,
`q8_0`, `q4_0`, `q4_1`, `iq4_nl`, `q5_0`, `q5_1`; vLLM's `--kv-cache-dtype` takes `auto` (the
model's dtype: planner's `f16` / `bf16`), `fp8`, `fp8_e4m3`, `fp8_e5m2` (among others planner
does not size). This rule reports a route whose `kv_cache_type` (or `_k` / `_v`) its runtime
does not take, and a vLLM route whose K and V types differ: vLLM has one cache dtype for both.

## Why is this bad?
The server refuses the flag at start (an argparse choice error, or llama.cpp's "Unsupported
cache type"), and planner's estimate, made with the type asked for, is not what would run.

## Example
```yaml
routing:
  code: {model: qwen2.5-7b-instruct, runtime: vllm, quantization: bf16, kv_cache_type: q8_0}
```

## Fix
On vLLM `kv_cache_type: fp8` (one byte an element, what q8_0 approaches) or `f16`; on llama.cpp
`q8_0`.

## Source
vllm-project/vllm@002f10e0 vllm/config/cache.py:39-58 (CacheDType), :111 (cache_dtype "auto");
the llama.cpp types: data/quantization.yaml `kv_cache_types`.
)",
    check_kv_cache_type_runtime};

namespace {

bool vllm_type(const std::string& t) { return t == "f16" || t == "bf16" || t.rfind("fp8", 0) == 0; }
bool fp8(const std::string& t) { return t.rfind("fp8", 0) == 0; }

void check_kv_cache_type_runtime(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    const RouteConfig& rc = *r.cfg;
    const Serving& s = r.serving;
    const bool vllm = r.runtime->overhead.compute == ComputeBuffer::vllm_profile;
    // The node that set each type: the route's _k / _v, its kv_cache_type, or inference's.
    const Config& cfg = a.config;
    auto node_of = [&](const std::optional<Located<std::string>>& own) -> const Node* {
      if (own) return own->node;
      if (rc.kv_cache_type) return rc.kv_cache_type->node;
      return cfg.kv_cache_type.node;
    };
    const std::pair<const std::string*, const Node*> types[] = {{&s.kv_type_k, node_of(rc.kv_cache_type_k)},
                                                                 {&s.kv_type_v, node_of(rc.kv_cache_type_v)}};
    bool reported = false;
    for (const auto& [type, node] : types) {
      if (!node || reported) continue;
      const bool bad = vllm ? !vllm_type(*type) : fp8(*type);
      if (!bad) continue;
      reported = true;
      std::string path = "inference.kv_cache_type";
      if (rc.kv_cache_type_k && node == rc.kv_cache_type_k->node) path = route_path(r, "kv_cache_type_k");
      else if (rc.kv_cache_type_v && node == rc.kv_cache_type_v->node) path = route_path(r, "kv_cache_type_v");
      else if (rc.kv_cache_type && node == rc.kv_cache_type->node) path = route_path(r, "kv_cache_type");
      auto& d = out.report(kKvCacheTypeRuntime, node, path,
                           vllm ? fmt::format("route '{}' runs on vLLM, whose --kv-cache-dtype has no {} (it takes auto, "
                                              "fp8, fp8_e4m3, fp8_e5m2): vLLM refuses it at start",
                                              shown_value(rc.name), shown_value(*type))
                                : fmt::format("route '{}' asks for KV cache {}, which is vLLM's; {} has no such "
                                              "cache type",
                                              shown_value(rc.name), shown_value(*type), r.runtime->name));
      d.help = vllm ? "use kv_cache_type: fp8 (1 byte an element) or f16 (the model's dtype)"
                    : "use kv_cache_type: q8_0 (8.5 bits an element) or f16";
    }
    if (vllm && !reported && s.kv_type_k != s.kv_type_v) {
      const Node* at = rc.kv_cache_type_v ? rc.kv_cache_type_v->node : rc.kv_cache_type_k ? rc.kv_cache_type_k->node : rc.node;
      auto& d = out.report(kKvCacheTypeRuntime, at, route_path(r, rc.kv_cache_type_v ? "kv_cache_type_v" : "kv_cache_type_k"),
                           fmt::format("route '{}' asks for K cache {} and V cache {}, but vLLM has one "
                                       "--kv-cache-dtype for both",
                                       shown_value(rc.name), shown_value(s.kv_type_k), shown_value(s.kv_type_v)));
      d.help = fmt::format("use one type for both: kv_cache_type: {}", shown_value(s.kv_type_k));
    }
  }
}

}  // namespace

}  // namespace planner
