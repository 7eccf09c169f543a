#pragma once
// Layer kinds listed one per layer (config.json `layer_types`, GGUF per-layer arrays) folded
// into the shortest repeating period, in time linear in the number of layers: a list of 10,000
// layers (limits::kLayers) costs microseconds, and the estimator then works on the period.
#include <cstddef>
#include <vector>

namespace planner {

// The shortest p >= 1 such that s[i] == s[i - p] for every i >= p (s.size() when none is
// shorter; the last period may be partial). That is n minus the longest proper prefix of s that
// is also a suffix, which the Knuth-Morris-Pratt prefix function gives in O(n).
template <typename T>
std::size_t shortest_period(const std::vector<T>& s) {
  const std::size_t n = s.size();
  if (n == 0) return 0;
  std::vector<std::size_t> border(n, 0);  // border[i]: longest proper border of s[0..i]
  for (std::size_t i = 1; i < n; ++i) {
    std::size_t k = border[i - 1];
    while (k > 0 && !(s[i] == s[k])) k = border[k - 1];
    if (s[i] == s[k]) ++k;
    border[i] = k;
  }
  return n - border[n - 1];
}

}  // namespace planner
