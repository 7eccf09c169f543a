#include "lsp/ranges.h"

#include <algorithm>

#include "load/source_extent.h"

namespace planner::lsp {

Range byte_range(const LineIndex& index, std::size_t begin, std::size_t end, Encoding enc) {
  return {index.position(begin, enc), index.position(end, enc)};
}

Range diagnostic_range(const Diagnostic& d, const Document& doc, const LineIndex& index, Encoding enc) {
  if (d.line <= 0) return byte_range(index, 0, index.line_end(0), enc);
  const std::size_t begin = index.offset_of_line_column(d.line, d.column);
  std::size_t end;
  if (d.end_line > 0) end = index.offset_of_line_column(d.end_line, d.end_column);
  else if (d.column <= 0) end = index.line_end(d.line - 1);
  else {
    const SourcePos e = token_end(doc, d.line, d.column);
    end = e.line > 0 ? index.offset_of_line_column(e.line, e.column) : begin;
  }
  return byte_range(index, begin, std::max(begin, end), enc);
}

}  // namespace planner::lsp
