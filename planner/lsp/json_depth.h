#pragma once
// How deeply a JSON text nests arrays and objects, counted without parsing it: a body of 64 MiB
// of "[" would otherwise build a tree millions deep. LSP messages nest a handful of levels.
#include <string_view>

namespace planner::lsp {

inline constexpr int kMaxJsonDepth = 64;

// The deepest nesting in `text` (brackets inside strings do not count), stopping early once
// past `limit`.
int json_depth(std::string_view text, int limit = kMaxJsonDepth);

}  // namespace planner::lsp
