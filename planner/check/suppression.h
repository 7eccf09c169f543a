#pragma once
// Inline suppression comments: `# planner: ignore[LI012]` or `# planner: ignore[LI012, LI021]`
// on the flagged line, or alone on the line above it. A bare `# planner: ignore` silences every
// rule on that line.
#include <vector>

#include "core/diagnostic.h"
#include "load/document.h"

namespace planner {

void apply_suppressions(const Document& doc, std::vector<Diagnostic>& diagnostics);

}  // namespace planner
