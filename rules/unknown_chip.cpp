// LI060 unknown-chip: hardware.chip names no data/hardware.yaml entry, or fits several variants.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_unknown_chip(const Analysis& a, Reporter& out);
}

extern const Rule kUnknownChip = {
    "LI060", "unknown-chip", Severity::warning,
    "hardware.chip is not in data/hardware.yaml, or does not say which variant it is",
    R"(## What it does
Matches `hardware.chip` to `data/hardware.yaml` the way people write names: any case and
spacing, with or without the brand (`4090`, `RTX 4090`, `GeForce RTX 4090`, nvidia-smi's
`NVIDIA GeForce RTX 4090`, `Apple M4 Pro`, `m4max`), with the VRAM (`RTX 4090 24GB`) or the GPU
cores (`M4 Max 40-core`, `M4 Max (40-core GPU)`, `M4 Max 16-CPU/40-GPU`). An Apple chip without
its GPU cores is the variant its `total_ram_gb` is sold with (LI061 when none is).

The same holds for each `chip` of `hardware.gpus` (several GPUs in one host).

Warns when the name matches no entry, listing the closest known names; and when it fits several
variants that differ in VRAM, or names a GPU the table lists by its VRAM (`RTX 3060 12GB`)
without the VRAM. Then the VRAM check uses the smallest variant and says so. Reports at info
level when only the tokens/s estimate depends on the variant (`H100`: PCIe or SXM, both 80 GB),
or when `hardware.gpu_vram_gb` gives the VRAM.

## Why is this bad?
Without a known GPU planner knows no VRAM: a route of 18.6 GiB would pass on a 12 GB card, and
llama.cpp would then keep layers on the CPU, several times slower. A guessed variant can be the
wrong one (an 8 GB card checked as the 16 GB one).

## Example
```yaml
hardware:
  total_ram_gb: 64
  architecture: linux_nvidia
  chip: RTX 4080          # not in data/hardware.yaml: no VRAM to check against
```

## Fix
Write one of the names the message lists, with the VRAM where the table has it in the name
(`RTX 4060 Ti 16GB`), or set `hardware.gpu_vram_gb` (nvidia-smi's memory.total MiB / 1024),
which always wins over the chip's figure.
)",
    check_unknown_chip};

namespace {

// One chip name (hardware.chip, or one entry of hardware.gpus, `key` naming it) and its match.
void check_chip(const Analysis& a, Reporter& out, const Located<std::string>& chip, const ChipMatch& m,
                bool vram_given, const std::string& key, bool speed) {
  const auto& cfg = a.config;
  const std::string name = shown_value(chip.value);
  if (m.status == ChipMatch::Status::unknown) {
    const bool gpu = !cfg.apple_silicon();
    std::string consequence = gpu && !vram_given ? (speed ? "the VRAM is not checked and no tokens/s is estimated"
                                                          : "its VRAM is not checked")
                                                 : speed ? "no tokens/s is estimated" : "its bandwidth is not known";
    auto& d = out.report(kUnknownChip, chip.node, key,
                         m.closest.empty()
                             ? fmt::format("{} '{}' is not in data/hardware.yaml: {}", key, name, consequence)
                             : fmt::format("{} '{}' is not in data/hardware.yaml (closest: {}): {}", key, name,
                                           join(m.closest, ", "), consequence));
    d.help = !gpu ? "write a known name: planner explain LI060 shows the forms accepted"
             : key == "hardware.chip" ? "write a known name, or set hardware.gpu_vram_gb (nvidia-smi's memory.total MiB / 1024)"
                                      : "write a known name, or set the entry's vram_gb (nvidia-smi's memory.total MiB / 1024)";
    return;
  }
  if (m.status != ChipMatch::Status::ambiguous || !m.chip) return;
  std::vector<std::string> names;
  for (const ChipInfo* v : m.variants) names.push_back(v->label);
  const ChipInfo& c = *m.chip;
  if (!c.apple && m.vram_guessed && !vram_given) {
    auto& d = out.report(kUnknownChip, chip.node, key,
                         fmt::format("{} '{}' does not say which VRAM variant it is (data/hardware.yaml: "
                                     "{}): the VRAM check assumes {}, {}",
                                     key, name, join(names, ", "), c.name, gib(c.vram_gib * kGiB)));
    d.help = key == "hardware.chip" ? fmt::format("write the variant ('{}'), or set hardware.gpu_vram_gb", c.name)
                                    : fmt::format("write the variant ('{}'), or set the entry's vram_gb", c.name);
    return;
  }
  if (!speed) return;  // only the tokens/s estimate depends on the variant, and it is another GPU's
  auto& d = out.report(kUnknownChip, Severity::info, chip.node, key,
                       fmt::format("{} '{}' fits {}: the tokens/s estimate assumes {} ({} GB/s)", key, name,
                                   join(names, ", "), c.label, fixed(c.bandwidth_gbs, 0)));
  d.help = "name the variant";
}

void check_unknown_chip(const Analysis& a, Reporter& out) {
  const auto& cfg = a.config;
  // With hardware.gpus the VRAM is the entries' (LI061 reports a gpu_vram_gb beside them).
  if (cfg.chip) check_chip(a, out, *cfg.chip, a.chip_match, cfg.gpu_vram_gb.has_value() || !cfg.gpus.empty(),
                           "hardware.chip", true);
  for (std::size_t i = 0; i < cfg.gpus.size() && i < a.gpu_matches.size(); ++i)
    if (cfg.gpus[i].chip)
      check_chip(a, out, *cfg.gpus[i].chip, a.gpu_matches[i], cfg.gpus[i].vram_gb.has_value(),
                 fmt::format("hardware.gpus[{}].chip", i), i == 0 && !cfg.chip);
}
}  // namespace

}  // namespace planner
