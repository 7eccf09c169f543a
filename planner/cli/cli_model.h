#pragma once
// The command line as data, read back from the CLI11 app after every subcommand is declared, so
// the shell completions and the man page are generated from the parser itself and cannot drift.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace planner::cli {

struct OptionInfo {
  std::vector<std::string> flags;  // "--format", "-o"; empty for a positional
  std::string positional;          // the positional's name ("files"), else empty
  std::string value_name;          // what the value is ("TEXT", "INT", "FILE"); empty for a flag
  std::vector<std::string> choices;  // the allowed values of a CLI::IsMember option
  // Values a shell completes although others are allowed too (rule codes for --select, which
  // also takes prefixes and names; the workloads `route` knows). Not listed in the man page.
  std::vector<std::string> completions;
  std::string description;
  bool repeats = false;  // takes several values (a list of files)
  bool required = false;
};

struct CommandInfo {
  std::string name, description;
  std::vector<OptionInfo> options;  // flags first, in declaration order, then positionals
};

// The root's own options (--help, --version) and one entry per subcommand, in declaration order.
CommandInfo describe_root(const CLI::App& app);
std::vector<CommandInfo> describe_subcommands(const CLI::App& app);

}  // namespace planner::cli
