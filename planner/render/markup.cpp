// XML and markdown escaping over shown_value (render/markup.h).
#include "render/markup.h"

namespace planner {

namespace {
std::string markup_shown(std::string_view raw, std::size_t max_chars) {
  return max_chars == 0 ? shown_text(raw) : shown_value(raw, max_chars);
}
}  // namespace

std::string xml_text(std::string_view raw, std::size_t max_chars) {
  const std::string s = markup_shown(raw, max_chars);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // U+FFFE / U+FFFF (EF BF BE / EF BF BF): valid UTF-8, but not XML characters.
        if (static_cast<unsigned char>(c) == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(s[i + 2]) == 0xBE || static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xBE ? "\\uFFFE" : "\\uFFFF";
          i += 2;
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string markdown_text(std::string_view raw, std::size_t max_chars) {
  const std::string s = markup_shown(raw, max_chars);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\\': case '`': case '*': case '_': case '{': case '}': case '[': case ']': case '(': case ')':
      case '#': case '+': case '-': case '.': case '!': case '|': case '~': case ':': case '"': case '\'':
      case '=': case '$': case '^':
        out += '\\';
        out += c;
        break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace planner
