#pragma once
// Where a node's own text is in the source, for fixes that edit it. yaml-cpp marks a node where
// its properties start: `model: &m x` at `&m`, `v: !!str 16` at `!!str`; and an alias (`*m`)
// gets the mark of the node it names, written elsewhere. An edit made at the mark deleted the
// anchor and broke every `*m` (issue 10); an edit made through an alias would change every use
// of the anchor from a finding on one of them.
#include <cstddef>
#include <string_view>

#include "load/document.h"

namespace planner {

// The offset where a node's content starts, given the offset yaml-cpp marks it at: past an
// anchor (`&name`) and a tag (`!t`, `!!str`, `!<uri>`), in either order, and past the spaces,
// line breaks and comments between them and the content. `at` itself when it holds neither.
std::size_t skip_node_properties(std::string_view text, std::size_t at);

// Moves every node's offset from yaml-cpp's mark to its own text (skip_node_properties), marks
// the nodes reached through an alias or a merge (`*m`, `<<: *base`: Node::alias), and the
// scalars whose source at the offset is their text byte for byte (Node::verbatim). Anchors come
// before their aliases, so the first node of a kind at an offset, in document order, is the
// anchored one and any later one an alias of it.
void locate_own_text(Document& doc);

}  // namespace planner
