#pragma once
// Where detection reads its raw text: by running the commands on this machine, or from a
// directory of recorded outputs (`planner detect --from DIR`, for tests and bug reports).
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace planner::detect {

// One source of machine facts. `file` names it in a --from directory; on the machine it is the
// command `argv` (run without a shell) or, when `path` is set, a file read directly.
struct Source {
  std::string file;
  std::vector<std::string> argv;
  std::string path;
};

// The sources detection knows, in the order it reads them.
const std::vector<Source>& known_sources();
const Source& source(std::string_view file);

struct Collected {
  bool present = false;  // false: command not installed / file absent (not an error)
  std::string text;
  std::string problem;   // present but unusable: non-zero exit, timeout, output too large
};

using Reader = std::function<Collected(const Source&)>;

struct RunLimits {
  std::chrono::milliseconds timeout{5000};
  std::size_t max_bytes = 1 << 20;  // sysctl and nvidia-smi print a few hundred bytes
};

// Runs argv (execvp, no shell), stdout captured, stderr discarded, stdin /dev/null.
Collected run_command(const std::vector<std::string>& argv, const RunLimits& limits = {});

// Reads this machine: /proc files directly, commands through run_command.
Reader machine_reader(const RunLimits& limits = {});
// Reads DIR/<source.file>; a missing file is an absent source.
Reader directory_reader(std::string dir);

}  // namespace planner::detect
