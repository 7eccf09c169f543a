#pragma once
// The config `planner init` writes: the seed template's keys and layout, each picked value with a
// short comment saying why.
#include <string>
#include <vector>

#include "select/select.h"

namespace planner {

struct InitRequest {
  std::string command_line;           // quoted in the header comment
  std::vector<std::string> resident;  // inference.resident_routes
  std::string detected_from;          // "" or where the hardware came from
};

// Every selection must have a chosen candidate.
std::string render_init_config(const SelectContext& ctx, const std::vector<TaskSelection>& routes, const InitRequest& req);

}  // namespace planner
