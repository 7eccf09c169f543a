#pragma once
// The memory budget of the machine: RAM less the OS reserve, the KV share of it, and on Apple
// silicon the GPU wired limit. All figures in bytes; RAM as the vendor sells it is GiB.
#include <optional>
#include <string>

#include "resolve/config.h"
#include "resolve/hardware.h"

namespace planner {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

struct Budget {
  double ram_bytes = 0;
  double os_reserve_bytes = 0;
  double model_budget_bytes = 0;  // RAM x (1 - os_reserve_percent / 100)
  double kv_reserve_bytes = 0;    // model budget x kv_cache_reserve_percent / 100
  std::optional<double> gpu_limit_bytes;  // Apple: wired limit; discrete GPU: VRAM
  std::string gpu_limit_basis;            // where the limit comes from, for messages
  bool gpu_limit_is_default = false;      // Apple: macOS's default (raisable with sysctl)
  bool unified_memory = false;
};

Budget compute_budget(const Config& cfg, const HardwareTables& hw);

}  // namespace planner
