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

}  // namespace planner
