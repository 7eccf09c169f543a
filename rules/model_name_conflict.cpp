// LI052 model-name-conflict: the model's name carries a quantization or format that the route's
// own `quantization:` / `format:` contradicts.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_model_name_conflict(const Analysis& a, Reporter& out);
}

extern const Rule kModelNameConflict = {
    "LI052", "model-name-conflict", Severity::warning,
    "a route's quantization or format contradicts the one its model's name carries",
    R"(## What it does
Some model names say which file they are: `Qwen3-14B-Q4_K_M.gguf`, `llama3.1:8b-instruct-q8_0`,
`unsloth/Qwen3-14B-GGUF:Q5_K_M` name one quantization; `mlx-community/Qwen3-8B-4bit` is an MLX
4-bit model and `bartowski/Qwen_Qwen3-8B-GGUF` a set of GGUF files. The name decides what is
downloaded and served, so planner checks the route with the name's quantization and format. This
rule warns when the route's own `quantization:` or `format:` says another one.

## Why is this bad?
The config says two things. planner sizes what the name says, but a reader, a router or a
script reading `quantization: Q8_0` expects twice the memory of the Q4_K_M file the name
downloads, or a llama.cpp server for an MLX repo.

## Example
```yaml
routing:
  code:
    model: Qwen3-8B-Q4_K_M.gguf
    quantization: Q8_0
```

## Fix
Set the route's `quantization:` or `format:` to the name's (a safe fix: planner already checks
it that way), or name the file or repo of the quantization you mean.
)",
    check_model_name_conflict};

namespace {
void check_model_name_conflict(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    const RouteConfig& rc = *r.cfg;
    if (r.name_format && rc.format && rc.format->value != *r.name_format) {
      const std::string name_format(to_string(*r.name_format));
      auto& d = out.report(kModelNameConflict, rc.format->node, route_path(r, "format"),
                           fmt::format("route '{}' says format {} but its model '{}' is {}; planner checks it as {}",
                                       shown_value(rc.name), to_string(rc.format->value), shown_value(rc.model.value),
                                       *r.name_format == Format::mlx ? "an MLX conversion" : "GGUF", name_format));
      d.help = fmt::format("set format: {}", name_format);
      d.fix = replace_scalar(rc.format->node, name_format, "set format: " + name_format, FixSafety::safe);
    }
    if (r.name_quant.empty() || !rc.quantization) continue;
    const WeightQuant own = resolve_quant(*a.quant, rc.quantization->value, r.format);
    if (own.known ? own.label == r.quant.label : iequals(rc.quantization->value, r.name_quant)) continue;
    auto& d = out.report(kModelNameConflict, rc.quantization->node, route_path(r, "quantization"),
                         fmt::format("route '{}' says quantization {} but its model '{}' is {}; planner checks {}",
                                     shown_value(rc.name), shown_value(rc.quantization->value),
                                     shown_value(rc.model.value), shown_value(r.name_quant), shown_value(r.quant.label)));
    d.help = fmt::format("set quantization: {}, or name the {} file", shown_value(r.name_quant),
                         shown_value(rc.quantization->value));
    d.fix = replace_scalar(rc.quantization->node, r.name_quant, "set quantization: " + r.name_quant, FixSafety::safe);
  }
}
}  // namespace

}  // namespace planner
