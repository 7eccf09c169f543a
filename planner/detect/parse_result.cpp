#include "detect/parse_result.h"

namespace planner::detect {

std::string trim(std::string_view s) {
  const char* ws = " \t\r\n";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(ws) - b + 1));
}

std::optional<unsigned long long> parse_count(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;  // 19 digits stay below 2^63
  unsigned long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

std::string quote_output(std::string_view s) {
  std::string line(s.substr(0, s.find('\n')));
  if (line.size() > 40) line = line.substr(0, 40) + "...";
  for (char& c : line)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return "'" + line + "'";
}

}  // namespace planner::detect
