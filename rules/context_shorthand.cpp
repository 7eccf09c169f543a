// LI053 context-shorthand: a context size written "32k" / "128K" where planner and the runtimes
// need the number of tokens.
#include <fmt/format.h>

#include "core/context_size.h"
#include "core/text.h"
#include "rules/rule.h"
#include "validate/schema_check.h"

namespace planner {

namespace {
void check_context_shorthand(const Analysis& a, Reporter& out);
}

extern const Rule kContextShorthand = {
    "LI053", "context-shorthand", Severity::error,
    "a context size written as 32k / 128K instead of the number of tokens",
    R"(## What it does
Finds `max_context_tokens` (in `inference:` or on a route) written the way model cards and
people say it, `32k`, `128K`, `1m`, and says the number to write: k = 1024 tokens, m = 1024 k, as
llama.cpp and the model cards count them (Llama 3.1's "128K" context is 131072 tokens;
Qwen2.5-Coder's 32,768-token config is its "32K", and YaRN factor 4 makes it "128K").

## Why is this bad?
The runtimes take a number of tokens (`llama-server -c 32768`), and the schema of this format
wants an integer. planner estimates the route with the tokens the shorthand means, but the file
is not valid until the number is written out.

## Example
```yaml
inference:
  max_context_tokens: 32k
```

## Use instead
```yaml
inference:
  max_context_tokens: 32768
```

## Fix safety
Safe: the number is exactly what the shorthand means (32k = 32 x 1024 = 32768), nothing else in
the file changes. No fix when the number is above the format's maximum (16777216 tokens).

## Source
k = 1024: data/models.yaml (Llama-3.1 context_trained 131072 for its "128K");
QwenLM/Qwen2.5-Coder:README.md@d5ead97 (32,768 tokens; YaRN factor 4 for 128K).
)",
    check_context_shorthand};

namespace {

// The bytes of a quoted scalar ("32k" or '32k') when the source holds exactly them; replace_scalar
// keeps plain scalars only.
std::optional<Fix> replace_value(const Document& doc, const Node* n, std::string text, std::string title) {
  if (auto f = replace_scalar(n, text, title, FixSafety::safe)) return f;
  if (!n || n->alias || n->plain || n->offset >= doc.text.size()) return std::nullopt;
  const char q = doc.text[n->offset];
  const std::string quoted = q + n->text + q;
  if ((q != '"' && q != '\'') || doc.text.compare(n->offset, quoted.size(), quoted) != 0) return std::nullopt;
  return Fix{std::move(title), FixSafety::safe, {{n->offset, n->offset + quoted.size(), std::move(text)}}};
}

void report(const Analysis& a, Reporter& out, const Node* map, std::string path, std::string_view schema) {
  const Node* n = map && map->is_map() ? map->get("max_context_tokens") : nullptr;
  if (!n || !n->is_string()) return;
  const auto tokens = context_shorthand(n->text);
  if (!tokens) return;
  const std::string shown = shown_value(n->text);
  if (!within_schema_range(schema, "max_context_tokens", static_cast<double>(*tokens))) {
    out.report(kContextShorthand, n, path,
               fmt::format("{}: '{}' would be {} tokens, above the maximum of 16777216; write the number of tokens",
                           shown_value(path), shown, *tokens));
    return;
  }
  auto& d = out.report(kContextShorthand, n, path,
                       fmt::format("{}: '{}' is not a number of tokens; write {} (k = 1024 tokens)", shown_value(path),
                                   shown, *tokens));
  d.help = fmt::format("max_context_tokens: {}", *tokens);
  d.fix = replace_value(*a.doc, n, std::to_string(*tokens), fmt::format("write {}", *tokens));
}

void check_context_shorthand(const Analysis& a, Reporter& out) {
  report(a, out, a.config.inference, "inference.max_context_tokens", "/properties/inference");
  // Every route of the document, also one the config stage skipped (no model): the schema stage
  // leaves its shorthand to this rule.
  if (const Node* routing = a.config.routing)
    for (std::size_t i = 0; i < routing->keys.size(); ++i)
      report(a, out, &routing->values[i], fmt::format("routing.{}.max_context_tokens", routing->keys[i].text),
             "/definitions/route");
}

}  // namespace

}  // namespace planner
