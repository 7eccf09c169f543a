// What an engine decides itself: the rules another engine lends it, the context it picks, the
// slots it serves. The facts are the descriptors' (runtime/<engine>.cpp); this is only their use.
#include "runtime/runtime.h"

#include <algorithm>
#include <string>

namespace planner {

namespace {

std::string without_underscores(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '_') out += c;
  return out;
}

}  // namespace

const Runtime& Runtime::memory_rules(Format f) const {
  for (const EngineFor& e : engines)
    if (e.format == f)
      if (const Runtime* r = find_runtime(e.runtime_id)) return *r;
  return *this;
}

long long engine_default_context(const Runtime& r, double total_vram_bytes, long long trained_context) {
  const std::span<const ContextTier> tiers = r.defaults.context_tiers;
  if (tiers.empty()) return 0;
  long long context = tiers.back().context;
  for (const ContextTier& t : tiers)
    if (total_vram_bytes >= t.min_vram_gib * 1024.0 * 1024.0 * 1024.0) {
      context = t.context;
      break;
    }
  if (r.defaults.context_capped_at_trained && trained_context > 0) context = std::min(context, trained_context);
  return context;
}

int engine_slots(const Runtime& r, std::string_view family, int asked) {
  const int slots = asked > 0 ? asked : r.slots.default_slots;
  const std::string f = without_underscores(family);
  for (std::string_view s : r.slots.single_slot_families)
    if (without_underscores(s) == f) return 1;
  return slots;
}

}  // namespace planner
