#include "lsp/position.h"

#include <algorithm>

#include "core/text.h"

namespace planner::lsp {

namespace {
// A 4-byte UTF-8 character is a surrogate pair in UTF-16; every other one a single unit.
std::size_t units_of(std::size_t bytes, Encoding enc) { return enc == Encoding::utf8 ? bytes : bytes == 4 ? 2 : 1; }
}  // namespace

std::size_t code_units(std::string_view s, Encoding enc) { return enc == Encoding::utf8 ? s.size() : utf16_units(s); }

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    if (text[i] == '\n' || text[i] == '\r') starts_.push_back(i + 1);
  }
}

std::size_t LineIndex::line_begin(int line) const {
  if (line < 0) return 0;
  return starts_[std::min<std::size_t>(static_cast<std::size_t>(line), starts_.size() - 1)];
}

std::size_t LineIndex::line_end(int line) const {
  if (line < 0) line = 0;
  const auto l = std::min<std::size_t>(static_cast<std::size_t>(line), starts_.size() - 1);
  if (l + 1 == starts_.size()) return text_.size();
  std::size_t end = starts_[l + 1] - 1;  // the break's last byte
  if (text_[end] == '\n' && end > starts_[l] && text_[end - 1] == '\r') --end;
  return end;
}

std::size_t LineIndex::offset(Position p, Encoding enc) const {
  if (p.line < 0) return 0;
  if (static_cast<std::size_t>(p.line) >= starts_.size()) return text_.size();
  const std::size_t begin = line_begin(p.line), end = line_end(p.line);
  if (p.character <= 0) return begin;
  std::size_t i = begin, units = 0;
  const auto want = static_cast<std::size_t>(p.character);
  while (i < end && units < want) {
    const std::size_t len = std::min(utf8_char_length(text_, i), end - i);
    units += units_of(len, enc);
    i += len;
  }
  return i;
}

Position LineIndex::position(std::size_t offset, Encoding enc) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const int line = static_cast<int>(it - starts_.begin()) - 1;
  const std::size_t begin = line_begin(line);
  const std::size_t stop = std::min(offset, line_end(line));
  std::size_t units = 0;
  for (std::size_t i = begin; i < stop;) {
    const std::size_t len = std::min(utf8_char_length(text_, i), stop - i);
    units += units_of(len, enc);
    i += len;
  }
  return {line, static_cast<int>(units)};
}

std::size_t LineIndex::offset_of_line_column(int line, int column) const {
  if (line <= 0) return 0;
  const std::size_t begin = line_begin(line - 1), end = line_end(line - 1);
  if (column <= 0) return begin;
  return std::min(begin + static_cast<std::size_t>(column - 1), end);
}

}  // namespace planner::lsp
