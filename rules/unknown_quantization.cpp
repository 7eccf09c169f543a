// LI025 unknown-quantization: a quantization name neither llama.cpp nor MLX knows.
#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_unknown_quantization(const Analysis& a, Reporter& out);
}

extern const Rule kUnknownQuantization = {
    "LI025", "unknown-quantization", Severity::error,
    "a quantization name that is neither a llama-quantize type nor an MLX bit width",
    R"(## What it does
Resolves each route's quantization: a llama-quantize type (Q4_K_M, Q5_K_S, Q6_K, Q8_0, IQ4_XS,
F16, ... from llama.cpp's `tools/quantize/quantize.cpp`, in any case: `q4_k_m`), the names files
carry for them (`fp16`, `MXFP4`), an Unsloth dynamic quant (`UD-Q4_K_XL`, `UD-IQ1_S`: sized as
an estimate, see data/quantization.yaml `unsloth_dynamic`), or an MLX width or mode (`4bit`,
`8bit`, `4bit-g32`, `mxfp4`, `bf16`). A GGUF name on an MLX route means MLX's nearest bit width at
group size 64 (Q4_K_M -> 4-bit: 4.5 bits per weight with the scales and biases). Unknown names
are errors with the nearest known name.

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

## Fix safety
Safe when the suggestion is the same name spelt differently (`Q4_KM`, `q4-k-m` -> `Q4_K_M`: only
case, `-`, `_`, `.` or spaces differ). Any other suggestion is a different quantization, with
other files and other sizes (`Q8_K_XL` is not `Q3_K_L`), so that fix is unsafe.
)",
    check_unknown_quantization};

namespace {
// Only case and separators differ: the same quantization written another way.
bool same_spelling(std::string_view a, std::string_view b) {
  auto fold = [](std::string_view s) {
    std::string out;
    for (char c : to_lower(s))
      if (c != '-' && c != '_' && c != '.' && c != ' ') out += c;
    return out;
  };
  return fold(a) == fold(b);
}

void check_unknown_quantization(const Analysis& a, Reporter& out) {
  std::vector<const Node*> seen;
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (r.quant.known) continue;
    if (std::find(seen.begin(), seen.end(), r.quant_node) != seen.end()) continue;  // one report per value
    seen.push_back(r.quant_node);
    const bool hf = r.format == Format::safetensors;  // a vLLM checkpoint: its own names only
    const std::vector<std::string> names = known_quant_names(*a.quant, r.format);
    auto& d = out.report(kUnknownQuantization, r.quant_node, value_path(r, r.quant_node, "quantization"),
                         fmt::format("unknown quantization '{}' for {} routes", shown_value(r.quant_name),
                                     to_string(r.format)));
    // "Q4_K_XL" is unsloth's name without its UD- prefix: that file, before any nearer spelling.
    std::string n = !hf && a.quant->dynamic("UD-" + r.quant_name) ? a.quant->dynamic("UD-" + r.quant_name)->name
                                                                    : nearest(r.quant_name, names);
    if (!n.empty()) {
      d.message += fmt::format("; did you mean '{}'?", n);
      d.fix = same_spelling(r.quant_name, n)
                  ? replace_scalar(r.quant_node, n, fmt::format("replace with '{}'", n), FixSafety::safe)
                  : replace_scalar(r.quant_node, n, fmt::format("replace with '{}', a different quantization", n),
                                   FixSafety::unsafe);
    }
    d.help = hf ? "known for a safetensors checkpoint (vLLM): bf16, fp16, fp8, awq, gptq; a GGUF or MLX name of 16, 8 or "
                  "4 bits means bf16, fp8 or awq"
                : "known: Q4_K_M, Q5_K_M, Q6_K, Q8_0, IQ4_XS, F16, MXFP4, UD-Q4_K_XL ... (GGUF) or 4bit, 8bit, 4bit-g32, "
                  "mxfp4, bf16 (MLX)";
  }
}
}  // namespace

}  // namespace planner
