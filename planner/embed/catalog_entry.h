#pragma once
// One folder of data/models/ (ORG/NAME/config.json + model.yaml, format in data/README.md) read and
// checked for the catalog: the architecture from config.json through the reader that sizes users'
// model directories (modelfile/hf_config), the rest from model.yaml. Build-time only.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "resolve/catalog.h"

namespace planner {

struct CatalogEntry {
  ModelInfo model;
  std::string folder;                 // "data/models/Qwen/Qwen3-14B", for messages
  std::vector<std::string> aliases;   // explicit names from model.yaml (lower-case)
};

// Throws std::runtime_error("FOLDER/FILE: what") on anything the catalog cannot use: a config.json
// the reader warns about, a missing architecture field, an unknown or misspelt model.yaml key, an
// artifact without a size or source, parameters neither counted nor given.
CatalogEntry read_catalog_entry(const std::filesystem::path& folder, const std::string& repo_id);

// The record the runtime decodes (resolve/catalog.cpp reads these field names).
nlohmann::ordered_json catalog_record(const ModelInfo& m);

}  // namespace planner
