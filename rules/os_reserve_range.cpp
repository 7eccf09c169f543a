// LI010 os-reserve-range: the OS reserve outside the seed's 20-25 %.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
// The seed article, Step 1: "Reserve 20-25% for system overhead and active workflows."
constexpr double kOsLow = 20, kOsHigh = 25;

void check_os_reserve_range(const Analysis& a, Reporter& out);
}  // namespace

extern const Rule kOsReserveRange = {
    "LI010", "os-reserve-range", Severity::warning,
    "hardware.os_reserve_percent outside 20-25 %",
    R"(## What it does
Warns when `hardware.os_reserve_percent` is below 20 or above 25.

## Why is this bad?
Unified memory is shared by the OS, the apps you keep open and the inference engine. Below 20 %
the OS and your editor/browser get squeezed and macOS starts compressing and swapping; above
25 % you leave memory idle that could hold a larger context or a better quantization.

## Example
```yaml
hardware:
  total_ram_gb: 16
  os_reserve_percent: 10     # 1.6 GiB for macOS and every open app
```

## Fix
Use 20-25 (the seed's default is 22). Unsafe fix: it changes the budget every route is checked
against.
)",
    check_os_reserve_range};

namespace {
void check_os_reserve_range(const Analysis& a, Reporter& out) {
  const auto& r = a.config.os_reserve_percent;
  if (r.is_default() || (r.value >= kOsLow && r.value <= kOsHigh)) return;
  auto& d = out.report(kOsReserveRange, r.node, "hardware.os_reserve_percent",
                       fmt::format("OS reserve of {}% is outside the recommended 20-25%: {} of {} RAM {}",
                                   shown_value(r.node->text),
                                   gib(a.budget.os_reserve_bytes), gib(a.budget.ram_bytes),
                                   r.value < kOsLow ? "is left for the OS and your apps, which will push macOS into swap"
                                                  : "is held back from the models"));
  d.help = "set os_reserve_percent between 20 and 25 (22 is the seed's default)";
  d.fix = replace_scalar(r.node, "22", "set os_reserve_percent to 22", FixSafety::unsafe);
}
}  // namespace

}  // namespace planner
