#include "lsp/params.h"

#include <limits>

namespace planner::lsp {

const nlohmann::json& object_at(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) throw BadParams("expected an object");
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) throw BadParams(std::string("'") + key + "' must be an object");
  return *it;
}

std::string string_at(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) throw BadParams("expected an object");
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) throw BadParams(std::string("'") + key + "' must be a string");
  return it->get<std::string>();
}

std::string document_uri(const nlohmann::json& params) { return string_at(object_at(params, "textDocument"), "uri"); }

namespace {
int count_at(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) throw BadParams(std::string("'") + key + "' must be an integer");
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    return v > static_cast<std::uint64_t>(std::numeric_limits<int>::max()) ? std::numeric_limits<int>::max()
                                                                          : static_cast<int>(v);
  }
  const auto v = it->get<std::int64_t>();
  if (v < 0) throw BadParams(std::string("'") + key + "' must not be negative");
  return v > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max() : static_cast<int>(v);
}
}  // namespace

Position position_at(const nlohmann::json& j, const char* key) {
  const nlohmann::json& p = object_at(j, key);
  return {count_at(p, "line"), count_at(p, "character")};
}

Range range_at(const nlohmann::json& j, const char* key) {
  const nlohmann::json& r = object_at(j, key);
  return {position_at(r, "start"), position_at(r, "end")};
}

}  // namespace planner::lsp
