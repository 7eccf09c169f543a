// LI054 validation-prompts: no validation suite of the user's own prompts, or one that names
// routes that do not exist.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_validation(const Analysis& a, Reporter& out);
}

extern const Rule kValidationPrompts = {
    "LI054", "validation-prompts", Severity::info,
    "no validation: section (a suite of your own prompts), or one naming routes that do not exist",
    R"(## What it does
Reports a config without a `validation:` section: the run script `planner script` writes then
checks each route with three fixed prompts only, not with the prompts the route will serve. A
`validation.routes` entry that is not a route is a warning.

## Why is this bad?
The seed article's pitfall 5, "Treating Benchmark Scores as Workflow Guarantees": MMLU, HumanEval
and GSM8K measure isolated capabilities, not your prompt formats, system prompts or domain
vocabulary, so "a model scoring 85% on benchmarks may underperform a 78% model on your internal
codebase". Its fix: "run a 10-minute validation suite using your actual prompts, code snippets,
and formatting requirements before committing to a model". With `validation:` the run script
sends your prompts to each route, checks each reply against an expected substring or regular
expression, stops at the time budget and writes latency, tokens/s and pass/fail per prompt to
planner-run.json (`planner plan --measured` compares them with the estimate).

## Example
```yaml
routing:
  code:
    model: qwen2.5-7b-instruct
```

## Fix
```yaml
validation:
  prompts: validation/prompts.jsonl   # {"prompt": "...", "expect": "..."} a line, or plain lines
  time_budget_minutes: 10
```
)",
    check_validation};

namespace {
void check_validation(const Analysis& a, Reporter& out) {
  const Config& c = a.config;
  if (!c.validation) {
    auto& d = out.report(kValidationPrompts, nullptr, "validation",
                         "no validation section: the run script checks each route with three fixed prompts, not "
                         "yours (the seed's pitfall 5: benchmark scores are no workflow guarantee)");
    d.help = "add validation: {prompts: validation/prompts.jsonl}, a 10-minute suite of your own prompts";
    return;
  }
  std::vector<std::string> names;
  for (const auto& r : c.routes) names.push_back(r.name);
  for (const auto& v : c.validation_routes) {
    if (a.route(v.value)) continue;
    auto& d = out.report(kValidationPrompts, Severity::warning, v.node, "validation.routes",
                         fmt::format("'{}' in validation.routes is not a route", shown_value(v.value)));
    if (auto n = nearest(v.value, names); !n.empty()) {
      d.message += fmt::format("; did you mean '{}'?", shown_value(n));
      d.fix = replace_scalar(v.node, n, fmt::format("replace '{}' with '{}'", shown_value(v.value), shown_value(n)),
                             FixSafety::safe);
    }
    std::vector<std::string> shown;
    for (const auto& name : names) shown.push_back(shown_value(name));
    d.help = fmt::format("routes: {}", join(shown, ", "));
  }
}
}  // namespace

}  // namespace planner
