#include "load/source_extent.h"

#include <algorithm>

namespace planner {

namespace {
bool line_end(char c) { return c == '\n' || c == '\r'; }  // a lone CR ends a line (parse_yaml)
bool blank(char c) { return c == ' ' || c == '\t'; }

// Past a quoted scalar starting at `i` (its opening quote): "..." with backslash escapes, '...'
// with '' for a quote. A loaded document has no unclosed quote; the file's end bounds it anyway.
std::size_t past_quoted(std::string_view s, std::size_t i) {
  const char q = s[i++];
  while (i < s.size()) {
    if (q == '"' && s[i] == '\\') {
      i += 2;
    } else if (s[i] == q) {
      if (q == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
        i += 2;
      } else {
        return i + 1;
      }
    } else {
      ++i;
    }
  }
  return s.size();
}

// Past a flow collection starting at `i` (its bracket), quotes and comments skipped.
std::size_t past_flow(std::string_view s, std::size_t i) {
  int depth = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"' || c == '\'') {
      i = past_quoted(s, i);
      continue;
    }
    if (c == '#' && i > 0 && (blank(s[i - 1]) || line_end(s[i - 1]))) {
      while (i < s.size() && !line_end(s[i])) ++i;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return i + 1;
    ++i;
  }
  return s.size();
}

// The end of the content of the line from `i`: before a comment (` #`) and trailing blanks.
std::size_t line_content_end(std::string_view s, std::size_t i) {
  std::size_t e = i;
  while (e < s.size() && !line_end(s[e]) && !(s[e] == '#' && e > i && blank(s[e - 1]))) ++e;
  while (e > i && blank(s[e - 1])) --e;
  return e;
}

// Past a plain token: up to a blank, a line end, a flow indicator, or a ':' before a blank or
// line end (`key: value`).
std::size_t past_token(std::string_view s, std::size_t i) {
  std::size_t e = i;
  while (e < s.size() && !blank(s[e]) && !line_end(s[e])) {
    const char c = s[e];
    if (e > i && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}')) break;
    if (c == ':' && e > i && (e + 1 == s.size() || blank(s[e + 1]) || line_end(s[e + 1]))) break;
    ++e;
  }
  return e;
}

std::size_t end_offset(const Document& doc, const Node& n) {
  std::string_view s = doc.text;
  const std::size_t at = n.offset;
  if (at >= s.size()) return s.size();
  switch (n.kind) {
    case Node::Kind::scalar:
      if (n.verbatim || (n.alias && s.compare(at, n.text.size(), n.text) == 0)) return at + n.text.size();
      if (s[at] == '"' || s[at] == '\'') return past_quoted(s, at);
      if (s[at] == '|' || s[at] == '>') return past_token(s, at);
      return line_content_end(s, at);  // plain, folded over lines: the first one
    case Node::Kind::null: {
      const std::size_t e = past_token(s, at);
      const std::string_view word = s.substr(at, e - at);
      return word == "~" || word == "null" || word == "Null" || word == "NULL" ? e : at;
    }
    case Node::Kind::sequence:
    case Node::Kind::mapping:
      if (s[at] == '{' || s[at] == '[') return past_flow(s, at);
      return line_content_end(s, at);
  }
  return at;
}
}  // namespace

SourcePos position_of(const Document& doc, std::size_t offset) {
  if (doc.line_starts.empty()) return {};
  auto it = std::upper_bound(doc.line_starts.begin(), doc.line_starts.end(), offset);
  const auto line = static_cast<std::size_t>(it - doc.line_starts.begin());
  return {static_cast<int>(line), static_cast<int>(offset - doc.line_starts[line - 1] + 1)};
}

SourcePos node_end(const Document& doc, const Node& n) {
  if (n.line < 1) return {};
  const std::size_t e = end_offset(doc, n);
  if (n.kind == Node::Kind::null && e == n.offset) return {n.line, n.column};  // empty: a point
  return position_of(doc, e);
}

SourcePos token_end(const Document& doc, int line, int column) {
  if (line < 1 || column < 1 || static_cast<std::size_t>(line) > doc.line_starts.size()) return {};
  const std::size_t at = doc.line_starts[static_cast<std::size_t>(line) - 1] + static_cast<std::size_t>(column) - 1;
  std::string_view s = doc.text;
  if (at >= s.size() || line_end(s[at])) return {line, column};
  std::size_t e = past_token(s, at);
  if (e == at) e = at + 1;  // a blank or a lone indicator: that byte
  return position_of(doc, e);
}

void set_end(Diagnostic& d, const Document& doc, const Node& n) {
  SourcePos e = node_end(doc, n);
  if (e.line == 0 || d.line == 0) return;
  if (e.line < d.line || (e.line == d.line && e.column < d.column)) e = {d.line, d.column};
  d.end_line = e.line;
  d.end_column = e.column;
}

}  // namespace planner
