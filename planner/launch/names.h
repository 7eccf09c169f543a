#pragma once
// Names from a config that become words of a command or parts of a path. Repo ids are checked
// against the Hugging Face Hub's own rules before they reach `hf download` or `mlx_lm.convert`;
// file and directory names made from free text (route keys, `models:` names) go through one
// sanitiser, so no value can point a command outside `models/` or read as an option.
#include <string>
#include <string_view>

namespace planner {

// Why `id` is not a Hugging Face repo id ("" when it is one): "name" or "namespace/name", each
// part 1-96 characters of [A-Za-z0-9._-], starting and ending with a letter, digit or '_', no
// "--" or "..", not ending in ".git" (launch/sources.h kHfRepoId cites the rules).
std::string repo_id_problem(std::string_view id);

// A single path component made from free text: [A-Za-z0-9._-] kept, anything else '_', as is a
// '.' after a '.' and a leading '.' or '-' (so no "..", no hidden file, no option). At most 80
// bytes: a longer name keeps its first 71 and gets '-' and 8 hex digits of its hash, so two long
// names stay apart. `fallback` when nothing is left.
std::string path_component(std::string_view name, std::string_view fallback);

// `path` as a command word that cannot read as an option: "./" before a relative path that
// starts with '-'.
std::string not_an_option(std::string path);

}  // namespace planner
