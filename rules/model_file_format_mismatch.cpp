// LI043 model-file-format-mismatch: a route's `format:` contradicts the model file it names.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_model_file_format_mismatch(const Analysis& a, Reporter& out);
}

extern const Rule kModelFileFormatMismatch = {
    "LI043", "model-file-format-mismatch", Severity::warning,
    "a route's format says MLX or GGUF but its model file is the other one",
    R"(## What it does
When a route's `model:` names a file or directory, the file decides the runtime: a `.gguf` file
runs on llama.cpp, an MLX / safetensors directory on mlx-lm. This rule warns when the route's
own `format:` says the other one.

## Why is this bad?
planner checks the route as the file says, but the config tells readers (and the launch
commands, scripts and routers that read it) something else: a route marked MLX that serves a
GGUF file gets llama.cpp's memory and speed, not mlx-lm's.

## Example
```yaml
routing:
  code:
    model: ./models/qwen2.5-coder-7b-instruct-q4_k_m.gguf
    format: MLX
```

## Fix
Set `format:` to the file's format (a safe fix: planner already checks it that way), or point
the route at an MLX conversion.
)",
    check_model_file_format_mismatch};

namespace {
void check_model_file_format_mismatch(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (!r.file || !r.cfg->format || r.cfg->format->value == r.format) continue;
    const std::string actual(to_string(r.format));
    auto& d = out.report(kModelFileFormatMismatch, r.cfg->format->node, route_path(r, "format"),
                         fmt::format("route '{}' says format {} but its model '{}' is {}, so it runs on {}",
                                     shown_value(r.cfg->name), to_string(r.cfg->format->value),
                                     shown_value(r.cfg->model.value), shown_value(r.file->format),
                                     r.runtime->name));
    d.help = fmt::format("set format: {}", actual);
    d.fix = replace_scalar(r.cfg->format->node, actual, "set format: " + actual, FixSafety::safe);
  }
}
}  // namespace

}  // namespace planner
