// LI026 runtime-format-mismatch: a route's `runtime:` cannot load the route's file format.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_runtime_format_mismatch(const Analysis& a, Reporter& out);
}

extern const Rule kRuntimeFormatMismatch = {
    "LI026", "runtime-format-mismatch", Severity::error,
    "a route's runtime cannot load the route's format (mlx-lm loads MLX, llama.cpp loads GGUF)",
    R"(## What it does
Each runtime loads certain file formats: mlx-lm serves MLX model directories, llama.cpp
(llama-server) serves GGUF files. This rule reports a route whose `runtime:` cannot load the
format the route gets: from its own `format:`, from the file its `model:` names, or from a
conversion the name designates (`-GGUF`, `-4bit`).

## Why is this bad?
The server named cannot start on that model: mlx_lm.server does not read a .gguf file, and
llama-server does not read safetensors. planner checks the route on the format's own runtime
instead, so the memory figures are not the named runtime's either.

## Example
```yaml
routing:
  code:
    model: ./models/qwen2.5-coder-7b-instruct-q4_k_m.gguf
    runtime: mlx-lm
```

## Fix
Set `runtime:` to one that loads the format (safe when a model file or name decides the format:
planner already checks it that way; unsafe when the route's `format:` does, since the format may
be what is wrong), or change `format:` to one the runtime loads.
)",
    check_runtime_format_mismatch};

namespace {
void check_runtime_format_mismatch(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (!r.cfg->runtime) continue;
    const Runtime* asked = find_runtime(r.cfg->runtime->value);
    if (!asked || asked->loads(r.format)) continue;  // an unknown id is the schema's (LI002)
    const std::string format(to_string(r.format));
    std::string why = fmt::format("its format is {}", format);
    if (r.file) why = fmt::format("its model file is {}", format);
    else if (r.name_format) why = fmt::format("its model name designates a {} conversion", format);
    auto& d = out.report(kRuntimeFormatMismatch, r.cfg->runtime->node, route_path(r, "runtime"),
                         fmt::format("route '{}' says runtime {}, which cannot load {} ({}); planner checks it on {}",
                                     shown_value(r.cfg->name), asked->name, format, why, r.runtime->name));
    const bool format_decided = r.file || r.name_format;  // nothing in the route can change it
    std::string own_format;
    if (!format_decided && !asked->formats.empty()) own_format = std::string(to_string(asked->formats.front()));
    d.help = own_format.empty() ? fmt::format("set runtime: {}", r.runtime->id)
                                : fmt::format("set runtime: {}, or format: {}", r.runtime->id, own_format);
    d.fix = replace_scalar(r.cfg->runtime->node, std::string(r.runtime->id),
                           fmt::format("set runtime: {}", r.runtime->id),
                           format_decided ? FixSafety::safe : FixSafety::unsafe);
  }
}
}  // namespace

}  // namespace planner
