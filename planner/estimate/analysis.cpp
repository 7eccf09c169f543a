#include "estimate/analysis.h"

namespace planner {

const RouteAnalysis* Analysis::route(std::string_view name) const {
  for (const auto& r : routes)
    if (r.route->cfg->name == name) return &r;
  return nullptr;
}

Analysis analyze(const Document& doc, const Catalog& catalog, const QuantTables& quant, const HardwareTables& hw) {
  Analysis a;
  a.doc = &doc;
  a.catalog = &catalog;
  a.quant = &quant;
  a.hardware = &hw;
  a.config = read_config(doc);
  a.resolution = resolve_routes(a.config, catalog, quant);
  a.budget = compute_budget(a.config, hw);
  if (a.config.chip) a.chip = hw.chip(a.config.chip->value);
  for (const auto& r : a.resolution.routes) {
    RouteAnalysis ra;
    ra.route = &r;
    if (r.model && r.quant.known && r.context > 0)
      ra.memory = estimate_memory(*r.model, r.quant, r.format, r.context, r.kv_bytes_per_element, a.runtime);
    if (ra.memory && a.chip) ra.speed = estimate_decode_speed(*r.model, r.quant, *ra.memory, *a.chip, hw);
    a.routes.push_back(ra);
  }
  return a;
}

}  // namespace planner
