#include "load/scalar_type.h"

#include <cerrno>
#include <cstdlib>
#include <string>

namespace planner {

namespace {

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}
bool dec(char c) { return c >= '0' && c <= '9'; }
bool oct(char c) { return c >= '0' && c <= '7'; }
bool hex(char c) { return dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && dec(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && dec(s[i])) ++i, ++frac_digits;
    if (int_digits == 0 && frac_digits == 0) return false;
  } else if (int_digits == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && dec(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

CoreScalar integer(std::string_view text, std::string_view digits, int base) {
  CoreScalar r;
  std::string d(digits);
  errno = 0;
  long long v = std::strtoll(d.c_str(), nullptr, base);
  if (errno == ERANGE) {  // beyond int64: keep it as a float, as JSON would
    r.type = ScalarType::floating;
    r.number = std::strtod(std::string(text).c_str(), nullptr);
    return r;
  }
  r.type = ScalarType::integer;
  r.integer = v;
  r.number = static_cast<double>(v);
  return r;
}

}  // namespace

CoreScalar resolve_core_scalar(std::string_view t) {
  CoreScalar r;
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") {
    r.type = ScalarType::null;
    return r;
  }
  if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE") {
    r.type = ScalarType::boolean;
    r.boolean = t[0] == 't' || t[0] == 'T';
    return r;
  }
  std::string_view unsigned_part = (t[0] == '-' || t[0] == '+') ? t.substr(1) : t;
  if (all_of(unsigned_part, dec)) return integer(t, t, 10);
  if (t.size() > 2 && t.substr(0, 2) == "0o" && all_of(t.substr(2), oct)) return integer(t, t.substr(2), 8);
  if (t.size() > 2 && t.substr(0, 2) == "0x" && all_of(t.substr(2), hex)) return integer(t, t.substr(2), 16);
  if (is_float(t)) {
    r.type = ScalarType::floating;
    r.number = std::strtod(std::string(t).c_str(), nullptr);
    return r;
  }
  // .inf and .nan are YAML floats, but no config value can be infinite: they stay strings so the
  // schema reports a type error instead of computing with an infinity.
  return r;
}

}  // namespace planner
