// LI022 mlx-off-apple-silicon: MLX requested on hardware that is not Apple silicon.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_mlx_off_apple_silicon(const Analysis& a, Reporter& out);
}

extern const Rule kMlxOffAppleSilicon = {
    "LI022", "mlx-off-apple-silicon", Severity::error,
    "MLX format on hardware that is not Apple silicon",
    R"(## What it does
Reports `preferred_format: MLX`, a route with `format: MLX`, or a route whose model is named as
an MLX conversion (`mlx-community/X-4bit`, `org/X-MLX-8bit`) when `hardware.architecture` is not
`apple_silicon`.

## Why is this bad?
mlx-lm runs on Apple silicon through Metal (its CUDA and CPU back ends are not what the MLX
conversions on the Hub are built and tested for). On Linux/NVIDIA the route would not start.

## Example
```yaml
hardware: {architecture: linux_nvidia, total_ram_gb: 64, gpu_vram_gb: 24}
inference: {preferred_format: MLX}
```

## Fix
Use GGUF (llama.cpp) there: `preferred_format: GGUF` (unsafe fix: other files, other runtime).
A route that names an MLX conversion gets no fix: name a GGUF conversion of the same model.
)",
    check_mlx_off_apple_silicon};

namespace {
void check_mlx_off_apple_silicon(const Analysis& a, Reporter& out) {
  if (!a.config.architecture || a.config.apple_silicon()) return;
  const std::string arch = shown_value(a.config.architecture->value);
  if (a.config.preferred_format && a.config.preferred_format->value == Format::mlx) {
    auto& d = out.report(kMlxOffAppleSilicon, a.config.preferred_format->node, "inference.preferred_format",
                         fmt::format("preferred_format MLX needs Apple silicon; this machine is {}", arch));
    d.help = "use GGUF (llama.cpp) on this machine";
    d.fix = replace_scalar(a.config.preferred_format->node, "GGUF", "set preferred_format: GGUF", FixSafety::unsafe);
  }
  for (const auto& rc : a.config.routes) {
    if (!rc.format || rc.format->value != Format::mlx) continue;
    auto& d = out.report(kMlxOffAppleSilicon, rc.format->node, "routing." + rc.name + ".format",
                         fmt::format("route '{}' uses MLX, which needs Apple silicon; this machine is {}", shown_value(rc.name),
                                     arch));
    d.help = "use format: GGUF on this route";
    d.fix = replace_scalar(rc.format->node, "GGUF", "set format: GGUF", FixSafety::unsafe);
  }
  // A model named as an MLX conversion (`mlx-community/X-4bit`) is MLX whatever `format:` says; no
  // fix: another model name is the user's choice (a GGUF conversion of the same model).
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (r.name_format != Format::mlx || (r.cfg->format && r.cfg->format->value == Format::mlx)) continue;  // said above
    auto& d = out.report(kMlxOffAppleSilicon, r.cfg->model.node, route_path(r, "model"),
                         fmt::format("route '{}' names an MLX conversion ('{}'), which needs Apple silicon; this machine is {}",
                                     shown_value(r.cfg->name), shown_value(r.cfg->model.value), arch));
    d.help = "name a GGUF conversion of the model (`planner models` lists them)";
  }
}
}  // namespace

}  // namespace planner
