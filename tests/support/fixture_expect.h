#pragma once
// The rule fixtures' expectations, as clang-tidy's CHECK-MESSAGES / CHECK-FIXES: inline
// `# expect: SEVERITY CODE @COL "substring"...` comments (or a `<stem>.expect` sidecar) and the
// fixed text in `<stem>.fixed.yaml` / `<stem>.unsafe-fixed.yaml`. The syntax is documented in
// tests/fixtures/README.md; this file parses it and checks one fixture against planner.
#include <filesystem>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "rules/rule.h"

namespace planner::testing {

struct Expectation {
  int line = 0;    // 0 = the whole file
  int column = 0;  // 1-based; 0 with line 0
  std::string severity;
  std::string code;
  std::vector<std::string> message;  // substrings of the message, all required
  std::vector<std::string> help;     // substrings of the help text, all required
  std::string where;                 // "file:line" of the expectation itself
};

// Inline `# expect...:` comments of a fixture's text. Malformed ones go to `errors`.
std::vector<Expectation> parse_inline(const std::string& text, const std::string& file,
                                      std::vector<std::string>& errors);
// A sidecar `.expect` file's text: `LINE:COL: SEVERITY CODE "substring"...`; blank lines and
// `#` comments skipped.
std::vector<Expectation> parse_sidecar(const std::string& text, const std::string& file,
                                       std::vector<std::string>& errors);

// "15:3 error LI014 \"needs\" help \"wired\"": an expectation as the failure listing shows it.
std::string describe(const Expectation& e);
// "15:3 error LI014: message": a diagnostic as the failure listing shows it.
std::string describe(const Diagnostic& d);

// Pairs every diagnostic with one expectation (line, column, severity, code, every substring).
// Returns "" when all pair up, else a listing of the expectations nobody matched and the
// diagnostics nothing expected.
std::string match(const std::vector<Expectation>& expected, const std::vector<Diagnostic>& actual);

// The fixed-text siblings of a fixture.
std::filesystem::path fixed_path(const std::filesystem::path& fixture);         // <stem>.fixed.yaml
std::filesystem::path unsafe_fixed_path(const std::filesystem::path& fixture);  // <stem>.unsafe-fixed.yaml
// Whether a file name is one of those siblings (not a fixture of its own).
bool is_fixed_file(const std::string& filename);

// Checks one fixture with only `rule` selected: its expectations (inline and sidecar), that a bad
// fixture expects something and a clean one nothing, and its fixed texts. Returns the failures,
// one message each (empty = pass).
std::vector<std::string> check_fixture(const std::filesystem::path& fixture, const Rule& rule, bool bad);

}  // namespace planner::testing
