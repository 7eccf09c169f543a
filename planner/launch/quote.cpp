#include "launch/quote.h"

namespace planner {

namespace {
// Characters no POSIX shell treats specially in a word (no glob, expansion, quoting or
// separator meaning). `=` and `:` are safe outside the first word of an assignment.
bool safe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.' || c == '/' || c == ',' || c == ':' || c == '=' || c == '+' || c == '@' || c == '%';
}
}  // namespace

std::string shell_quote(std::string_view word) {
  bool bare = !word.empty();
  for (char c : word) bare = bare && safe(c);
  if (bare) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  out += '\'';
  return out;
}

}  // namespace planner
