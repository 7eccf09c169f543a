#pragma once
// The one shell-quoting function: every value that reaches a command line or a generated script
// passes through it, so a config value with spaces, quotes or `$(...)` stays one inert word.
#include <string>
#include <string_view>

namespace planner {

// POSIX sh single-quoting: words made only of safe characters are left bare, anything else is
// wrapped in '...' with each ' written as '\''. The empty string becomes ''.
std::string shell_quote(std::string_view word);

}  // namespace planner
