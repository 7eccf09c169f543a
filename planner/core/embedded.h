#pragma once
// Files embedded at build time by cmake/embed.cmake (schema/ and data/ are their single source).
#include <string_view>

namespace planner::embedded {
std::string_view schema_json();
std::string_view settings_schema_json();  // schema/planner-settings.schema.json
std::string_view run_report_schema_json();  // schema/planner-run.schema.json
// data/*.yaml, converted to minified JSON at build time (planner/embed/yaml_to_json.cpp).
std::string_view seed_names_json();
std::string_view unsized_models_json();  // data/unsized_models.yaml
std::string_view quantization_json();
std::string_view hardware_json();
}  // namespace planner::embedded
