#pragma once
// "Did you mean" for the command line: the closest subcommand to a mistyped one, the closest
// option of a subcommand to a mistyped flag (edit distance, as git and cargo suggest).
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace planner::cli {

// The first word of argv that is no option and no known subcommand ("chek"), or "" when the
// command line names a subcommand or none at all.
std::string unknown_subcommand(const CLI::App& app, int argc, char** argv);

// The closest name in `names` within an edit distance a typo makes (a third of the word, at
// least 1, at most 3), or "".
std::string closest(const std::string& word, const std::vector<std::string>& names);

// One line per unexpected argument after a parse: "unknown option '--stirct' for 'planner
// check'; did you mean '--strict'?" (or without the suggestion when none is close).
std::vector<std::string> explain_extras(const CLI::App& app);

}  // namespace planner::cli
