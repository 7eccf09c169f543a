#pragma once
// What a detection parser returns: a value, or one line saying what was wrong with the output.
// Parsers never throw: a command's output is untrusted text (a truncated pipe, a locale, a tool
// that printed an error instead of a value).
#include <optional>
#include <string>

namespace planner::detect {

template <typename T>
struct Parsed {
  std::optional<T> value;
  std::string error;  // set when value is empty
  static Parsed fail(std::string why) { return Parsed{std::nullopt, std::move(why)}; }
  static Parsed ok(T v) { return Parsed{std::move(v), {}}; }
  explicit operator bool() const { return value.has_value(); }
};

// Shared helpers for the parsers.
std::string trim(std::string_view s);
// A whole unsigned decimal number (no sign, no spaces, no trailing text), within 2^63.
std::optional<unsigned long long> parse_count(std::string_view s);
// The text quoted in an error message: the first line, at most 40 characters.
std::string quote_output(std::string_view s);

}  // namespace planner::detect
