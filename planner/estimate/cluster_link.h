#pragma once
// The links between cluster hosts: nominal bandwidth per direction, as the standard names it.
#include <optional>
#include <string_view>

namespace planner {

struct LinkInfo {
  const char* id;          // cluster.link's value
  double gbit_per_s = 0;   // nominal data rate, one direction
  const char* source;
};

const LinkInfo* find_link(std::string_view id);

}  // namespace planner
