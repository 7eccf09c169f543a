#pragma once
// YAML 1.2 core-schema resolution of a plain scalar (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
// Shared by the config loader and the build-time data converter, so both type values alike.
#include <cstdint>
#include <string_view>

namespace planner {

enum class ScalarType { null, boolean, integer, floating, string };

struct CoreScalar {
  ScalarType type = ScalarType::string;
  bool boolean = false;
  std::int64_t integer = 0;
  double number = 0;  // set for integers and floats alike
};

CoreScalar resolve_core_scalar(std::string_view text);

}  // namespace planner
