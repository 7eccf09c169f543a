// LI061 chip-hardware-mismatch: hardware.chip contradicts total_ram_gb or architecture.
#include <fmt/format.h>

#include <cmath>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_chip_hardware_mismatch(const Analysis& a, Reporter& out);

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
    "hardware.chip is not sold with total_ram_gb, is not of the architecture, or contradicts hardware.gpus",
    R"(## What it does
Warns when `hardware.chip` names an Apple chip (or GPU-core variant) that is not sold with
`hardware.total_ram_gb` of RAM (`data/hardware.yaml` `ram_gb`, from Apple's pages, cited there),
and when the chip is of another platform than `hardware.architecture` (an NVIDIA GPU on
`apple_silicon`, an Apple chip on `linux_nvidia`). RAM sizes the table lists as unconfirmed
(`ram_gb_unverified`) draw no finding.

With `hardware.gpus` (several GPUs in one host) it also warns when the one-GPU keys beside it
say otherwise: a `gpu_vram_gb` that is not every GPU's VRAM (often both cards' VRAM added up,
the way two GPUs were written before `hardware.gpus`), a `chip` that is none of the GPUs, an
Apple chip listed as a GPU, or `hardware.gpus` on `apple_silicon` or `cpu`. planner then holds
each GPU to its own VRAM from `hardware.gpus`.

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
    check_chip_hardware_mismatch};

namespace {

// hardware.gpus beside the one-GPU keys, or on a machine without discrete GPUs: the two forms
// must say the same, and hardware.gpus wins for the VRAM.
void check_gpus(const Analysis& a, Reporter& out) {
  const auto& cfg = a.config;
  if (cfg.gpus.empty()) return;
  if (cfg.architecture && (cfg.apple_silicon() || cfg.architecture->value == "cpu")) {
    auto& d = out.report(kChipHardwareMismatch, cfg.gpus_node, "hardware.gpus",
                         fmt::format("hardware.gpus lists {} discrete GPU{}, but hardware.architecture is {}: they are "
                                     "not used",
                                     cfg.gpus.size(), cfg.gpus.size() == 1 ? "" : "s", shown_value(cfg.architecture->value)));
    d.help = "correct hardware.architecture, or remove hardware.gpus";
    return;
  }
  for (std::size_t i = 0; i < cfg.gpus.size() && i < a.gpu_matches.size(); ++i)
    if (const ChipInfo* c = a.gpu_matches[i].chip; c && c->apple && cfg.gpus[i].chip) {
      auto& d = out.report(kChipHardwareMismatch, cfg.gpus[i].chip->node, fmt::format("hardware.gpus[{}].chip", i),
                           fmt::format("hardware.gpus[{}].chip '{}' is an Apple chip, not a discrete GPU", i,
                                       shown_value(cfg.gpus[i].chip->value)));
      d.help = "name the GPU (nvidia-smi --query-gpu=name), or describe a Mac with hardware.chip";
    }
  std::vector<std::string> sizes;
  bool all_equal = true;
  double sum = 0;
  for (const auto& g : a.budget.gpus) {
    sizes.push_back(g.vram_bytes ? fmt::format("{} {}", g.device, gib(*g.vram_bytes)) : g.device + " not known");
    if (!g.vram_bytes || !cfg.gpu_vram_gb || std::abs(*g.vram_bytes / kGiB - cfg.gpu_vram_gb->value) > 0.005)
      all_equal = false;
    sum += g.vram_bytes.value_or(0);
  }
  if (cfg.gpu_vram_gb && !all_equal) {
    const bool is_sum = a.budget.gpus.size() > 1 && std::abs(sum / kGiB - cfg.gpu_vram_gb->value) < 0.005;
    auto& d = out.report(kChipHardwareMismatch, cfg.gpu_vram_gb->node, "hardware.gpu_vram_gb",
                         fmt::format("hardware.gpu_vram_gb {:g} contradicts hardware.gpus ({}){}: planner holds each "
                                     "GPU to its own VRAM from hardware.gpus",
                                     cfg.gpu_vram_gb->value, join(sizes, ", "),
                                     is_sum ? ", whose VRAM it adds up as one GPU" : ""));
    d.help = "remove hardware.gpu_vram_gb: hardware.gpus gives each GPU's VRAM (vram_gb)";
  }
  if (cfg.chip && a.chip) {
    bool listed = false;
    std::vector<std::string> names;
    for (const auto& m : a.gpu_matches) {
      if (m.chip == a.chip) listed = true;
      names.push_back(m.chip ? m.chip->name : "?");
    }
    if (!listed) {
      auto& d = out.report(kChipHardwareMismatch, cfg.chip->node, "hardware.chip",
                           fmt::format("hardware.chip '{}' is none of hardware.gpus ({}): the tokens/s estimate "
                                       "assumes {}",
                                       shown_value(cfg.chip->value), join(names, ", "), a.chip->label));
      d.help = "remove hardware.chip: hardware.gpus names each GPU's chip";
    }
  }
}

void check_chip_hardware_mismatch(const Analysis& a, Reporter& out) {
  const auto& cfg = a.config;
  check_gpus(a, out);
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
