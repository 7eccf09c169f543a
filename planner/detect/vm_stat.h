#pragma once
// macOS vm_stat: a header naming the page size, then "Pages free:   39656." lines (counts in
// pages, ending with a dot; field order from system_cmds vm_stat.c; newer macOS appends lines,
// so unknown keys are skipped; hardware.md s5).
#include <string_view>

#include "detect/parse_result.h"

namespace planner::detect {

struct VmStat {
  unsigned long long page_bytes = 0;
  unsigned long long free = 0, active = 0, inactive = 0, speculative = 0, wired = 0, purgeable = 0;
  unsigned long long compressor = 0;  // "Pages occupied by compressor": RAM the compressed pages use
  unsigned long long bytes(unsigned long long pages) const { return pages * page_bytes; }
};

Parsed<VmStat> parse_vm_stat(std::string_view text);

}  // namespace planner::detect
