#pragma once
// A data file's YAML as JSON, for the build-time tools (yaml_to_json, catalog_gen): scalars typed
// by the YAML 1.2 core schema (load/scalar_type), quoted scalars kept as strings, duplicate keys
// an error (they would silently shadow data).
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace planner {

// Keys in `dropped` are left out at any depth (citations no command reads). `where` names the
// node in error messages ("data/hardware.yaml.gpus[3]").
nlohmann::ordered_json yaml_as_json(const YAML::Node& n, const std::string& where, const std::set<std::string>& dropped = {});

}  // namespace planner
