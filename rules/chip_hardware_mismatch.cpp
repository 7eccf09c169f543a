// LI061 chip-hardware-mismatch: hardware.chip contradicts total_ram_gb or architecture.
#include <fmt/format.h>

#include <cmath>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check(const Analysis& a, Reporter& out);

// "36 GB", "48, 64 or 128 GB": the RAM sizes an entry is sold with.
std::string sizes(const ChipInfo& c) {
  std::vector<std::string> v;
  for (double gb : c.ram_gb) v.push_back(fmt::format("{:g}", gb));
  if (v.empty()) return c.ram_gb_max > 0 ? fmt::format("up to {:g} GB", c.ram_gb_max) : "sizes not known";
  std::string last = v.back();
  v.pop_back();
  return (v.empty() ? last : join(v, ", ") + " or " + last) + " GB";
}
}  // namespace

extern const Rule kChipHardwareMismatch = {
    "LI061", "chip-hardware-mismatch", Severity::warning,
    "hardware.chip is not sold with total_ram_gb, or is not of the architecture",
    R"(## What it does
Warns when `hardware.chip` names an Apple chip (or GPU-core variant) that is not sold with
`hardware.total_ram_gb` of RAM (`data/hardware.yaml` `ram_gb`, from Apple's pages, cited there),
and when the chip is of another platform than `hardware.architecture` (an NVIDIA GPU on
`apple_silicon`, an Apple chip on `linux_nvidia`). RAM sizes the table lists as unconfirmed
(`ram_gb_unverified`) draw no finding.

## Why is this bad?
The chip's RAM picks its variant: an M4 Max with 36 GB has the 32-core GPU (410 GB/s), one with
48 GB or more the 40-core GPU (546 GB/s). A RAM no variant is sold with means one of the two
values is a typo, and the speed estimate and the budget rest on both.

## Example
```yaml
hardware:
  total_ram_gb: 16
  architecture: apple_silicon
  chip: M3 Pro            # sold with 18 or 36 GB
```

## Fix
Correct `total_ram_gb` (the RAM as sold) or `chip` (with the GPU cores where it has variants:
`M4 Max 40-core`).
)",
    check};

namespace {
void check(const Analysis& a, Reporter& out) {
  const auto& cfg = a.config;
  if (!cfg.chip || !a.chip || !cfg.architecture) return;
  const std::string name = shown_value(cfg.chip->value);
  const ChipInfo& c = *a.chip;
  if (c.apple != cfg.apple_silicon()) {
    auto& d = out.report(kChipHardwareMismatch, cfg.chip->node, "hardware.chip",
                         c.apple ? fmt::format("hardware.chip '{}' is an Apple chip, but hardware.architecture is {}",
                                               name, shown_value(cfg.architecture->value))
                                 : fmt::format("hardware.chip '{}' is an NVIDIA GPU, but hardware.architecture is "
                                               "apple_silicon: its VRAM is not checked",
                                               name));
    d.help = "correct hardware.architecture or hardware.chip";
    return;
  }
  if (a.chip_match.status != ChipMatch::Status::ram_mismatch || !cfg.total_ram_gb) return;
  std::vector<std::string> offers;
  for (const ChipInfo* v : a.chip_match.variants) offers.push_back(fmt::format("{} with {}", v->label, sizes(*v)));
  auto& d = out.report(kChipHardwareMismatch, cfg.chip->node, "hardware.chip",
                       fmt::format("hardware.chip '{}' is not sold with {:g} GB of RAM (data/hardware.yaml: {}); the "
                                   "estimates assume {}",
                                   name, cfg.total_ram_gb->value, join(offers, "; "), c.label));
  d.help = "correct hardware.total_ram_gb (the RAM as sold) or hardware.chip";
}
}  // namespace

}  // namespace planner
