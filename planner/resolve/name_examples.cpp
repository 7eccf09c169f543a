#include "resolve/name_examples.h"

#include <algorithm>

namespace planner {

std::vector<std::string> model_name_examples(const Catalog& catalog) {
  std::vector<std::string> out;
  for (const ModelInfo& m : catalog.models()) out.push_back(m.id);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> quantization_examples(const QuantTables& tables) {
  std::vector<std::string> out = tables.recipe_names();
  for (const DynamicQuant& d : tables.dynamic_quants()) out.push_back(d.name);
  // parse_mlx_name (resolve/quant.h) reads "4bit" as affine 4 bits at the default group.
  for (int bits : tables.mlx_affine_bits()) out.push_back(std::to_string(bits) + "bit");
  for (const MlxEquivalent& m : tables.mlx_modes())
    if (m.mode != "affine") out.push_back(m.mode);
  return out;
}

}  // namespace planner
