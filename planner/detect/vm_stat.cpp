#include "detect/vm_stat.h"

#include <fmt/format.h>

#include <utility>

namespace planner::detect {

Parsed<VmStat> parse_vm_stat(std::string_view text) {
  using Result = Parsed<VmStat>;
  if (trim(text).empty()) return Result::fail("vm_stat: empty output");
  VmStat v;
  std::pair<const char*, unsigned long long*> fields[] = {
      {"Pages free", &v.free},           {"Pages active", &v.active}, {"Pages inactive", &v.inactive},
      {"Pages speculative", &v.speculative}, {"Pages wired down", &v.wired}, {"Pages purgeable", &v.purgeable},
      {"Pages occupied by compressor", &v.compressor}};
  bool seen[std::size(fields)] = {};
  Lines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const int line_no = lines.number();
    if (line_no == 1) {
      // "Mach Virtual Memory Statistics: (page size of 16384 bytes)"
      constexpr std::string_view tag = "(page size of ";
      auto at = line.find(tag);
      auto close = at == std::string_view::npos ? at : line.find(" bytes)", at);
      auto n = close == std::string_view::npos ? std::nullopt
                                               : parse_count(line.substr(at + tag.size(), close - at - tag.size()));
      if (!n || *n == 0 || *n > (1ULL << 20) || (*n & (*n - 1)) != 0)
        return Result::fail(fmt::format("vm_stat:1: expected 'Mach Virtual Memory Statistics: (page size of N bytes)', got {}",
                                        quote_output(line)));
      v.page_bytes = *n;
      continue;
    }
    auto colon = line.rfind(':');
    if (colon == std::string_view::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    for (std::size_t i = 0; i < std::size(fields); ++i) {
      if (key != fields[i].first) continue;
      std::string val = trim(line.substr(colon + 1));
      if (!val.empty() && val.back() == '.') val.pop_back();
      auto n = parse_count(val);
      if (n && *n > (1ULL << 40)) n.reset();  // 2^40 pages is beyond any machine: garbage, not a count
      if (!n) return Result::fail(fmt::format("vm_stat:{}: {}: expected a page count, got {}", line_no, key, quote_output(val)));
      *fields[i].second = *n;
      seen[i] = true;
    }
  }
  for (std::size_t i : {0, 1, 4})  // free, active, wired: without them there is no picture
    if (!seen[i]) return Result::fail(fmt::format("vm_stat: no '{}' line (truncated output?)", fields[i].first));
  return Result::ok(v);
}

}  // namespace planner::detect
