// LI024 fallback-format: fallback_format missing, or equal to preferred_format.
#include <fmt/format.h>

#include "rules/rule.h"

namespace planner {

namespace {
void check_fallback_format(const Analysis& a, Reporter& out);
}

extern const Rule kFallbackFormat = {
    "LI024", "fallback-format", Severity::warning,
    "inference.fallback_format is missing or the same as preferred_format",
    R"(## What it does
Warns when `inference.fallback_format` is absent, or names the same format as
`preferred_format`.

## Why is this bad?
The seed's rule is "MLX first, fall back to GGUF when the model or quantization is not
available in MLX". Without a distinct fallback, a route whose model has no conversion in the
preferred format has nowhere to go.

## Example
```yaml
inference:
  preferred_format: MLX
  fallback_format: MLX
```

## Fix
On Apple silicon: `preferred_format: MLX`, `fallback_format: GGUF`. Elsewhere GGUF is the only
format; a fallback is then moot, so this rule stays quiet off Apple silicon when GGUF is
preferred.
)",
    check_fallback_format};

namespace {
void check_fallback_format(const Analysis& a, Reporter& out) {
  const auto& c = a.config;
  if (!c.preferred_format) return;
  const bool apple = c.apple_silicon();
  if (!c.fallback_format) {
    if (!apple && c.preferred_format->value == Format::gguf) return;  // GGUF is the only choice there
    const Node* at = c.inference ? c.inference->key_node("preferred_format") : nullptr;
    auto& d = out.report(kFallbackFormat, at, "inference",
                         fmt::format("no fallback_format: routes whose model has no {} conversion have nowhere to go",
                                     to_string(c.preferred_format->value)));
    d.help = fmt::format("add fallback_format: {}", c.preferred_format->value == Format::mlx ? "GGUF" : "MLX");
    return;
  }
  if (c.fallback_format->value == c.preferred_format->value) {
    const std::string other = c.preferred_format->value == Format::mlx ? "GGUF" : "MLX";
    auto& d = out.report(kFallbackFormat, c.fallback_format->node, "inference.fallback_format",
                         fmt::format("fallback_format is the same as preferred_format ({}): it is no fallback",
                                     to_string(c.preferred_format->value)));
    d.help = fmt::format("set fallback_format: {}", other);
    if (apple || other == "GGUF")
      d.fix = replace_scalar(c.fallback_format->node, other, "set fallback_format: " + other, FixSafety::safe);
  }
}
}  // namespace

}  // namespace planner
