#include "core/context_size.h"

namespace planner {

std::optional<long long> context_shorthand(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  const char unit = s.back();
  long long scale = 0;
  if (unit == 'k' || unit == 'K') scale = 1024;
  else if (unit == 'm' || unit == 'M') scale = 1024LL * 1024;
  else return std::nullopt;
  s.remove_suffix(1);
  long long whole = 0, frac = 0, frac_scale = 1;
  std::size_t i = 0, digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) whole = whole * 10 + (s[i] - '0');
  if (digits == 0 || digits > 9) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != '.' || i + 1 == s.size()) return std::nullopt;
    for (++i; i < s.size(); ++i, ++digits) {
      if (s[i] < '0' || s[i] > '9' || digits >= 9) return std::nullopt;
      frac = frac * 10 + (s[i] - '0');
      frac_scale *= 10;
    }
  }
  if ((frac * scale) % frac_scale != 0) return std::nullopt;  // "1.3k" is not a whole number of tokens
  const long long tokens = whole * scale + frac * scale / frac_scale;
  return tokens > 0 ? std::optional<long long>(tokens) : std::nullopt;
}

}  // namespace planner
