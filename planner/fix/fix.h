#pragma once
// Stage "fix": applies the text edits that diagnostics carry, then checks again, until nothing
// more applies (ruff's loop). Edits patch the source bytes, so comments, key order and layout
// of everything untouched survive: yaml-cpp could not re-emit them.
#include <string>
#include <string_view>
#include <vector>

#include "check/check.h"
#include "core/diagnostic.h"

namespace planner {

struct FixOptions {
  bool unsafe = false;  // also apply unsafe fixes (--unsafe-fixes)
  CheckOptions check;   // --select / --ignore also select which fixes apply
  int max_passes = 10;  // a fix that re-triggers forever must not hang fix
};

struct AppliedFix {
  std::string code;
  std::string title;
  FixSafety safety = FixSafety::safe;
  std::string path;  // YAML path of the finding
  int line = 0;      // in the text the fix was applied to
};

struct FixResult {
  std::string text;                    // the fixed text (== input when nothing applied)
  std::vector<AppliedFix> applied;     // in the order applied
  FileResult after;                    // the check of `text`
  std::vector<Diagnostic> unsafe_held; // unsafe fixes left out (no --unsafe-fixes)
  bool converged = true;               // false when max_passes ran out
};

FixResult fix_text(const std::string& path, std::string text, const FixOptions& options = {});

// Applies non-overlapping fixes in source order; a fix whose edits overlap an earlier one is
// left for the next pass (the text it targets may change). Returns the fixes applied.
std::vector<const Diagnostic*> apply_fixes(std::string& text, const std::vector<const Diagnostic*>& candidates);

}  // namespace planner
