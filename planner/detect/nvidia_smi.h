#pragma once
// nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv,noheader,nounits
// One line per GPU: "NVIDIA GeForce RTX 4090, 24564, 1234" (MiB). Unified-memory parts (GB10)
// print "[N/A]" for the sizes (hardware.md s5).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detect/parse_result.h"

namespace planner::detect {

// The exact arguments planner runs; recorded outputs must come from this query.
inline constexpr const char* kNvidiaSmiArgs[] = {"nvidia-smi", "--query-gpu=name,memory.total,memory.used",
                                                 "--format=csv,noheader,nounits"};

struct GpuReading {
  std::string name;
  std::optional<unsigned long long> total_mib;  // empty: [N/A]
  std::optional<unsigned long long> used_mib;
};

Parsed<std::vector<GpuReading>> parse_nvidia_smi(std::string_view text);

}  // namespace planner::detect
