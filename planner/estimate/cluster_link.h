#pragma once
// The links between cluster hosts: nominal bandwidth per direction, as the standard names it.
#include <optional>
#include <span>
#include <string_view>

namespace planner {

struct LinkInfo {
  const char* id;          // cluster.link's value
  double gbit_per_s = 0;   // nominal data rate, one direction
  const char* source;
};

const LinkInfo* find_link(std::string_view id);
// Every link, in the order the schema's cluster.link enum lists them.
std::span<const LinkInfo> links();

}  // namespace planner
