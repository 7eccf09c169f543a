#pragma once
// Reading request parameters: each throws BadParams (answered InvalidParams) when a field is
// missing or of the wrong type, so a handler reads what it needs in one line.
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "lsp/ranges.h"

namespace planner::lsp {

struct BadParams : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An object member that must be there and be an object.
const nlohmann::json& object_at(const nlohmann::json& j, const char* key);
std::string string_at(const nlohmann::json& j, const char* key);
// params.textDocument.uri
std::string document_uri(const nlohmann::json& params);
// A Position: non-negative integers (larger than an int: clamped, as a position past the end is).
Position position_at(const nlohmann::json& j, const char* key);
Range range_at(const nlohmann::json& j, const char* key);

}  // namespace planner::lsp
