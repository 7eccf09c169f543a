#pragma once
// Stage 2: the document against the JSON Schema in schema/ (embedded), plus unknown keys with
// the nearest valid key. Produces LI002 (schema-violation) and LI003 (unknown-key) diagnostics.
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "load/document.h"

namespace planner {

std::vector<Diagnostic> check_schema(const Document& doc);

// The node at a key path such as {"routing", "code", "model"}; nullptr when absent.
const Node* node_at(const Node& root, const std::vector<std::string>& path);

}  // namespace planner
