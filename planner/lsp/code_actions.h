#pragma once
// textDocument/codeAction: each finding's fix (Diagnostic::fix) as a quick fix, safe ones
// preferred, unsafe ones titled "(unsafe)" and never preferred; and one source.fixAll.planner
// action that applies what `planner fix` would (safe fixes, re-checked until nothing changes).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lsp/check_document.h"
#include "lsp/ranges.h"

namespace planner::lsp {

inline constexpr const char* kFixAllKind = "source.fixAll.planner";

struct CodeActionRequest {
  std::string uri;
  Range range;
  std::vector<std::string> only;  // CodeActionContext.only; empty = every kind
};

nlohmann::json code_actions(const CodeActionRequest& req, const CheckedDocument& checked, Encoding enc);

// Whether an action of `kind` is asked for by `only` (LSP: a kind matches itself and its
// sub-kinds, "source" matches "source.fixAll.planner").
bool kind_wanted(const std::string& kind, const std::vector<std::string>& only);

}  // namespace planner::lsp
