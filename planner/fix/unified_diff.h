#pragma once
// `fix --diff`: the change as a unified diff (the format `patch -p0` and `git apply` read).
#include <string>
#include <string_view>

namespace planner {

// "" when the texts are equal. Labels become the ---/+++ names; `context` lines around changes.
std::string unified_diff(std::string_view before, std::string_view after, std::string_view label_before,
                         std::string_view label_after, int context = 3);

}  // namespace planner
