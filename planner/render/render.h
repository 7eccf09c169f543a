#pragma once
// Renderers: one per output format, each knowing only diagnostics, never rules' internals.
#include <ostream>
#include <string>
#include <vector>

#include "check/check.h"

namespace planner {

// Text renderers (text, github) print a message through shown_value with this cap: the values in
// it were cut by shown_value already, so this only escapes again what a stage forgot (the last
// line of defence) and bounds the line.
inline constexpr std::size_t kMessageMax = 1000;

struct Summary {
  int files = 0, errors = 0, warnings = 0, infos = 0;
};
Summary summarize(const std::vector<FileResult>& results);

// gcc-style `file:line:col: severity: message [CODE]`, the source line, a caret, a help line;
// then the summary line ("Found 2 errors, ..."), unless `summary` is false (check --quiet).
void render_text(std::ostream& out, const std::vector<FileResult>& results, bool color, bool summary = true);
// The stable JSON interface (version 1), documented in docs/output-formats.md.
void render_json(std::ostream& out, const std::vector<FileResult>& results);
// An input that could not be read (missing, a directory, unreadable) and why, in words.
struct InputFailure {
  std::string path;
  std::string message;
};
// SARIF 2.1.0 as GitHub code scanning reads it. With failures the run did not succeed: they are
// tool execution notifications, and the log has no results (docs/output-formats.md says why).
void render_sarif(std::ostream& out, const std::vector<FileResult>& results,
                  const std::vector<InputFailure>& failures = {});
// GitHub Actions workflow commands (::error file=...,line=...::message).
void render_github(std::ostream& out, const std::vector<FileResult>& results);

}  // namespace planner
