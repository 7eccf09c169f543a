#pragma once
// What `planner check` reads: the files named, `-` (stdin), directories (searched for config
// files), or, with no argument, the config found upward from the working directory.
#include <string>
#include <vector>

namespace planner::cli {

// The files the pre-commit hooks match (.pre-commit-hooks.yaml's `files:` says the same; a test
// holds them equal): local-inference-config*.yaml / .yml.
bool is_config_file_name(const std::string& file_name);

struct CheckInput {
  std::string path;        // as shown in findings and used for model paths relative to it
  bool from_stdin = false;  // read standard input; `path` is --stdin-filename or "-"
};

struct InputRequest {
  std::vector<std::string> args;      // the positional arguments
  std::string stdin_filename;         // --stdin-filename
  std::vector<std::string> includes;  // --include globs: in a directory, these files too
  std::string cwd;                    // where the upward search starts (empty: the process's)
};

// Expands the arguments in order. Directories are walked in name order, without following
// symbolic links and skipping hidden directories (.git, .venv); a file matches by name
// (is_config_file_name) or by an --include glob on its path relative to the directory or on its
// name. Returns false with a one-line `error` when nothing can be read (no config upward, `-`
// given twice, a walk over the file limit).
bool collect_inputs(const InputRequest& request, std::vector<CheckInput>& out, std::string& error);

}  // namespace planner::cli
