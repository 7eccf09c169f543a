#include "detect/sysctl.h"

#include <fmt/format.h>

namespace planner::detect {

Parsed<std::string> sysctl_value(std::string_view text, std::string_view name) {
  std::string t = trim(text);
  if (t.empty()) return Parsed<std::string>::fail(fmt::format("sysctl {}: empty output", name));
  if (t.find('\n') != std::string::npos)
    return Parsed<std::string>::fail(fmt::format("sysctl {}: expected one line, got several", name));
  const std::string prefix = std::string(name) + ":";
  if (t.rfind(prefix, 0) == 0) t = trim(std::string_view(t).substr(prefix.size()));
  if (auto arrow = t.find("->"); arrow != std::string::npos) t = trim(std::string_view(t).substr(arrow + 2));
  if (t.empty()) return Parsed<std::string>::fail(fmt::format("sysctl {}: no value", name));
  return Parsed<std::string>::ok(t);
}

namespace {
Parsed<unsigned long long> number(std::string_view text, std::string_view name, const char* what) {
  auto v = sysctl_value(text, name);
  if (!v) return Parsed<unsigned long long>::fail(v.error);
  auto n = parse_count(*v.value);
  if (!n) return Parsed<unsigned long long>::fail(fmt::format("sysctl {}: expected {}, got {}", name, what, quote_output(*v.value)));
  return Parsed<unsigned long long>::ok(*n);
}
}  // namespace

Parsed<unsigned long long> parse_hw_memsize(std::string_view text) {
  auto n = number(text, "hw.memsize", "a byte count");
  if (n && (*n.value < (1ULL << 30) || *n.value > (1ULL << 50)))  // 1 GiB .. 1 PiB, else not a RAM size
    return Parsed<unsigned long long>::fail(fmt::format("sysctl hw.memsize: {} bytes is not a plausible RAM size", *n.value));
  return n;
}

Parsed<std::string> parse_brand_string(std::string_view text) {
  auto v = sysctl_value(text, "machdep.cpu.brand_string");
  if (v && v.value->size() > 128) return Parsed<std::string>::fail("sysctl machdep.cpu.brand_string: value too long");
  return v;
}

Parsed<unsigned long long> parse_wired_limit_mb(std::string_view text) {
  auto n = number(text, "iogpu.wired_limit_mb", "a size in MiB");
  if (n && *n.value > (1ULL << 24))  // 16 TiB: beyond any Mac
    return Parsed<unsigned long long>::fail(fmt::format("sysctl iogpu.wired_limit_mb: {} MiB is not plausible", *n.value));
  return n;
}

}  // namespace planner::detect
