#pragma once
// Every JSON document planner prints goes through json_text: values from input (a config, a model
// file's strings, nvidia-smi's output) may hold bytes that are not UTF-8, and nlohmann's dump()
// throws on them by default (type_error 316), which `main` would report as an internal error.
// With error_handler_t::replace each invalid byte becomes U+FFFD, so the output is always valid
// UTF-8 (RFC 8259 section 8.1) and control characters are escaped as \u00XX by dump itself.
#include <nlohmann/json.hpp>
#include <string>

namespace planner {

template <typename Json>
std::string json_text(const Json& j, int indent = 2) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace planner
