#pragma once
// The LSP range a diagnostic covers: from its 1-based line and byte column to its end
// (Diagnostic::end_line/end_column, the node's source extent, load/source_extent.h).
#include <cstddef>

#include "core/diagnostic.h"
#include "load/document.h"
#include "lsp/position.h"

namespace planner::lsp {

struct Range {
  Position start, end;
};

// A whole-file finding (line 0) covers the first line, a whole-line one (column 0) its line; one
// with no end known the token at its place (source_extent.h token_end).
Range diagnostic_range(const Diagnostic& d, const Document& doc, const LineIndex& index, Encoding enc);

// Byte offsets [begin, end) as an LSP range.
Range byte_range(const LineIndex& index, std::size_t begin, std::size_t end, Encoding enc);

}  // namespace planner::lsp
