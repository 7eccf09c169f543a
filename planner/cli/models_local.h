#pragma once
// `planner models --local`: the models already on disk (Hugging Face cache, Ollama, LM Studio),
// read from their headers, with the memory each needs and whether it fits a machine.
#include <string>

#include "cli/machine_args.h"

namespace planner::cli {

struct ModelsLocalArgs {
  MachineArgs machine;        // --ram/--arch...: the machine to fit; none: this machine, detected
  bool context_given = false; // --context given: else each model at the route default (Ollama: num_ctx)
  std::string format = "text";
};

int run_models_local(const ModelsLocalArgs& a);

}  // namespace planner::cli
