#pragma once
// Reading the embedded data tables (JSON converted from data/*.yaml): a missing or null key
// gives the fallback.
#include <nlohmann/json.hpp>

namespace planner {

template <typename T>
T json_get(const nlohmann::json& j, const char* key, T fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return it->get<T>();
}

// An array member, or an empty array when absent.
inline const nlohmann::json& json_list(const nlohmann::json& j, const char* key) {
  static const nlohmann::json empty = nlohmann::json::array();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : empty;
}

}  // namespace planner
