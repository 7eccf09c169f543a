#pragma once
// planner's findings as LSP Diagnostic objects (textDocument/publishDiagnostics).
#include <nlohmann/json.hpp>

#include "check/check.h"
#include "lsp/position.h"
#include "lsp/ranges.h"

namespace planner::lsp {

// code, severity (error 1, warning 2, info 3), source "planner", the message as check prints it
// with its help after a blank line, and the range (ranges.h).
nlohmann::json to_lsp_diagnostic(const Diagnostic& d, const Document& doc, const LineIndex& index, Encoding enc);
// Every finding of one checked document (its FileResult: the diagnostics and the text they are about).
nlohmann::json to_lsp_diagnostics(const FileResult& result, Encoding enc);

nlohmann::json json_of(Position p);
nlohmann::json json_of(const Range& r);

}  // namespace planner::lsp
