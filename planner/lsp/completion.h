#pragma once
// textDocument/completion in the value of a `model:` key (the catalog's models) or a
// `quantization:` key (the quantization names planner knows, resolve/quant.h). Read from the
// line's text, so it works while the document is half typed and does not parse.
#include <nlohmann/json.hpp>
#include <string>

#include "lsp/position.h"

namespace planner::lsp {

// A CompletionList (isIncomplete false: the lists are short enough to send whole; the client
// filters them as the user types). Empty anywhere else.
nlohmann::json completion(const std::string& text, Position at, Encoding enc);

// The key whose value the cursor is in ("model", "quantization", ...) and where that value
// starts (a byte offset), or "" when the cursor is not in a `key: value` line's value.
struct ValueContext {
  std::string key;
  std::size_t value_begin = 0;
};
ValueContext value_context(std::string_view line, std::size_t cursor_in_line);

}  // namespace planner::lsp
