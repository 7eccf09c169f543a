#include "detect/meminfo.h"

#include <fmt/format.h>

namespace planner::detect {

namespace {
// "   65849004 kB" -> bytes; the kernel always prints kB (= KiB) for these two fields.
std::optional<unsigned long long> kib_value(std::string_view rest) {
  std::string v = trim(rest);
  if (v.size() < 3 || v.compare(v.size() - 3, 3, " kB") != 0) return std::nullopt;
  auto n = parse_count(trim(std::string_view(v).substr(0, v.size() - 3)));
  if (!n || *n > (1ULL << 53)) return std::nullopt;
  return *n * 1024;
}
}  // namespace

Parsed<MemInfo> parse_meminfo(std::string_view text) {
  if (trim(text).empty()) return Parsed<MemInfo>::fail("/proc/meminfo: empty output");
  MemInfo m;
  bool have_total = false;
  Lines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const int line_no = lines.number();
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // unknown lines are not our business
    const std::string_view key = line.substr(0, colon);
    if (key != "MemTotal" && key != "MemAvailable") continue;
    auto bytes = kib_value(line.substr(colon + 1));
    if (!bytes)
      return Parsed<MemInfo>::fail(
          fmt::format("/proc/meminfo:{}: {}: expected '<number> kB', got {}", line_no, key, quote_output(line.substr(colon + 1))));
    if (key == "MemTotal") m.total_bytes = *bytes, have_total = true;
    else m.available_bytes = *bytes;
  }
  if (!have_total) return Parsed<MemInfo>::fail("/proc/meminfo: no MemTotal line (truncated output?)");
  if (m.total_bytes == 0) return Parsed<MemInfo>::fail("/proc/meminfo: MemTotal is 0 kB");
  return Parsed<MemInfo>::ok(m);
}

}  // namespace planner::detect
