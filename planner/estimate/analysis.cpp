#include "estimate/analysis.h"

#include <filesystem>

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
  const std::string base_dir = std::filesystem::path(doc.path).parent_path().string();
  a.resolution = resolve_routes(a.config, catalog, quant, base_dir.empty() ? "." : base_dir);
  a.budget = compute_budget(a.config, hw);
  if (a.config.chip) a.chip = hw.chip(a.config.chip->value);
  for (const auto& r : a.resolution.routes) {
    RouteAnalysis ra;
    ra.route = &r;
    if (r.model && r.quant.known && r.context > 0)
      ra.memory = estimate_memory(*r.model, r.quant, r.format, r.context, r.kv_bytes_per_element, a.runtime);
    if (ra.memory && r.file) ra.memory->weights_bytes = static_cast<double>(r.file->weights_bytes);  // exact
    if (ra.memory && a.chip) ra.speed = estimate_decode_speed(*r.model, r.quant, *ra.memory, *a.chip, hw);
    a.routes.push_back(ra);
  }
  return a;
}

}  // namespace planner
