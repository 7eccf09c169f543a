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

namespace {
// U+2018..U+201B in UTF-8: E2 80 98..9B.
bool typographic_quote_at(std::string_view w, std::size_t i) {
  return i + 2 < w.size() && static_cast<unsigned char>(w[i]) == 0xE2 && static_cast<unsigned char>(w[i + 1]) == 0x80 &&
         static_cast<unsigned char>(w[i + 2]) >= 0x98 && static_cast<unsigned char>(w[i + 2]) <= 0x9B;
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.' || c == '/' || c == ':' || c == '=' || c == '+';
}
bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

// Bare only where argument mode keeps the text: a word starting with a letter (not a number, a
// variable, a splat, an array or a redirection), a flag (-x, --x-y), or plain digits. `,` `;`
// `(` `$` `@` `` ` `` `#` `{` `~` `<` `>` `|` `&` and spaces all mean something there.
bool powershell_bare(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w)
    if (!name_char(c)) return false;
  if (letter(w[0])) return true;
  if (w[0] == '-') {
    std::size_t i = w.size() > 1 && w[1] == '-' ? 2 : 1;
    return i < w.size() && letter(w[i]);
  }
  for (char c : w)
    if (!digit(c)) return false;
  return true;
}
}  // namespace

std::string powershell_string(std::string_view word) {
  std::string out = "'";
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] == '\'') {
      out += "''";
    } else if (typographic_quote_at(word, i)) {
      out.append(word.substr(i, 3));
      out.append(word.substr(i, 3));
      i += 2;
    } else {
      out += word[i];
    }
  }
  return out + "'";
}

std::string powershell_quote(std::string_view word) {
  return powershell_bare(word) ? std::string(word) : powershell_string(word);
}

}  // namespace planner
