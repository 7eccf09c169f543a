#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace planner {

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

namespace {

// The length of the well-formed UTF-8 sequence at s[i] (Unicode 15, table 3-7: no overlong form,
// no surrogate, nothing above U+10FFFF), or 0 when the byte at i does not start one.
std::size_t utf8_length(std::string_view s, std::size_t i, char32_t& cp) {
  auto byte = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) {
    const unsigned b = byte(k);
    return i + k < s.size() && b >= lo && b <= hi;
  };
  const unsigned b0 = byte(0);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) {
    cp = ((b0 & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    if (!cont(1, lo, hi) || !cont(2)) return 0;
    cp = ((b0 & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return 0;
    cp = ((b0 & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
    return 4;
  }
  return 0;
}

// Code points a terminal acts on rather than shows: C1 controls, the line and paragraph
// separators, and the bidi embedding / override / isolate controls (CVE-2021-42574).
bool invisible_control(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

std::string shown(std::string_view raw, std::size_t max_chars, bool keep_tabs) {
  // Most values and every message of a clean file are short printable ASCII: copied as they are
  // (this keeps the escaping of every output line off the cost of a check).
  if (max_chars == 0 || raw.size() <= max_chars) {
    bool plain = true;
    for (unsigned char c : raw) plain = plain && ((c >= 0x20 && c < 0x7F) || (c == '\t' && keep_tabs));
    if (plain) return std::string(raw);
  }
  std::string out;
  out.reserve(std::min(raw.size(), max_chars ? max_chars + 8 : raw.size()) + 3);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < raw.size();) {
    char32_t cp = 0;
    const std::size_t n = utf8_length(raw, i, cp);
    std::string piece;  // an escape, or "" for the character as it is
    if (n == 0) piece = fmt::format("\\x{:02x}", static_cast<unsigned char>(raw[i]));
    else if (cp == '\n') piece = "\\n";
    else if (cp == '\r') piece = "\\r";
    else if (cp == '\t' && !keep_tabs) piece = "\\t";
    else if ((cp < 0x20 && cp != '\t') || cp == 0x7F) piece = fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
    else if (invisible_control(cp)) piece = fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    // An escape is as wide as it is written; a UTF-8 sequence is one character.
    const std::size_t width = piece.empty() ? 1 : piece.size();
    if (max_chars && chars + width > max_chars) {
      out += "...";
      return out;
    }
    if (piece.empty()) out.append(raw.substr(i, n));
    else out += piece;
    chars += width;
    i += n ? n : 1;
  }
  return out;
}

}  // namespace

std::string shown_value(std::string_view raw, std::size_t max_chars) { return shown(raw, max_chars, false); }

std::string shown_text(std::string_view raw, bool keep_tabs) { return shown(raw, 0, keep_tabs); }

std::size_t invalid_utf8_at(std::string_view s) {
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length(s, i, cp);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::size_t utf8_char_length(std::string_view s, std::size_t i) {
  char32_t cp = 0;
  return std::max<std::size_t>(utf8_length(s, i, cp), 1);
}

std::size_t utf16_units(std::string_view s) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = utf8_char_length(s, i);
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units;
}

std::string valid_utf8(std::string_view raw) {
  std::string out;
  bool replaced = false;  // out is built only from the first invalid byte on
  char32_t cp = 0;
  for (std::size_t i = 0; i < raw.size();) {
    const std::size_t n = utf8_length(raw, i, cp);
    if (n == 0 && !replaced) {
      out.assign(raw.substr(0, i));
      replaced = true;
    }
    if (replaced) {
      if (n > 0) out.append(raw.substr(i, n));
      else out += "\xEF\xBF\xBD";
    }
    i += n ? n : 1;
  }
  return replaced ? out : std::string(raw);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> nearest_n(std::string_view word, const std::vector<std::string>& candidates,
                                   std::size_t n) {
  // No name worth suggesting for is this long, and the edit distance costs the product of the two
  // lengths: a 900 KB unknown model name in 50 routes took seconds.
  constexpr std::size_t kMaxWord = 128;
  if (word.size() > kMaxWord) return {};
  std::string w = to_lower(word);
  // A plausible typo changes at most a third of the word (at least 2 edits allowed); a word that
  // the candidate contains, or that contains the candidate, also counts (e.g. "llama-8b").
  std::size_t limit = std::max<std::size_t>(2, w.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& c : candidates) {
    if (c.size() > 4 * kMaxWord) continue;
    std::string lc = to_lower(c);
    std::size_t d = edit_distance(w, lc);
    bool contains = w.size() >= 3 && (lc.find(w) != std::string::npos || w.find(lc) != std::string::npos);
    if (d <= limit || contains) scored.emplace_back(contains && d > limit ? limit : d, c);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (auto& s : scored) {
    if (out.size() == n) break;
    if (std::find(out.begin(), out.end(), s.second) == out.end()) out.push_back(s.second);
  }
  return out;
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  auto v = nearest_n(word, candidates, 1);
  return v.empty() ? std::string() : v.front();
}

std::string plural(long long n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string fixed(double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); }

std::string billions(double params) { return fmt::format("{:.2f}B", params / 1e9); }

std::string gib(double bytes) { return fmt::format("{:.2f} GiB", bytes / (1024.0 * 1024.0 * 1024.0)); }

}  // namespace planner
