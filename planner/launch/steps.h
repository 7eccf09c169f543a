#pragma once
// What a runtime's launch steps are given (its descriptor names the function: runtime/runtime.h
// LaunchSteps; each engine's steps are launch/steps_<engine>.cpp), and the helpers they share with
// launch/plan.cpp.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "launch/plan.h"

namespace planner {

struct LaunchContext {
  const Analysis& a;
  const RouteAnalysis& ra;
  const LaunchOptions& opt;
  LaunchPlan& plan;
  std::string dir;  // models/<route>, relative to the base
  int index;
};

namespace steps {

// A path for a command word: relative to the base, never read as an option.
std::string join_path(const std::string& base, const std::string& rel);
// A repo id from the catalog or a `models:` entry goes to a command only when the Hub would
// accept it (launch/names.h); otherwise the route is skipped and says why.
bool usable_repo(RouteLaunch& rl, std::string_view key, const std::string& repo);
Word lit(std::string s);
std::vector<Word> words(std::initializer_list<std::string> ws);
void add_tool(LaunchPlan& p, const std::string& t);
// The model file or directory a route serves: a path as written (relative to the base), or the
// file a name was found as in a model store (resolve/local_model.h), which is absolute.
std::string served_path(const LaunchContext& c, const ResolvedRoute& r);

}  // namespace steps
}  // namespace planner
