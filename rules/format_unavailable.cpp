// LI023 format-unavailable: no conversion of the model exists in the route's format.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_format_unavailable(const Analysis& a, Reporter& out);
}

extern const Rule kFormatUnavailable = {
    "LI023", "format-unavailable", Severity::warning,
    "no published conversion of the model in the route's format (suggests the fallback format)",
    R"(## What it does
Looks the route's model up in the catalog's list of published conversions (mlx-community
repos for MLX, GGUF repos for llama.cpp) and warns when none exists in the route's format. It
names the fallback format when the model exists there.

## Why is this bad?
The download step fails, or someone has to convert and quantize the model by hand (which needs
the full-precision weights: 2 bytes per parameter of disk and RAM during conversion).

## Example
```yaml
inference: {preferred_format: MLX, fallback_format: GGUF}
routing:
  reasoning: {model: mixtral-8x7b-instruct-v0.1}   # no 4-bit MLX conversion in the catalog
```

## Fix
Use the fallback format on that route (`format: GGUF`), or convert it yourself
(`mlx_lm.convert --hf-path REPO -q`; `convert_hf_to_gguf.py` + `llama-quantize`).
)",
    check_format_unavailable};

namespace {
void check_format_unavailable(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (!r.model || r.model->user_defined) continue;
    if (r.name_format) continue;  // `model:` names a conversion itself (`-GGUF`, `-4bit`): it exists
    if (r.format == Format::safetensors) continue;  // the model's own Hugging Face checkpoint, no conversion
    const auto& have = r.format == Format::mlx ? r.model->mlx : r.model->gguf;
    if (!have.empty()) continue;
    const Format other = r.format == Format::mlx ? Format::gguf : Format::mlx;
    const auto& alt = other == Format::mlx ? r.model->mlx : r.model->gguf;
    const bool other_runs = other == Format::gguf || a.config.apple_silicon();
    auto& d = out.report(kFormatUnavailable, r.format_node ? r.format_node : r.cfg->key,
                         value_path(r, r.format_node, "format"),
                         fmt::format("route '{}': no {} conversion of {} is known", shown_value(r.cfg->name), to_string(r.format),
                                     shown_value(r.model->hf_repo.empty() ? r.model->id : r.model->hf_repo)));
    if (!alt.empty() && other_runs) {
      d.help = fmt::format("use format: {} on this route ({} exists){}", to_string(other), shown_value(alt.front().repo),
                           a.config.fallback_format && a.config.fallback_format->value == other
                               ? ", the config's fallback format"
                               : "");
      if (r.cfg->format)
        d.fix = replace_scalar(r.cfg->format->node, std::string(to_string(other)),
                               fmt::format("set format: {}", to_string(other)), FixSafety::unsafe);
    } else {
      d.help = r.format == Format::mlx ? "convert it yourself: mlx_lm.convert --hf-path " + shown_value(r.model->hf_repo) + " -q"
                                       : "convert it yourself with llama.cpp's convert_hf_to_gguf.py and llama-quantize";
    }
  }
}
}  // namespace

}  // namespace planner
