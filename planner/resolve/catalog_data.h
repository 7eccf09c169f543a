#pragma once
// The catalog as the build generates it (planner/embed/catalog_gen.cpp, from data/models/): one
// record per model, and every name a model is known by, sorted, so a look-up is a binary search
// and nothing is parsed at start-up. Records are decoded when a name first reaches them.
#include <cstdint>
#include <span>
#include <string_view>

namespace planner::catalog_data {

// Which of a model's names an entry is: its own (id, repo id, alias), or a published conversion's.
enum class NameKind : std::uint8_t { model = 0, mlx = 1, gguf = 2, ollama = 3 };

struct NameEntry {
  std::string_view name;   // lower-case
  std::uint32_t record;    // index into records()
  NameKind kind;
  std::uint16_t artifact;  // index into the record's list of that kind (0 for NameKind::model)
};

// One minified JSON object per model, in the field names of resolve/catalog.cpp's reader.
std::span<const std::string_view> records();
// Sorted by name; every name appears once.
std::span<const NameEntry> names();

}  // namespace planner::catalog_data
