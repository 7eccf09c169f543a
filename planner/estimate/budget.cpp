#include "estimate/budget.h"

#include <fmt/format.h>

#include "core/text.h"

namespace planner {

namespace {

// hardware.gpus: each GPU's VRAM from its vram_gb, else its chip's (the smallest variant where the
// name fits several, as for hardware.chip); their sum is the GPU limit when every one is known.
void gpu_entries(const Config& cfg, const HardwareTables& hw, Budget& b) {
  double sum = 0;
  bool all_known = true;
  std::vector<std::string> sizes;
  for (std::size_t i = 0; i < cfg.gpus.size(); ++i) {
    const GpuConfig& g = cfg.gpus[i];
    GpuBudget gb;
    gb.device = fmt::format("gpu{}", i);
    if (g.vram_gb) {
      gb.vram_bytes = g.vram_gb->value * kGiB;
      gb.basis = fmt::format("hardware.gpus[{}].vram_gb", i);
    } else if (g.chip) {
      const ChipMatch m = hw.match(g.chip->value);
      if (const ChipInfo* c = m.chip; c && !c->apple && c->vram_gib > 0) {
        gb.vram_bytes = c->vram_gib * kGiB;
        gb.basis = m.status == ChipMatch::Status::known
                       ? fmt::format("{} VRAM (data/hardware.yaml)", c->name)
                       : fmt::format("{} VRAM (data/hardware.yaml), assumed for '{}' (LI060)", c->name,
                                     shown_value(g.chip->value));
      }
    }
    if (gb.vram_bytes) {
      sum += *gb.vram_bytes;
      sizes.push_back(fmt::format("{:g}", *gb.vram_bytes / kGiB));
    } else {
      all_known = false;
    }
    b.gpus.push_back(std::move(gb));
  }
  if (all_known) {
    b.gpu_limit_bytes = sum;
    b.gpu_limit_basis = b.gpus.size() == 1 ? b.gpus[0].basis
                                           : fmt::format("hardware.gpus: {} GPUs, {} GiB", b.gpus.size(), join(sizes, " + "));
  }
}

}  // namespace

Budget compute_budget(const Config& cfg, const HardwareTables& hw) {
  Budget b;
  if (!cfg.total_ram_gb) return b;
  const double ram_gib = cfg.total_ram_gb->value;
  b.ram_bytes = ram_gib * kGiB;
  b.os_reserve_bytes = b.ram_bytes * cfg.os_reserve_percent.value / 100.0;
  b.model_budget_bytes = b.ram_bytes - b.os_reserve_bytes;
  b.kv_reserve_bytes = b.model_budget_bytes * cfg.kv_cache_reserve_percent.value / 100.0;
  b.unified_memory = cfg.apple_silicon();
  if (cfg.apple_silicon()) {
    if (cfg.gpu_wired_limit_gb) {
      b.gpu_limit_bytes = cfg.gpu_wired_limit_gb->value * kGiB;
      b.gpu_limit_basis = "hardware.gpu_wired_limit_gb";
    } else {
      int major = cfg.macos_version ? static_cast<int>(cfg.macos_version->value) : 0;
      b.gpu_limit_bytes = hw.default_wired_limit_bytes(ram_gib, major, &b.gpu_limit_basis);
      b.gpu_limit_is_default = true;
    }
  } else if (!cfg.gpus.empty()) {
    if (cfg.architecture && cfg.architecture->value == "cpu") return b;
    gpu_entries(cfg, hw, b);
  } else if (cfg.gpu_vram_gb) {
    b.gpu_limit_bytes = cfg.gpu_vram_gb->value * kGiB;
    b.gpu_limit_basis = "hardware.gpu_vram_gb";
  } else if (cfg.chip) {
    // A name that fits several variants still sets a limit, the smallest variant's, with LI060
    // saying which was assumed: "no limit" would pass any route on the card.
    const ChipMatch m = hw.match(cfg.chip->value);
    if (const ChipInfo* c = m.chip; c && !c->apple && c->vram_gib > 0) {
      b.gpu_limit_bytes = c->vram_gib * kGiB;
      b.gpu_limit_basis = m.status == ChipMatch::Status::known
                              ? fmt::format("{} VRAM (data/hardware.yaml)", c->name)
                              : fmt::format("{} VRAM (data/hardware.yaml), assumed for '{}' (LI060)", c->name,
                                            shown_value(cfg.chip->value));
    }
  }
  // The one GPU of chip / gpu_vram_gb, known or not, on a machine that has one.
  if (!cfg.apple_silicon() && cfg.gpus.empty() && !(cfg.architecture && cfg.architecture->value == "cpu"))
    b.gpus.push_back({"gpu0", b.gpu_limit_bytes, b.gpu_limit_basis});
  return b;
}

}  // namespace planner
