#pragma once
// Where LSP positions and planner's byte offsets meet. An LSP position is a 0-based line and a
// 0-based character counted in the negotiated encoding's code units: UTF-16 by default, UTF-8
// (bytes) when the client offers it (LSP 3.17 `positionEncoding`). planner counts bytes: its
// diagnostics carry 1-based lines and 1-based byte columns, its fixes byte offsets.
#include <cstddef>
#include <string_view>
#include <vector>

namespace planner::lsp {

enum class Encoding { utf16, utf8 };

struct Position {
  int line = 0;       // 0-based
  int character = 0;  // 0-based, in code units of the encoding
};

// The line starts of one text. Lines end at "\n", "\r\n" or a lone "\r", as LSP counts them.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  int lines() const { return static_cast<int>(starts_.size()); }
  // Byte range of line `line` (0-based) without its line break; the last line when past the end.
  std::size_t line_begin(int line) const;
  std::size_t line_end(int line) const;

  // The byte offset of `p`. A line past the end gives the end of the text; a character past the
  // line's end gives the line's end (the LSP rule); one inside a UTF-16 surrogate pair or a UTF-8
  // sequence gives the end of that character.
  std::size_t offset(Position p, Encoding enc) const;
  // The position of byte offset `offset` (clamped to the text; inside a line break: the line's end).
  Position position(std::size_t offset, Encoding enc) const;
  // A diagnostic's 1-based line and 1-based byte column as a byte offset (column 0: the line's start).
  std::size_t offset_of_line_column(int line, int column) const;

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
};

// Code units of `s` in `enc`.
std::size_t code_units(std::string_view s, Encoding enc);

}  // namespace planner::lsp
