#include "select/machine.h"

namespace planner {

Config machine_config(const Machine& m) {
  Config c;
  c.total_ram_gb = Located<double>{m.ram_gib, nullptr};
  c.os_reserve_percent = {m.os_reserve_percent, nullptr};
  c.architecture = Located<std::string>{m.architecture, nullptr};
  if (!m.chip.empty()) c.chip = Located<std::string>{m.chip, nullptr};
  if (m.gpus.size() >= 2) {
    // Each GPU apart: the budget and the checks are per GPU (llama.cpp's layer split).
    for (const auto& g : m.gpus) {
      GpuConfig gc;
      if (!g.chip.empty()) gc.chip = Located<std::string>{g.chip, nullptr};
      if (g.vram_gib) gc.vram_gb = Located<double>{*g.vram_gib, nullptr};
      c.gpus.push_back(std::move(gc));
    }
    c.chip.reset();
  } else if (m.gpu_vram_gib) {
    c.gpu_vram_gb = Located<double>{*m.gpu_vram_gib, nullptr};
  }
  if (m.wired_limit_gib) c.gpu_wired_limit_gb = Located<double>{*m.wired_limit_gib, nullptr};
  if (m.macos_major) c.macos_version = Located<long long>{m.macos_major, nullptr};
  c.kv_cache_reserve_percent = {m.kv_reserve_percent, nullptr};
  return c;
}

Budget machine_budget(const Machine& m, const HardwareTables& hw) { return compute_budget(machine_config(m), hw); }

Machine machine_from_config(const Config& cfg) {
  Machine m;
  if (cfg.total_ram_gb) m.ram_gib = cfg.total_ram_gb->value;
  if (cfg.architecture) m.architecture = cfg.architecture->value;
  if (cfg.chip) m.chip = cfg.chip->value;
  if (cfg.gpu_vram_gb) m.gpu_vram_gib = cfg.gpu_vram_gb->value;
  // hardware.gpus: the GPUs' VRAM together when each entry gives it, the first one's chip.
  if (!cfg.gpus.empty()) {
    double sum = 0;
    bool all = true;
    for (const auto& g : cfg.gpus) {
      if (g.vram_gb) sum += g.vram_gb->value;
      else all = false;
    }
    if (all) m.gpu_vram_gib = sum;
    if (!cfg.chip && cfg.gpus[0].chip) m.chip = cfg.gpus[0].chip->value;
    if (cfg.gpus.size() >= 2)
      for (const auto& g : cfg.gpus)
        m.gpus.push_back({g.chip ? g.chip->value : std::string(), g.vram_gb ? std::optional<double>(g.vram_gb->value) : std::nullopt});
  }
  if (cfg.gpu_wired_limit_gb) m.wired_limit_gib = cfg.gpu_wired_limit_gb->value;
  if (cfg.macos_version) m.macos_major = static_cast<int>(cfg.macos_version->value);
  m.os_reserve_percent = cfg.os_reserve_percent.value;
  m.kv_reserve_percent = cfg.kv_cache_reserve_percent.value;
  return m;
}

}  // namespace planner
