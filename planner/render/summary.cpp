#include "render/render.h"

namespace planner {

Summary summarize(const std::vector<FileResult>& results) {
  Summary s;
  s.files = static_cast<int>(results.size());
  for (const auto& r : results)
    for (const auto& d : r.diagnostics) {
      if (d.severity == Severity::error) ++s.errors;
      else if (d.severity == Severity::warning) ++s.warnings;
      else ++s.infos;
    }
  return s;
}

}  // namespace planner
