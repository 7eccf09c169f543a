// LI041 seed-model-name: a model name from the seed article that is not a real model.
#include <fmt/format.h>

#include "core/text.h"
#include "resolve/model_name.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_seed_model_name(const Analysis& a, Reporter& out);
}

extern const Rule kSeedModelName = {
    "LI041", "seed-model-name", Severity::warning,
    "a model name from the seed article that names no real model (mapped to the real one)",
    R"(## What it does
The article this format comes from names models that do not exist: `deepseek-coder-v2-7b`
(DeepSeek-Coder-V2 has no 7B: the Lite model is a 16B Mixture-of-Experts with 2.4B active),
`qwen3.5-8b` and `qwen3.5-72b` (Qwen3.5 comes in 0.8B, 2B, 4B, 9B, 27B, 35B-A3B, 122B-A10B and
397B-A17B). planner maps each to the model it most likely means, checks that one, and says so.

## Why is this bad?
Nobody can download a model that does not exist, and the sizes the article derived from the
wrong name are wrong: the "7B" coder needs the memory of a 16B model.

## Example
```yaml
routing:
  code: {model: deepseek-coder-v2-7b, min_ram_gb: 12}
```

## Fix
Name the model you mean. planner writes no fix here: the seed's name is not a spelling of the
model it assumed (`qwen3.5-8b` is not Qwen3.5-9B, whatever the nearest size), and a fix never
replaces one model by another. A name that is only another spelling of its model would get a
safe fix.
)",
    check_seed_model_name};

namespace {
void check_seed_model_name(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (!r.seed || r.seed->real) continue;
    const ModelInfo* real = a.catalog->find(r.seed->maps_to);
    std::string target = real ? model_label(*real) : r.seed->maps_to;
    auto& d = out.report(kSeedModelName, r.cfg->model.node, route_path(r, "model"),
                         fmt::format("'{}' is not a real model: {}; planner checks it as {}", shown_value(r.cfg->model.value),
                                     r.seed->reason, target));
    if (!real) continue;
    d.help = fmt::format("write the model you mean; planner assumed {}", real->id);
    // A fix never swaps in another model: only another spelling of the same one is written.
    if (spells_model(*real, r.cfg->model.value))
      d.fix = replace_scalar(r.cfg->model.node, real->id, fmt::format("replace with '{}'", real->id), FixSafety::safe);
  }
}
}  // namespace

}  // namespace planner
