#include "detect/nvidia_smi.h"

#include <fmt/format.h>

namespace planner::detect {

namespace {
using Result = Parsed<std::vector<GpuReading>>;

// "24564" -> 24564; "[N/A]" -> empty; a "24564 MiB" (query run without nounits) is accepted too.
bool mib_field(const std::string& f, std::optional<unsigned long long>& out) {
  if (f == "[N/A]" || f == "[Not Supported]") return true;
  std::string_view v = f;
  if (v.size() > 4 && v.substr(v.size() - 4) == " MiB") v = v.substr(0, v.size() - 4);
  out = parse_count(v);
  return out && *out <= (1ULL << 24);  // 16 TiB of VRAM: anything more is not a size
}
}  // namespace

Result parse_nvidia_smi(std::string_view text) {
  std::vector<GpuReading> gpus;
  Lines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    const int line_no = lines.number();
    if (trim(line).empty()) continue;
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string_view::npos; start = comma + 1)
      fields.push_back(trim(line.substr(start, comma - start)));
    fields.push_back(trim(line.substr(start)));
    if (fields.size() != 3)
      return Result::fail(fmt::format("nvidia-smi:{}: expected 'name, memory.total, memory.used', got {}", line_no,
                                      quote_output(line)));
    GpuReading g;
    g.name = fields[0];
    if (g.name.empty()) return Result::fail(fmt::format("nvidia-smi:{}: empty GPU name", line_no));
    if (!mib_field(fields[1], g.total_mib) || !mib_field(fields[2], g.used_mib))
      return Result::fail(fmt::format("nvidia-smi:{}: memory sizes must be MiB numbers or [N/A], got {}", line_no,
                                      quote_output(line)));
    gpus.push_back(std::move(g));
  }
  if (gpus.empty()) return Result::fail("nvidia-smi: no GPU lines in the output");
  return Result::ok(std::move(gpus));
}

}  // namespace planner::detect
