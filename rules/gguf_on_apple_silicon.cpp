// LI021 gguf-on-apple-silicon: a GGUF route on a Mac when an MLX conversion exists.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_gguf_on_apple_silicon(const Analysis& a, Reporter& out);
}

extern const Rule kGgufOnAppleSilicon = {
    "LI021", "gguf-on-apple-silicon", Severity::warning,
    "GGUF on Apple silicon although an MLX conversion of the model exists",
    R"(## What it does
Warns when a route on `apple_silicon` uses GGUF (llama.cpp) while the catalog knows an MLX
conversion of its model (`planner models` lists them).

## Why is this bad?
MLX is built for unified memory and Metal; the seed article measured GGUF leaving 20-40 % of
decode speed on the table on Apple hardware. GGUF is the right choice only when no MLX
conversion exists, or for a team that must run the same files on Linux.

## Example
```yaml
hardware: {architecture: apple_silicon, total_ram_gb: 16}
routing:
  creative: {model: mistral-7b, format: GGUF}   # mlx-community/Mistral-7B-Instruct-v0.3-4bit exists
```

## Fix
`format: MLX` on the route (unsafe fix: it changes the runtime and the files downloaded).
Suppress with `# planner: ignore[LI021]` when GGUF is deliberate (a cross-platform team).
)",
    check_gguf_on_apple_silicon};

namespace {
void check_gguf_on_apple_silicon(const Analysis& a, Reporter& out) {
  if (!a.config.apple_silicon()) return;
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (r.format != Format::gguf || !r.model || r.model->mlx.empty()) continue;
    auto& d = out.report(kGgufOnAppleSilicon, r.format_node ? r.format_node : r.cfg->key,
                         value_path(r, r.format_node, "format"),
                         fmt::format("route '{}' uses GGUF on Apple silicon, but an MLX conversion exists ({})",
                                     shown_value(r.cfg->name), shown_value(r.model->mlx.front().repo)));
    d.help = "set format: MLX on this route (MLX is native to Metal and unified memory)";
    // A GGUF repo or file named in `model:` stays GGUF whatever `format:` says: name an MLX conversion.
    if (r.cfg->format && !r.name_format) d.fix = replace_scalar(r.cfg->format->node, "MLX", "set format: MLX", FixSafety::unsafe);
  }
}
}  // namespace

}  // namespace planner
