#pragma once
// The names a config's free-text keys are most often given, for completion: the schema's
// `examples` of routing.R.model and the quantization keys (generated into
// schema/local-inference-config.schema.json by planner/embed/schema_examples.cpp) and any editor
// that offers them. Examples, not a list of what is allowed: a model the catalog does not know
// is still a valid name (a repo id, a path, a `models:` entry).
#include <string>
#include <vector>

#include "model/quant_tables.h"
#include "resolve/quant.h"
#include "resolve/catalog.h"

namespace planner {

// Every catalog model by its own id (`planner models`' first column), sorted.
std::vector<std::string> model_name_examples(const Catalog& catalog);

// quantization_examples() is in resolve/quant.h, beside the names' resolution.

}  // namespace planner
