// LI022 mlx-off-apple-silicon: MLX requested on hardware that is not Apple silicon.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check(const Analysis& a, Reporter& out);
}

extern const Rule kMlxOffAppleSilicon = {
    "LI022", "mlx-off-apple-silicon", Severity::error,
    "MLX format on hardware that is not Apple silicon",
    R"(## What it does
Reports `preferred_format: MLX` or a route with `format: MLX` when `hardware.architecture` is
not `apple_silicon`.

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
)",
    check};

namespace {
void check(const Analysis& a, Reporter& out) {
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
}
}  // namespace

}  // namespace planner
