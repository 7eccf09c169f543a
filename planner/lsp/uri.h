#pragma once
// file:// URIs (RFC 8089) as editors send them, to the paths planner reads model files relative to.
#include <optional>
#include <string>
#include <string_view>

namespace planner::lsp {

// The local path of a `file:` URI: "file:///home/a/b%20c.yaml" -> "/home/a/b c.yaml"; a host
// of "localhost" or none. nullopt for another scheme (untitled:, a remote host) or a path that
// decodes to a NUL byte or a relative path.
std::optional<std::string> path_from_uri(std::string_view uri);

}  // namespace planner::lsp
