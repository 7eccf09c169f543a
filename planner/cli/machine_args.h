#pragma once
// The machine options `planner init` and `planner route` share: --ram, --arch, --chip, --gpu,
// --vram, --macos, --wired-limit-gb. Validated against the schema's architectures and
// data/hardware.yaml's chips, so nothing unknown reaches a generated config.
#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "detect/detect.h"
#include "select/machine.h"
#include "select/select.h"

namespace planner::cli {

struct MachineArgs {
  double ram = 0;
  std::string arch, chip, gpu, prefer;
  double vram = 0, wired_limit_gb = 0;
  int macos = 0;
  long long context = 8192;
  std::string kv_type = "f16";
};

void add_machine_options(CLI::App* cmd, MachineArgs& a);

// Builds the machine; false with `error` set on a bad combination or an unknown chip/GPU.
bool machine_from_args(const MachineArgs& a, Machine& m, std::string& error);
// The machine `planner detect` read (init --detect, models --local).
Machine machine_from_detection(const detect::Detection& d);
// --prefer, --context and --kv-type as selection options; false on MLX off Apple silicon.
bool options_from_args(const MachineArgs& a, const Machine& m, SelectOptions& o, std::string& error);

}  // namespace planner::cli
