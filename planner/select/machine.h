#pragma once
// The machine a selection is made for: what `--ram/--arch/--chip/--gpu`, a detection, or a config
// file's hardware: section says. It becomes a Config so the budget comes from compute_budget,
// the same function `planner check` uses.
#include <optional>
#include <string>
#include <vector>

#include "estimate/budget.h"
#include "resolve/config.h"
#include "resolve/hardware.h"

namespace planner {

// One of several GPUs in the host (CUDA's order): a data/hardware.yaml name where matched, its VRAM.
struct MachineGpu {
  std::string chip;
  std::optional<double> vram_gib;
};

struct Machine {
  double ram_gib = 0;
  std::string architecture;               // a hardware.architecture value of the schema
  std::string chip;                       // a data/hardware.yaml name, or ""
  std::optional<double> gpu_vram_gib;     // discrete GPUs (sum over GPUs)
  std::vector<MachineGpu> gpus;           // two or more GPUs, each (hardware.gpus); empty for one
  std::optional<double> wired_limit_gib;  // a raised Apple wired limit (iogpu.wired_limit_mb / 1024)
  int macos_major = 0;                    // 0: unknown (macOS 15 or older assumed)
  double os_reserve_percent = 22;         // the seed's figure, inside LI010's 20-25 %
  double kv_reserve_percent = 35;         // the seed's figure, inside LI011's 30-40 %
  bool apple() const { return architecture == "apple_silicon"; }
};

// The hardware: and inference: values of `m` as a Config (no document nodes).
Config machine_config(const Machine& m);
Budget machine_budget(const Machine& m, const HardwareTables& hw = HardwareTables::builtin());
// The hardware: section of a read config.
Machine machine_from_config(const Config& cfg);

}  // namespace planner
