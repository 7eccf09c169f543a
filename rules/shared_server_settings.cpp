// LI027 shared-server-settings: routes on a runtime whose one server holds every model (Ollama)
// ask for what only the server can set, differently, or keep more models loaded than it does.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_shared_server_settings(const Analysis& a, Reporter& out);
}

extern const Rule kSharedServerSettings = {
    "LI027", "shared-server-settings", Severity::warning,
    "routes on one shared server (Ollama) differ in a server-wide setting, or keep more models loaded than it does",
    R"(## What it does
Ollama serves every model from one server, and some of its settings are the server's
environment, read once for all models (ollama/ollama@fb30760996):
- `OLLAMA_KV_CACHE_TYPE` (`envconfig/config.go:222`) is the KV cache type of every model, K and V
  alike (`llm/llama_server.go:393-396`). Two Ollama routes with different `kv_cache_type`s
  cannot both get theirs.
- `OLLAMA_MAX_LOADED_MODELS` unset keeps 3 models loaded per GPU (`server/sched.go:86, 280-288`);
  more resident routes than that on Ollama are unloaded and reloaded in turn.

This rule reports the second and later Ollama route whose KV cache type is not the first one's,
an Ollama route whose `kv_cache_type_k` and `kv_cache_type_v` differ, and resident Ollama routes
past the third per GPU.

## Why is this bad?
planner sizes each route's KV cache at the type the route asks for; Ollama gives all of them
the server's one type, so the memory and the quality planner reports are not what runs. A
resident route Ollama unloads is loaded again at its next request: the latency resident routes
are meant to avoid.

Settings Ollama does not have are not in planner's config either: people write `OLLAMA_NUM_CTX`,
which no file of Ollama reads (the context is `num_ctx` in the Modelfile, which `planner launch`
writes, or `OLLAMA_CONTEXT_LENGTH`).

## Example
```yaml
inference:
  kv_cache_type: q8_0
routing:
  general: {model: "llama3.2", runtime: ollama}
  small: {model: "llama3.2:1b", runtime: ollama, kv_cache_type: f16}
```

## Fix
Give the Ollama routes one `kv_cache_type` (set it under `inference:`), or serve the route that
needs another on llama.cpp (`runtime: llama.cpp`). Keep at most 3 Ollama routes resident per
GPU, or set `OLLAMA_MAX_LOADED_MODELS` on the Ollama server.
)",
    check_shared_server_settings};

namespace {

const Node* kv_node(const Analysis& a, const ResolvedRoute& r) {
  return r.cfg->kv_cache_type ? r.cfg->kv_cache_type->node : a.config.kv_cache_type.node;
}

void check_shared_server_settings(const Analysis& a, Reporter& out) {
  // The KV cache type: the first route on each shared server sets what the others are compared with.
  std::vector<const ResolvedRoute*> first;
  for (const auto& ra : a.routes) {
    const ResolvedRoute& r = *ra.route;
    if (!r.runtime || !r.runtime->server.shared || !r.runtime->server.global_kv_type) continue;
    const ResolvedRoute* f = nullptr;
    for (const ResolvedRoute* x : first)
      if (x->runtime == r.runtime) f = x;
    if (!f) {
      first.push_back(&r);
      continue;
    }
    if (iequals(f->kv_type, r.kv_type)) continue;
    const Node* at = kv_node(a, r) ? kv_node(a, r) : r.cfg->node;
    auto& d = out.report(kSharedServerSettings, at, value_path(r, kv_node(a, r), "kv_cache_type"),
                         fmt::format("route '{}' asks for a {} KV cache and route '{}' for {}, but both run on one {} "
                                     "server, whose KV cache type is one setting for every model",
                                     shown_value(r.cfg->name), shown_value(r.kv_type), shown_value(f->cfg->name),
                                     shown_value(f->kv_type), r.runtime->name));
    d.help = fmt::format("give the {} routes one kv_cache_type (under inference:), or serve '{}' on llama.cpp",
                         r.runtime->name, shown_value(r.cfg->name));
  }
  // K and V apart: the server has one type for both.
  for (const auto& ra : a.routes) {
    const ResolvedRoute& r = *ra.route;
    if (!r.runtime || !r.runtime->server.global_kv_type) continue;
    if (iequals(r.serving.kv_type_k, r.serving.kv_type_v)) continue;
    const Node* at = r.cfg->kv_cache_type_v ? r.cfg->kv_cache_type_v->node
                     : r.cfg->kv_cache_type_k ? r.cfg->kv_cache_type_k->node
                                              : r.cfg->node;
    auto& d = out.report(kSharedServerSettings, at, route_path(r, r.cfg->kv_cache_type_v ? "kv_cache_type_v" : "kv_cache_type_k"),
                         fmt::format("route '{}' asks for a {} K cache and a {} V cache, but {} sets both from one "
                                     "type (OLLAMA_KV_CACHE_TYPE)",
                                     shown_value(r.cfg->name), shown_value(r.serving.kv_type_k),
                                     shown_value(r.serving.kv_type_v), r.runtime->name));
    d.help = "set kv_cache_type alone, or serve the route on llama.cpp (-ctk / -ctv)";
  }
  // Resident routes past the server's own limit (one GPU or one Apple GPU: planner's configs
  // describe one).
  for (const Runtime* rt : all_runtimes()) {
    if (!rt->server.shared || rt->server.max_loaded_per_gpu <= 0) continue;
    const int limit = rt->server.max_loaded_per_gpu;
    int n = 0;
    for (const auto& res : a.config.resident_routes) {
      const ResolvedRoute* r = a.resolution.route(res.value);
      if (!r || r->runtime != rt) continue;
      if (++n != limit + 1) continue;
      auto& d = out.report(kSharedServerSettings, res.node, "inference.resident_routes",
                           fmt::format("route '{}' is the {}th resident route on {}, which keeps {} models loaded per "
                                       "GPU unless told otherwise: it unloads one of them",
                                       shown_value(res.value), n, rt->name, limit));
      d.help = fmt::format("keep at most {} {} routes resident, or set OLLAMA_MAX_LOADED_MODELS on the server", limit,
                           rt->name);
    }
  }
}

}  // namespace

}  // namespace planner
