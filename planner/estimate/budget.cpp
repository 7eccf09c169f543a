#include "estimate/budget.h"

#include <fmt/format.h>

#include "core/text.h"

namespace planner {

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
  return b;
}

}  // namespace planner
