// LI050 memory-pressure-monitoring: monitoring missing, threshold above 0.75, unknown action.
#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
// The seed article, Pitfall 6: act "when pressure exceeds 75%".
constexpr double kMaxThreshold = 0.75;
const std::vector<std::string> kActions = {"truncate_context", "downgrade_model", "unload_model", "notify"};
void check_monitoring(const Analysis& a, Reporter& out);
}  // namespace

extern const Rule kMonitoring = {
    "LI050", "memory-pressure-monitoring", Severity::warning,
    "memory-pressure monitoring missing, threshold above 0.75, or an unknown action",
    R"(## What it does
Checks the `monitoring:` section: it must exist, `memory_pressure_threshold` must be set and at
most 0.75, and `action_on_threshold` must be one of `truncate_context`, `downgrade_model`,
`unload_model`, `notify`.

## Why is this bad?
Once macOS memory pressure turns yellow or red it compresses and swaps, and token latency
becomes unpredictable. Acting at 75 % leaves time to truncate the context or switch to a smaller
model before that. An action no tool implements is no action.

## Example
```yaml
monitoring:
  memory_pressure_threshold: 0.9
  action_on_threshold: restart
```

## Fix
```yaml
monitoring:
  memory_pressure_threshold: 0.75
  action_on_threshold: truncate_context
```
)",
    check_monitoring};

namespace {
void check_monitoring(const Analysis& a, Reporter& out) {
  const auto& c = a.config;
  if (!c.monitoring) {
    auto& d = out.report(kMonitoring, nullptr, "monitoring",
                         "no monitoring section: nothing watches memory pressure while models run");
    d.help = "add monitoring: {memory_pressure_threshold: 0.75, action_on_threshold: truncate_context}";
    return;
  }
  const Node* section = a.doc->root.key_node("monitoring");
  // A key present with a wrong type was reported by the schema stage (LI002): it is not missing.
  const bool threshold_written = c.monitoring->get("memory_pressure_threshold") != nullptr;
  const bool action_written = c.monitoring->get("action_on_threshold") != nullptr;
  if (!c.memory_pressure_threshold && !threshold_written) {
    auto& d = out.report(kMonitoring, section, "monitoring.memory_pressure_threshold",
                         "monitoring has no memory_pressure_threshold");
    d.help = "add memory_pressure_threshold: 0.75";
  } else if (c.memory_pressure_threshold && c.memory_pressure_threshold->value > kMaxThreshold) {
    const Node* n = c.memory_pressure_threshold->node;
    auto& d = out.report(kMonitoring, n, "monitoring.memory_pressure_threshold",
                         fmt::format("memory_pressure_threshold {} acts only once memory pressure passes {:g}%; "
                                     "above 75% macOS is already compressing and swapping",
                                     shown_value(n->text), c.memory_pressure_threshold->value * 100));
    d.help = "set memory_pressure_threshold: 0.75 or lower";
    d.fix = replace_scalar(n, "0.75", "set memory_pressure_threshold to 0.75", FixSafety::unsafe);
  }
  if (!c.action_on_threshold && !action_written) {
    auto& d = out.report(kMonitoring, section, "monitoring.action_on_threshold", "monitoring has no action_on_threshold");
    d.help = "add action_on_threshold: truncate_context";
  } else if (c.action_on_threshold &&
             std::find(kActions.begin(), kActions.end(), c.action_on_threshold->value) == kActions.end()) {
    const Node* n = c.action_on_threshold->node;
    auto& d = out.report(kMonitoring, n, "monitoring.action_on_threshold",
                         fmt::format("unknown action_on_threshold '{}'", shown_value(n->text)));
    if (auto near = nearest(n->text, kActions); !near.empty()) {
      d.message += fmt::format("; did you mean '{}'?", near);
      d.fix = replace_scalar(n, near, fmt::format("replace with '{}'", near), FixSafety::safe);
    }
    d.help = "actions: " + join(kActions, ", ");
  }
}
}  // namespace

}  // namespace planner
