#pragma once
// What a detection parser returns: a value, or one line saying what was wrong with the output.
// Parsers never throw: a command's output is untrusted text (a truncated pipe, a locale, a tool
// that printed an error instead of a value).
#include <optional>
#include <string>
#include <string_view>

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

// Walks output line by line ('\n'-separated; the last line may lack it), counting from 1 for
// error messages: `Lines lines(text); std::string_view line; while (lines.next(line)) ...`.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++number_;
    return true;
  }
  int number() const { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  int number_ = 0;
};

}  // namespace planner::detect
