#pragma once
// Where a node's source text ends, so a diagnostic can say which bytes it is about (an editor
// underlines them, SARIF's region and GitHub's annotation end there). The tree records where a
// node starts (yaml-cpp's mark, Node::line/column) and where its own text starts (Node::offset,
// past an anchor and a tag); the end is found here by reading the source from that offset.
#include "load/document.h"

namespace planner {

// A 1-based line and byte column (yaml-cpp counts columns in bytes; so does planner everywhere).
// As an end it is exclusive: the column after the last byte. {0, 0} = unknown.
struct SourcePos {
  int line = 0;
  int column = 0;
};

// The line and column of a byte offset of doc.text.
SourcePos position_of(const Document& doc, std::size_t offset);

// The end of a node's source extent:
// - a scalar (value or key): its text as written, quotes included (a double- or single-quoted
//   scalar may end on a later line); a block scalar (`|`, `>`): its header (`|-`, `>2`) only;
//   a plain scalar folded over several lines: its first line;
// - a null written as `~` or `null`: that word; an empty value: its start (an empty range);
// - a flow mapping or sequence (`{...}`, `[...]`): up to its closing bracket;
// - a block mapping or sequence: its first line, without a trailing comment or spaces.
// A node reached through an alias is the anchored node (its line and column are that node's too).
SourcePos node_end(const Document& doc, const Node& n);

// For a YAML error, which has a place but no node: the end of the token written there (up to a
// space, a line end, a flow indicator, or a ':' that ends a key). At least one byte unless the
// place is at a line end; {0, 0} for a whole-file error (line 0).
SourcePos token_end(const Document& doc, int line, int column);

// Sets d.end_line / d.end_column from node_end (never before the start: an end that would be
// is the start, an empty range).
void set_end(Diagnostic& d, const Document& doc, const Node& n);

}  // namespace planner
