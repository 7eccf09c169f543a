// LI025 unknown-quantization: a quantization name neither llama.cpp nor MLX knows.
#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check(const Analysis& a, Reporter& out);
}

extern const Rule kUnknownQuantization = {
    "LI025", "unknown-quantization", Severity::error,
    "a quantization name that is neither a llama-quantize type nor an MLX bit width",
    R"(## What it does
Resolves each route's quantization: a llama-quantize type (Q4_K_M, Q5_K_S, Q6_K, Q8_0, IQ4_XS,
F16, ... from llama.cpp's `tools/quantize/quantize.cpp`) or an MLX width (`4bit`, `8bit`,
`4bit-g32`). A GGUF name on an MLX route means MLX's nearest bit width at group size 64
(Q4_K_M -> 4-bit: 4.5 bits per weight with the scales and biases). Unknown names are errors with
the nearest known name.

## Why is this bad?
`Q4_KM` or `q4-k-m` is not a file anyone publishes; the download or quantize step fails, and
no memory estimate is possible.

## Example
```yaml
inference:
  quantization: Q4_KM
```

## Fix
Use the suggested name.
)",
    check};

namespace {
void check(const Analysis& a, Reporter& out) {
  std::vector<const Node*> seen;
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (r.quant.known) continue;
    if (std::find(seen.begin(), seen.end(), r.quant_node) != seen.end()) continue;  // one report per value
    seen.push_back(r.quant_node);
    auto names = a.quant->recipe_names();
    names.push_back("4bit");
    names.push_back("8bit");
    auto& d = out.report(kUnknownQuantization, r.quant_node, value_path(r, r.quant_node, "quantization"),
                         fmt::format("unknown quantization '{}' for {} routes", shown_value(r.quant_name),
                                     to_string(r.format)));
    if (auto n = nearest(r.quant_name, names); !n.empty()) {
      d.message += fmt::format("; did you mean '{}'?", n);
      d.fix = replace_scalar(r.quant_node, n, fmt::format("replace with '{}'", n), FixSafety::safe);
    }
    d.help = "known: Q4_K_M, Q5_K_M, Q6_K, Q8_0, IQ4_XS, F16 ... (GGUF) or 4bit, 8bit, 4bit-g32 (MLX)";
  }
}
}  // namespace

}  // namespace planner
