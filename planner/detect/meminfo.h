#pragma once
// Linux /proc/meminfo: "MemTotal:       65849004 kB" lines (label, value right-aligned, " kB";
// fs/proc/meminfo.c show_val_kb). MemAvailable exists since Linux 3.14.
#include <optional>
#include <string_view>

#include "detect/parse_result.h"

namespace planner::detect {

struct MemInfo {
  unsigned long long total_bytes = 0;
  std::optional<unsigned long long> available_bytes;
};

Parsed<MemInfo> parse_meminfo(std::string_view text);

}  // namespace planner::detect
