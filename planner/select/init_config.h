#pragma once
// The config `planner init` writes: the seed template's keys and layout, each picked value with a
// short comment saying why.
#include <string>
#include <vector>

#include "select/select.h"

namespace planner {

// One machine of `init --host`: a cluster.hosts entry.
struct InitHost {
  std::string name;
  std::string address;  // "" : the name is the address
  Machine machine;
};

// The cluster: section init writes: the hosts (the first is the top-level hardware: the head),
// the link, and the routes split over the hosts with their engine ids (the others run on the head).
struct InitCluster {
  std::vector<InitHost> hosts;
  std::string link;  // "" : not stated
  struct Route {
    std::string route, engine;
    std::string why;  // a one-line comment
  };
  std::vector<Route> routes;
  bool splits(std::string_view route) const;
};

struct InitRequest {
  std::string command_line;           // quoted in the header comment
  std::vector<std::string> resident;  // inference.resident_routes
  std::string detected_from;          // "" or where the hardware came from
  const InitCluster* cluster = nullptr;  // written when it has routes
};

// Every selection must have a chosen candidate.
std::string render_init_config(const SelectContext& ctx, const std::vector<TaskSelection>& routes, const InitRequest& req);

}  // namespace planner
