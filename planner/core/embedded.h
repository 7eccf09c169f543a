#pragma once
// Files embedded at build time by cmake/embed.cmake (schema/ and data/ are their single source).
#include <string_view>

namespace planner::embedded {
std::string_view schema_json();
std::string_view models_yaml();
std::string_view quantization_yaml();
std::string_view hardware_yaml();
}  // namespace planner::embedded
