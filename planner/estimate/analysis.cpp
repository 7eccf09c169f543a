#include "estimate/analysis.h"

#include <filesystem>
#include <map>
#include <tuple>

namespace planner {

const RouteAnalysis* Analysis::route(std::string_view name) const {
  const std::size_t i = resolution.route_at(name);  // routes follows resolution.routes one to one
  return i < routes.size() ? &routes[i] : nullptr;
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
  if (a.config.chip) {
    std::optional<double> ram, vram;
    if (a.config.total_ram_gb) ram = a.config.total_ram_gb->value;
    if (a.config.gpu_vram_gb) vram = a.config.gpu_vram_gb->value;
    a.chip_match = hw.match(a.config.chip->value, ram, vram);
    a.chip = a.chip_match.chip;
  }
  // Routes that serve the same model the same way share one estimate: sizing a GGUF recipe walks
  // every tensor (about 1 ms), and a file may hold 24,000 routes naming one model.
  using Key = std::tuple<const ModelInfo*, std::string, std::string, const Runtime*, long long, double>;
  std::map<Key, std::pair<std::optional<MemoryEstimate>, std::optional<SpeedEstimate>>> estimated;
  for (const auto& r : a.resolution.routes) {
    RouteAnalysis ra;
    ra.route = &r;
    if (r.model && r.quant.known && r.context > 0) {
      Key key{r.model, r.quant.label, r.quant.gguf_recipe, r.runtime, r.context, r.kv_bytes_per_element};
      auto it = estimated.find(key);
      if (it == estimated.end()) {
        std::optional<MemoryEstimate> memory =
            estimate_memory(*r.model, r.quant, *r.runtime, r.context, r.kv_bytes_per_element);
        if (r.file) memory->weights_bytes = static_cast<double>(r.file->weights_bytes);  // exact
        std::optional<SpeedEstimate> speed;
        if (a.chip) speed = estimate_decode_speed(*r.model, r.quant, *memory, *a.chip, hw);
        it = estimated.emplace(std::move(key), std::pair{std::move(memory), std::move(speed)}).first;
      }
      ra.memory = it->second.first;
      ra.speed = it->second.second;
    }
    a.routes.push_back(ra);
  }
  return a;
}

}  // namespace planner
