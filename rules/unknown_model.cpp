// LI040 unknown-model: a model name that is not in the catalog nor under `models:`.
#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check(const Analysis& a, Reporter& out);
}

extern const Rule kUnknownModel = {
    "LI040", "unknown-model", Severity::error,
    "a route's model is not in the catalog and not defined under models:",
    R"(## What it does
Looks each route's model up by catalog id, alias or Hugging Face repo id (`planner models`
lists them), then under the config's own `models:` section. Unknown names are errors with the
nearest known names.

## Why is this bad?
Without the model's architecture nothing can be sized: not the weights, not the KV cache. A
typo in a model name also means a failed download later.

## Example
```yaml
routing:
  code: {model: qwen-coder-7b}
```

## Fix
Use a catalog name (the message suggests the nearest), or describe the model under `models:`
with numbers from its config.json:

```yaml
models:
  my-finetune-7b: {params_b: 7.62, layers: 28, kv_heads: 4, head_dim: 128, context_trained: 32768}
```
)",
    check};

namespace {
void check(const Analysis& a, Reporter& out) {
  const auto names = a.catalog->all_names();
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (r.model || !r.file_error.empty()) continue;  // an unreadable path is LI042's finding
    // Declared under models: but incomplete or out of range: the schema stage said what is wrong.
    if (a.config.models_node && a.config.models_node->get(r.cfg->model.value)) continue;
    auto& d = out.report(kUnknownModel, r.cfg->model.node, route_path(r, "model"),
                         fmt::format("unknown model '{}'", shown_value(r.cfg->model.value)));
    // One suggestion per model: aliases of the same model are not alternatives.
    auto model_of = [&](const std::string& n) -> const ModelInfo* {
      if (const ModelInfo* m = a.catalog->find(n)) return m;
      const SeedName* s = a.catalog->seed_name(n);
      return s ? a.catalog->find(s->maps_to) : nullptr;
    };
    std::vector<std::string> near;
    std::vector<const ModelInfo*> taken;
    for (const auto& n : nearest_n(r.cfg->model.value, names, 12)) {
      const ModelInfo* m = model_of(n);
      if (m && std::find(taken.begin(), taken.end(), m) != taken.end()) continue;
      taken.push_back(m);
      near.push_back(n);
      if (near.size() == 3) break;
    }
    if (!near.empty()) {
      d.message += fmt::format("; did you mean {}?", "'" + join(near, "', '") + "'");
      d.fix = replace_scalar(r.cfg->model.node, near.front(), fmt::format("replace with '{}'", near.front()),
                             FixSafety::unsafe);
    }
    d.help = "`planner models` lists known models; describe others under `models:` (see `planner explain LI040`)";
  }
}
}  // namespace

}  // namespace planner
