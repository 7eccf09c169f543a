#pragma once
// The shell-quoting functions, one per shell: every value that reaches a command line or a
// generated script passes through one of them, so a config value with spaces, quotes or `$(...)`
// stays one inert word.
#include <string>
#include <string_view>

namespace planner {

// POSIX sh single-quoting: words made only of safe characters are left bare, anything else is
// wrapped in '...' with each ' written as '\''. The empty string becomes ''.
std::string shell_quote(std::string_view word);

// PowerShell: a word is left bare only where PowerShell's argument mode reads it as the same
// string (a name or flag starting with a letter or dash, or digits); anything else becomes '...',
// in which nothing expands, with each quote doubled: the ASCII ' and the typographic U+2018-U+201B,
// which PowerShell also reads as single quotes. The empty string becomes ''.
std::string powershell_quote(std::string_view word);
// The same, always quoted: an element of an array literal (`@('a', 'b')`), where a bare word
// would be read as a command.
std::string powershell_string(std::string_view word);

}  // namespace planner
