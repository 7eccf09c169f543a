#pragma once
// What `planner init` and `planner init --host` share: the arguments, and the last step of both:
// the text through `check`, then printed or written atomically.
#include <string>
#include <vector>

#include "check/check.h"
#include "cli/machine_args.h"

namespace planner::cli {

struct InitArgs {
  MachineArgs machine;
  bool detect = false, force = false;
  std::string from, output;
  std::vector<std::string> tasks = {"code", "reasoning", "quick_qa", "creative"};  // the seed template's routes
  std::vector<std::string> resident;
  // init --host (cli/init_hosts.cpp): the cluster's machines, its link, the engine, one model.
  std::vector<std::string> hosts;
  std::string link, engine, model;
};

// The tasks and resident routes named are known ones; false with `error` set.
bool tasks_valid(const InitArgs& a, std::string& error);

// Whether `planner check` passes a config init may write: no error, and no warning but LI031's
// (the 16K+ advice, accepted when the model fits: docs/init.md, Fit).
bool init_clean(const FileResult& checked);

// Checks `text` (an error is planner's bug: exit 3), then prints it or writes -o atomically.
int write_init_config(const InitArgs& a, const std::string& text, std::size_t routes);

// `planner init --host ...`.
int run_init_hosts(const InitArgs& a);

}  // namespace planner::cli
