#pragma once
// The memory budget of the machine: RAM less the OS reserve, the KV share of it, and on Apple
// silicon the GPU wired limit. All figures in bytes; RAM as the vendor sells it is GiB.
#include <optional>
#include <string>
#include <vector>

#include "resolve/config.h"
#include "resolve/hardware.h"

namespace planner {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// One discrete GPU of the machine (gpu0, gpu1, ... in CUDA's order) and its VRAM.
struct GpuBudget {
  std::string device;                // "gpu0"
  std::optional<double> vram_bytes;  // nullopt: not known (an unknown chip without vram_gb)
  std::string basis;                 // where the VRAM comes from, for messages
};

struct Budget {
  double ram_bytes = 0;
  double os_reserve_bytes = 0;
  double model_budget_bytes = 0;  // RAM x (1 - os_reserve_percent / 100)
  double kv_reserve_bytes = 0;    // model budget x kv_cache_reserve_percent / 100
  // Apple: wired limit; one discrete GPU: its VRAM; several (hardware.gpus): their VRAM together,
  // when every one is known (the rules compare each GPU with `gpus` instead).
  std::optional<double> gpu_limit_bytes;
  std::string gpu_limit_basis;            // where the limit comes from, for messages
  bool gpu_limit_is_default = false;      // Apple: macOS's default (raisable with sysctl)
  bool unified_memory = false;
  // The discrete GPUs, one entry each (hardware.gpus, else the one GPU of chip / gpu_vram_gb);
  // empty on Apple silicon and on architecture cpu.
  std::vector<GpuBudget> gpus;
};

Budget compute_budget(const Config& cfg, const HardwareTables& hw);

}  // namespace planner
