#include "load/own_text.h"

#include <unordered_set>

namespace planner {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool ends_token(char c) { return is_space(c) || c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// Past an anchor name or a tag shorthand (`!`, `!!str`, `!e!x`): up to a space or flow indicator.
std::size_t skip_token(std::string_view s, std::size_t i) {
  while (i < s.size() && !ends_token(s[i])) ++i;
  return i;
}

// Past spaces, line breaks and comments. A comment needs a space before it (`a#b` is text) and
// ends at a line end: LF, CRLF or a lone CR (old Mac files, read as line ends: parse_yaml).
std::size_t skip_separation(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    if (is_space(s[i])) {
      ++i;
    } else if (s[i] == '#' && i > 0 && is_space(s[i - 1])) {
      while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
    } else {
      break;
    }
  }
  return i;
}

struct Walker {
  const std::string& text;
  // (offset, kind) of every node seen; an anchored node and the first key of a block mapping
  // share an offset but not a kind.
  std::unordered_set<std::size_t> seen[4];

  void visit(Node& n) {
    n.offset = skip_node_properties(text, n.offset);
    if (n.kind != Node::Kind::null)  // nulls are never edited; two empty nodes may share a mark
      n.alias = !seen[static_cast<int>(n.kind)].insert(n.offset).second;
    // Not for an alias: a 1 MB anchor aliased 99,000 times would be compared 99,000 times.
    n.verbatim = n.is_scalar() && !n.alias && text.compare(n.offset, n.text.size(), n.text) == 0;
    // keys and values interleaved, as they are written (mapping values are parallel to keys)
    for (std::size_t i = 0; i < n.values.size(); ++i) {
      if (i < n.keys.size()) visit(n.keys[i]);
      visit(n.values[i]);
    }
  }
};
}  // namespace

std::size_t skip_node_properties(std::string_view s, std::size_t at) {
  std::size_t i = at;
  for (int property = 0; property < 2 && i < s.size(); ++property) {  // an anchor and a tag at most
    if (s[i] == '&') {
      i = skip_token(s, i + 1);
    } else if (s[i] == '!' && i + 1 < s.size() && s[i + 1] == '<') {  // verbatim tag: !<uri>
      std::size_t close = s.find('>', i);
      i = close == std::string_view::npos ? s.size() : close + 1;
    } else if (s[i] == '!') {
      i = skip_token(s, i + 1);
    } else {
      break;
    }
    i = skip_separation(s, i);
  }
  return std::min(i, s.size());
}

void locate_own_text(Document& doc) {
  Walker w{doc.text, {}};
  w.visit(doc.root);
}

}  // namespace planner
