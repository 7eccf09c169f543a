#pragma once
// Stage 2: the document against the JSON Schema in schema/ (embedded), plus unknown keys with
// the nearest valid key. Produces LI002 (schema-violation) and LI003 (unknown-key) diagnostics.
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "load/document.h"

namespace planner {

std::vector<Diagnostic> check_schema(const Document& doc);
// A settings file (.planner.yaml) against its own schema (schema/planner-settings.schema.json):
// the same unknown-key, type and range findings, located the same way.
std::vector<Diagnostic> check_settings_schema(const Document& doc);
// A run script's planner-run.json (read as YAML, a superset of JSON, for its locations) against
// schema/planner-run.schema.json; `planner plan --measured` reads it.
std::vector<Diagnostic> check_run_report_schema(const Document& doc);

// Whether `value` is inside the range the schema gives the property `key` of the object schema at
// JSON pointer `object` ("/definitions/user_model"): minimum, maximum and their exclusive forms.
// Later stages read numbers through this, so a value the schema rejected is never computed with
// (2147483648 layers is an error, not -2147483648 or a 39-second loop). The schema states each
// range once.
bool within_schema_range(std::string_view object, std::string_view key, double value);

// Whether `name` is a valid route name (the schema's routing.propertyNames).
bool is_route_name(std::string_view name);

// The node at a key path such as {"routing", "code", "model"}; nullptr when absent.
const Node* node_at(const Node& root, const std::vector<std::string>& path);

}  // namespace planner
