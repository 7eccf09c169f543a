#include "modelfile/file_text.h"

#include <algorithm>

namespace planner {

namespace {

// The length of the well-formed sequence at s[i], or 0 when it is ill-formed; `bad` is then how
// many bytes the maximal ill-formed subpart takes (at least 1). Table 3-7 of the Unicode
// standard: the second byte's range depends on the first (E0: A0-BF, ED: 80-9F, F0: 90-BF,
// F4: 80-8F), which rules out overlong forms, surrogates and code points above U+10FFFF.
std::size_t sequence(std::string_view s, std::size_t i, std::size_t& bad) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  bad = 1;
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;  // 80-C1, F5-FF never start a sequence
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) return 0;
    const unsigned char x = b(i + k);
    if (x < (k == 1 ? lo : 0x80) || x > (k == 1 ? hi : 0xBF)) return 0;
    bad = k + 1;  // the prefix so far is part of one ill-formed subpart if the sequence fails later
  }
  return len;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0, bad = 0; i < s.size();) {
    std::size_t n = sequence(s, i, bad);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string valid_utf8(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0, bad = 0; i < s.size();) {
    std::size_t n = sequence(s, i, bad);
    if (n > 0) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      i += bad;
    }
  }
  return out;
}

std::string shown(std::string_view s, std::size_t max) {
  std::size_t n = std::min(s.size(), max);
  while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::string out;
  out.reserve(n + 3);
  for (char c : s.substr(0, n)) out += static_cast<unsigned char>(c) < 32 || c == 127 ? '?' : c;
  if (n < s.size()) out += "...";
  return out;
}

}  // namespace planner
