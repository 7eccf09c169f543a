#pragma once
// A small catalog for tests, from {"models": [...]} in the record form the build generates
// (planner/embed/catalog_entry.cpp catalog_record): each model's id, repo id, aliases, artifact
// repos and Ollama tags become its names, as catalog_gen makes them (derived spellings aside).
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resolve/catalog.h"

namespace planner::testing {

class TestCatalog {
 public:
  explicit TestCatalog(std::string_view models_json);
  const Catalog& get() const { return *catalog_; }

 private:
  std::deque<std::string> text_;  // owns what the views below point into
  std::vector<std::string_view> records_;
  std::vector<catalog_data::NameEntry> names_;
  std::optional<Catalog> catalog_;
};

}  // namespace planner::testing
