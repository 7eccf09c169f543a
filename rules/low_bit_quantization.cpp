// LI020 low-bit-quantization: Q2/Q3 for code or reasoning (error), elsewhere (warning).
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_low_bit_quantization(const Analysis& a, Reporter& out);
}

extern const Rule kLowBitQuantization = {
    "LI020", "low-bit-quantization", Severity::error,
    "2- or 3-bit quantization: an error for code and reasoning routes, a warning elsewhere",
    R"(## What it does
Reads each route's quantization as its runtime stores it (GGUF recipe, or MLX bits) and its
task (`task:`, or the route's name: code, reasoning, quick_qa, creative, general). Below 4 bits
is an error for code and reasoning and a warning for other tasks (data/quantization.yaml,
`task_policy`).

## Why is this bad?
Aggressive quantization strips precision from the weight matrices. Code and multi-step
reasoning are the first to break: syntax errors, wrong logic, hallucinated APIs. llama.cpp's own
perplexity table shows the cliff: Q3_K_M adds several times the loss of Q4_K_M.

## Example
```yaml
routing:
  code:
    model: qwen2.5-7b-instruct
    quantization: Q3_K_M
```

## Fix
Q4_K_M (MLX 4-bit) or higher for code and reasoning; if it does not fit, a smaller model at 4
bits beats a larger one at 3. `planner fix --unsafe-fixes` sets the route's `quantization` to the
task's recommended type (`4bit` where the route names MLX bits); check then says whether it fits.
)",
    check_low_bit_quantization};

namespace {
void check_low_bit_quantization(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (!r.quant.known) continue;
    const TaskPolicy* p = a.quant->policy(r.task);
    if (!p) p = a.quant->policy("default");
    const int min_bits = p ? p->min_bits : 4;
    if (r.quant.bits_class >= min_bits) continue;
    const bool strict = p && p->error_below;
    const std::string rec = p && !p->recommended.empty() ? p->recommended : "Q4_K_M";
    auto& d = out.report(kLowBitQuantization, strict ? Severity::error : Severity::warning, r.quant_node,
                         value_path(r, r.quant_node, "quantization"),
                         fmt::format("route '{}' ({} task) uses {} ({}-bit class){}", shown_value(r.cfg->name),
                                     shown_value(r.task), shown_value(r.quant.label),
                                     r.quant.bits_class,
                                     strict ? ": below 4 bits breaks code and reasoning (syntax errors, broken logic)"
                                            : ": below 4 bits loses quality noticeably"));
    d.help = fmt::format("use {} or higher for this route", r.format == Format::mlx ? "4-bit MLX (Q4_K_M)" : rec);
    // Unsafe: more bits need more memory; check runs again on the result and says if it no longer fits.
    const std::string to = r.format == Format::mlx && parse_mlx_name(r.quant.requested) ? "4bit" : rec;
    if (r.quant_node == r.cfg->model.node) continue;  // the model's name sets it: a `quantization:` would not
    d.fix = set_route_key(*a.doc, *r.cfg, "quantization", to, fmt::format("set quantization: {} on route '{}'", to, shown_value(r.cfg->name)),
                          FixSafety::unsafe);
  }
}
}  // namespace

}  // namespace planner
