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
  std::string w = to_lower(word);
  // A plausible typo changes at most a third of the word (at least 2 edits allowed); a word that
  // the candidate contains, or that contains the candidate, also counts (e.g. "llama-8b").
  std::size_t limit = std::max<std::size_t>(2, w.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& c : candidates) {
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
