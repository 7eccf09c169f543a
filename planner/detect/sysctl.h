#pragma once
// macOS sysctl values: `sysctl -n NAME` prints the value alone, `sysctl NAME` prints
// "NAME: value"; both are accepted (hardware.md s5). Setting prints "NAME: 0 -> 14000": the value
// after the arrow is the one in force.
#include <string>
#include <string_view>

#include "detect/parse_result.h"

namespace planner::detect {

// The value text of `name`: "-n" form, "name: value" form, or "name: old -> new".
Parsed<std::string> sysctl_value(std::string_view text, std::string_view name);

// hw.memsize: physical RAM in bytes.
Parsed<unsigned long long> parse_hw_memsize(std::string_view text);
// machdep.cpu.brand_string: "Apple M3 Max", "Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz".
Parsed<std::string> parse_brand_string(std::string_view text);
// iogpu.wired_limit_mb: MiB; 0 = macOS's default limit.
Parsed<unsigned long long> parse_wired_limit_mb(std::string_view text);

}  // namespace planner::detect
