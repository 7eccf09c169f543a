#pragma once
// Small string helpers shared by every stage.
#include <string>
#include <string_view>
#include <vector>

namespace planner {

std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` by edit distance (case-insensitive), or "" when none is
// close enough to be a plausible typo.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// Up to `n` candidates ordered by closeness, only plausible ones.
std::vector<std::string> nearest_n(std::string_view word, const std::vector<std::string>& candidates,
                                   std::size_t n);

std::string to_lower(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// Fixed-point helpers for messages: "12.48" (2 decimals), trailing zeros kept for alignment.
std::string fixed(double v, int decimals);
// Bytes as GiB with 2 decimals and the unit: "8.23 GiB".
std::string gib(double bytes);
// A parameter count in billions with 2 decimals: "15.71B".
std::string billions(double params);

}  // namespace planner
