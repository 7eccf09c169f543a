#pragma once
// This machine's hardware, assembled from the parsed sources: what `planner detect` prints and
// what `planner init --detect` plans for.
#include <optional>
#include <string>
#include <vector>

#include "detect/collect.h"
#include "detect/nvidia_smi.h"
#include "detect/vm_stat.h"
#include "resolve/hardware.h"

namespace planner::detect {

struct Detection {
  std::string os;            // "macos", "linux", "" when neither source answered
  std::string architecture;  // the config's hardware.architecture value: apple_silicon, linux_nvidia, cpu
  unsigned long long ram_bytes = 0;
  std::string brand;             // machdep.cpu.brand_string
  const ChipInfo* chip = nullptr;  // Apple chip or first GPU, matched in data/hardware.yaml
  std::vector<GpuReading> gpus;
  std::optional<unsigned long long> wired_limit_mb;  // iogpu.wired_limit_mb (0 = default)
  std::optional<double> default_wired_limit_bytes;   // macOS's default for this RAM
  std::string default_wired_limit_basis;
  std::optional<unsigned long long> available_bytes;  // Linux MemAvailable; macOS free+inactive+speculative
  std::optional<VmStat> vm;
  std::vector<std::string> sources;  // sources that answered
  std::vector<std::string> errors;   // sources that answered with output planner cannot use

  double ram_gib() const { return static_cast<double>(ram_bytes) / (1024.0 * 1024.0 * 1024.0); }
  // VRAM of every GPU that reports it, in MiB (llama.cpp splits layers across GPUs).
  unsigned long long total_vram_mib() const;
  // The limit in force on a Mac: the raised one, else the default.
  std::optional<double> wired_limit_bytes() const;
};

Detection detect_hardware(const Reader& read, const HardwareTables& tables = HardwareTables::builtin());

}  // namespace planner::detect
