#include "fix/fix.h"

#include <algorithm>
#include <set>

namespace planner {

namespace {
std::pair<std::size_t, std::size_t> span(const Fix& f) {
  std::size_t b = f.edits.front().begin, e = f.edits.front().end;
  for (const auto& ed : f.edits) b = std::min(b, ed.begin), e = std::max(e, ed.end);
  return {b, e};
}
}  // namespace

std::vector<const Diagnostic*> apply_fixes(std::string& text, const std::vector<const Diagnostic*>& candidates) {
  std::vector<const Diagnostic*> order;
  for (const auto* d : candidates)
    if (d->fix && !d->fix->edits.empty()) order.push_back(d);
  std::stable_sort(order.begin(), order.end(),
                   [](const Diagnostic* a, const Diagnostic* b) { return span(*a->fix).first < span(*b->fix).first; });

  std::vector<const Diagnostic*> chosen;
  std::vector<TextEdit> edits;
  bool have_prev = false;
  std::size_t prev_begin = 0, prev_end = 0;
  for (const auto* d : order) {
    auto [b, e] = span(*d->fix);
    if (e > text.size()) continue;  // stale: never trust an offset past the end
    // Two edits at one point (two insertions, or an insertion at a replacement's start) would
    // depend on their order: the second waits for the next pass, like any overlap.
    if (have_prev && (b < prev_end || b == prev_begin)) continue;
    chosen.push_back(d);
    for (const auto& ed : d->fix->edits) edits.push_back(ed);
    have_prev = true, prev_begin = b, prev_end = std::max(prev_end, e);
  }
  // Back to front, so earlier offsets stay valid.
  std::sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) { return a.begin > b.begin; });
  for (const auto& ed : edits) text.replace(ed.begin, ed.end - ed.begin, ed.text);
  return chosen;
}

FixResult fix_text(const std::string& path, std::string text, const FixOptions& options) {
  FixResult result;
  std::set<std::string> seen{text};  // a cycle (A fixes to B, B back to A) ends the loop
  for (int pass = 0;; ++pass) {
    FileResult checked = check_text(path, text, options.check);
    std::vector<const Diagnostic*> candidates;
    result.unsafe_held.clear();
    for (const auto& d : checked.diagnostics) {
      if (!d.fix) continue;
      if (d.fix->safety == FixSafety::unsafe && !options.unsafe) {
        result.unsafe_held.push_back(d);
        continue;
      }
      candidates.push_back(&d);
    }
    if (candidates.empty() || pass == options.max_passes) {
      result.converged = candidates.empty();
      result.after = std::move(checked);
      break;
    }
    std::string next = text;
    auto chosen = apply_fixes(next, candidates);
    if (chosen.empty() || !seen.insert(next).second) {
      result.converged = chosen.empty();
      result.after = std::move(checked);
      break;
    }
    for (const auto* d : chosen)
      result.applied.push_back({d->code, d->fix->title, d->fix->safety, d->path, d->line});
    text = std::move(next);
  }
  result.text = std::move(text);
  return result;
}

}  // namespace planner
