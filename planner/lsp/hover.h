#pragma once
// textDocument/hover on a route's `model:` (its key or its value): the route's block of
// `planner plan` (render_plan_route: the model, runtime, quantization, context, memory against
// this config's machine, the verdict), from the estimate stage as plan computes it.
#include <optional>
#include <string>

#include "lsp/ranges.h"

namespace planner::lsp {

struct HoverText {
  std::string markdown;
  Range range;  // the value hovered
};

// nullopt where the position is not on a route's model, or the document does not load.
std::optional<HoverText> hover(const std::string& path, const std::string& text, Position at, Encoding enc);

// `text` as a fenced code block whose fence is longer than any run of backticks inside it
// (CommonMark 4.5), so nothing from the document can end the block or become markup.
std::string fenced(const std::string& text);

}  // namespace planner::lsp
