#include "load/document.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "core/text.h"
#include "load/load_error.h"
#include "load/own_text.h"
#include "load/source_extent.h"

namespace planner {

std::size_t Node::index_of(std::string_view key) const {
  if (kind != Kind::mapping) return npos;
  if (!key_index.empty()) {
    auto it = key_index.find(std::string(key));
    return it == key_index.end() ? npos : it->second;
  }
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i].text == key) return i;
  return npos;
}

const Node* Node::get(std::string_view key) const {
  const std::size_t i = index_of(key);
  return i == npos ? nullptr : &values[i];
}

const Node* Node::key_node(std::string_view key) const {
  const std::size_t i = index_of(key);
  return i == npos ? nullptr : &keys[i];
}

void Node::add(Node key, Node value) {
  if (key_index.empty() && keys.size() >= kIndexFrom)
    for (std::size_t i = 0; i < keys.size(); ++i) key_index.emplace(keys[i].text, i);
  if (!key_index.empty() || keys.size() >= kIndexFrom) key_index.emplace(key.text, keys.size());
  keys.push_back(std::move(key));
  values.push_back(std::move(value));
}

std::string_view Document::line_text(int line) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts.size()) return {};
  std::size_t b = line_starts[line - 1];
  std::size_t e = text.find_first_of("\r\n", b);  // a lone CR ends a line too (parse_yaml)
  if (e == std::string::npos) e = text.size();
  return std::string_view(text).substr(b, e - b);
}

void resolve_core_type(Node& n) {
  CoreScalar c = resolve_core_scalar(n.text);
  n.type = c.type;
  n.boolean = c.boolean;
  n.integer = c.integer;
  n.number = c.number;
  if (c.type == ScalarType::null) n.kind = Node::Kind::null;
}

namespace {

bool has_lone_cr(std::string_view s) {
  for (std::size_t i = s.find('\r'); i != std::string_view::npos; i = s.find('\r', i + 1))
    if (i + 1 == s.size() || s[i + 1] != '\n') return true;
  return false;
}

// A core-schema tag (!!int, !!float, !!bool, !!null) names the type the value must have; a
// value that is not of that type is an error, never silently read as something else.
std::string check_core_tag(const std::string& tag, Node& n) {
  static constexpr std::string_view kCore = "tag:yaml.org,2002:";
  const std::string_view want = std::string_view(tag).substr(kCore.size());
  resolve_core_type(n);
  const bool ok = want == "int"     ? n.type == ScalarType::integer
                  : want == "float" ? n.type == ScalarType::integer || n.type == ScalarType::floating
                  : want == "bool"  ? n.type == ScalarType::boolean
                                    : n.type == ScalarType::null;
  if (!ok) return fmt::format("'{}' is not a valid !!{}", shown_value(n.text), want);
  if (want == "float") n.type = ScalarType::floating;  // !!float 16 is the number 16.0
  return "";
}

// Builds planner's tree straight from yaml-cpp's parser events, one document at a time.
// (YAML::LoadAll never returned on a stray ',' where a document's root would start: yaml-cpp
// reports an endless run of empty documents there, and LoadAll kept them all; the fuzzer found
// it with an 8-byte file. Here the caller asks for two documents at most.) Aliases are copied,
// bounded by nodes and bytes; merge keys, tags and duplicate keys are checked as nodes complete.
class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(const LoadLimits& limits, const std::string& path, std::vector<Diagnostic>& errors)
      : limits_(limits), path_(path), errors_(errors) {}

  Node root;
  bool has_root = false;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    if (!count(m, 1, 0)) return;
    Node n = at(m);
    n.kind = Node::Kind::null;
    n.type = Node::Type::null;
    complete(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    if (!errors_.empty()) return;
    auto it = anchors_.find(anchor);
    // yaml-cpp itself rejects an alias to an unknown anchor: one that is not complete yet is inside
    // the node it names.
    if (it == anchors_.end()) return fail(m, "a recursive alias: it is inside the node it names");
    std::size_t nodes = 0, bytes = 0;
    measure(it->second, nodes, bytes);
    if (!count(m, nodes, bytes)) return;
    complete(Node(it->second), 0);
  }

  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor, const std::string& value) override {
    if (!count(m, 1, value.size())) return;
    Node n = at(m);
    n.kind = Node::Kind::scalar;
    n.text = value;
    n.plain = tag == "?";
    if (n.plain) {
      resolve_core_type(n);
    } else if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      n.type = Node::Type::string;
    } else if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
               tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null") {
      if (std::string why = check_core_tag(tag, n); !why.empty()) return fail(m, why);
    } else {
      return fail(m, fmt::format("unsupported tag '{}' on a scalar", shown_value(tag)));
    }
    complete(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(m, tag, "tag:yaml.org,2002:seq", Node::Kind::sequence, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(m, tag, "tag:yaml.org,2002:map", Node::Kind::mapping, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    bool have_key = false;
    Node key;
    std::vector<Node> merges;  // values of `<<` keys, applied when the mapping ends
  };

  const LoadLimits& limits_;
  const std::string& path_;
  std::vector<Diagnostic>& errors_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Node> anchors_;
  std::size_t nodes_ = 0;
  std::size_t bytes_ = 0;  // scalar text copied so far: aliases make it exceed the file's size

  void fail(const YAML::Mark& m, std::string msg) {
    if (errors_.empty()) errors_.push_back(load_error(path_, m.line + 1, m.column + 1, std::move(msg)));
  }
  void fail_at(const Node& n, std::string msg) {
    YAML::Mark m;
    m.line = n.line - 1;
    m.column = n.column - 1;
    fail(m, std::move(msg));
  }

  static Node at(const YAML::Mark& m) {
    Node n;
    n.line = m.line + 1;
    n.column = m.column + 1;
    n.offset = m.pos < 0 ? 0 : static_cast<std::size_t>(m.pos);
    return n;
  }

  static void measure(const Node& n, std::size_t& nodes, std::size_t& bytes) {
    ++nodes;
    bytes += n.text.size();
    for (const auto& k : n.keys) measure(k, nodes, bytes);
    for (const auto& v : n.values) measure(v, nodes, bytes);
  }

  // Counts what a node adds once expanded; false (with the error) past a limit or after an error.
  bool count(const YAML::Mark& m, std::size_t nodes, std::size_t bytes) {
    if (!errors_.empty()) return false;
    nodes_ += nodes;
    bytes_ += bytes;
    if (nodes_ > limits_.max_nodes) {
      fail(m, fmt::format("document expands to more than {} nodes (an alias bomb?); planner stops here",
                          limits_.max_nodes));
      return false;
    }
    if (bytes_ > limits_.max_expanded_bytes) {
      fail(m, fmt::format("document expands to more than {} bytes of text (an alias bomb?); planner stops here",
                          limits_.max_expanded_bytes));
      return false;
    }
    return true;
  }

  // A collection may carry no tag, or the core tag of its own kind.
  void open(const YAML::Mark& m, const std::string& tag, const char* own, Node::Kind kind, YAML::anchor_t anchor) {
    if (!count(m, 1, 0)) return;
    if (!(tag.empty() || tag == "?" || tag == "!" || tag == own))
      return fail(m, fmt::format("unsupported tag '{}' here", shown_value(tag)));
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      return fail(m, fmt::format("nesting deeper than {} levels", limits_.max_depth));
    Frame f;
    f.node = at(m);
    f.node.kind = kind;
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void close() {
    if (!errors_.empty() || stack_.empty()) return;
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    for (auto& src : f.merges)
      if (!merge_into(f.node, std::move(src))) return;
    complete(std::move(f.node), f.anchor);
  }

  // `<<: {...}` or `<<: [{...}, ...]`: keys already present win, then earlier sources.
  bool merge_into(Node& out, Node src) {
    std::vector<Node> sources;
    if (src.is_map()) {
      sources.push_back(std::move(src));
    } else if (src.is_seq()) {
      for (auto& item : src.values) sources.push_back(std::move(item));
    } else {
      fail_at(src, "a merge key ('<<') needs a mapping or a list of mappings");
      return false;
    }
    for (auto& from : sources) {
      if (!from.is_map()) {
        fail_at(from, "a merge key ('<<') needs a mapping or a list of mappings");
        return false;
      }
      for (std::size_t i = 0; i < from.keys.size(); ++i)
        if (!out.get(from.keys[i].text)) out.add(std::move(from.keys[i]), std::move(from.values[i]));
    }
    return true;
  }

  // A finished node goes to its anchor, then to its parent (or becomes the root).
  void complete(Node n, YAML::anchor_t anchor) {
    if (!errors_.empty()) return;
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      root = std::move(n);
      has_root = true;
      return;
    }
    Frame& parent = stack_.back();
    if (parent.node.is_seq()) {
      parent.node.values.push_back(std::move(n));
      return;
    }
    if (!parent.have_key) {
      if (n.kind != Node::Kind::scalar && n.kind != Node::Kind::null) return fail_at(n, "mapping keys must be plain scalars");
      parent.key = std::move(n);
      parent.have_key = true;
      return;
    }
    parent.have_key = false;
    if (parent.key.plain && parent.key.text == "<<") {  // YAML merge key: applied after the explicit keys
      parent.merges.push_back(std::move(n));
      return;
    }
    if (const Node* first = parent.node.key_node(parent.key.text))
      return fail_at(parent.key, fmt::format("duplicate key '{}' (first defined at line {})",
                                             shown_value(parent.key.text), first->line));
    parent.node.add(std::move(parent.key), std::move(n));
  }
};

// Watches a second document only for where it starts: a config holds one.
struct SecondDocument final : YAML::EventHandler {
  std::optional<YAML::Mark> first;  // its first node
  void note(const YAML::Mark& m) {
    if (!first) first = m;
  }
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override { note(m); }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(m);
  }
  void OnMapEnd() override {}
};

// A light scan before the parser, for what yaml-cpp handles badly: flow collections nest without
// indentation ("[[[[..."), so a tiny hostile file can be deep; and yaml-cpp accepts a quoted
// scalar left open at the end of a truncated file. Returns the offending offset and a message.
struct ScanProblem {
  std::size_t offset = std::string_view::npos;
  std::string message;
  std::size_t unclosed_at = std::string_view::npos;  // innermost '[' or '{' still open at the end
};

ScanProblem prescan(std::string_view s, int max_depth) {
  std::vector<std::size_t> open;  // offsets of the open flow brackets
  char quote = 0;
  std::size_t quote_at = 0;
  bool comment = false;
  char prev = '\n';  // last non-space character outside quotes and comments
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (comment) {
      if (c == '\n') comment = false, prev = '\n';
      continue;
    }
    if (quote) {
      if (quote == '"' && c == '\\') ++i;
      else if (c == quote && quote == '\'' && i + 1 < s.size() && s[i + 1] == '\'') ++i;  // '' escape
      else if (c == quote) quote = 0, prev = c;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n')) {
      comment = true;
      continue;
    }
    // A quote opens a scalar only where a value or key starts, not inside a plain word (it's).
    if ((c == '"' || c == '\'') && (prev == '\n' || prev == ':' || prev == '-' || prev == '[' || prev == '{' ||
                                   prev == ',' || prev == '?')) {
      quote = c;
      quote_at = i;
      continue;
    }
    if (c == '[' || c == '{') {
      open.push_back(i);
      if (open.size() > static_cast<std::size_t>(max_depth))
        return {i, fmt::format("nesting deeper than {} levels", max_depth)};
    } else if ((c == ']' || c == '}') && !open.empty()) {
      open.pop_back();
    }
    prev = c;
  }
  if (quote) return {quote_at, "quoted string never closed (is the file truncated?)"};
  ScanProblem none;
  if (!open.empty()) none.unclosed_at = open.back();
  return none;
}

// The offset of the first tab in the indentation of line `last` or the line before (1-based, where
// yaml-cpp stops), or npos. Lines further up may hold tabs legitimately (block scalar text).
std::size_t tab_indent_before(std::string_view s, const std::vector<std::size_t>& line_starts, int last) {
  for (std::size_t i = last >= 2 ? last - 2 : 0; i < line_starts.size() && static_cast<int>(i) < last; ++i)
    for (std::size_t p = line_starts[i]; p < s.size() && (s[p] == ' ' || s[p] == '\t'); ++p)
      if (s[p] == '\t') return p;
  return std::string_view::npos;
}

LoadResult parse_document(std::string path, std::string text, const LoadLimits& limits) {
  LoadResult r;
  r.doc.path = std::move(path);
  r.doc.text = std::move(text);
  // Old Mac files end lines with a lone CR, which yaml-cpp reads as no line end at all: the parser
  // gets a copy with each lone CR turned into LF. One byte for one, so every offset, line and
  // column still points into the user's text, which fixes edit as it is.
  std::string lf_text;
  const bool lone_cr = has_lone_cr(r.doc.text);
  if (lone_cr) {
    lf_text = r.doc.text;
    for (std::size_t i = 0; i < lf_text.size(); ++i)
      if (lf_text[i] == '\r' && (i + 1 == lf_text.size() || lf_text[i + 1] != '\n')) lf_text[i] = '\n';
  }
  const std::string& t = lone_cr ? lf_text : r.doc.text;
  r.doc.line_starts.push_back(0);
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t[i] == '\n' && i + 1 < t.size()) r.doc.line_starts.push_back(i + 1);

  auto line_col = [&](std::size_t off) {
    auto it = std::upper_bound(r.doc.line_starts.begin(), r.doc.line_starts.end(), off);
    std::size_t line = static_cast<std::size_t>(it - r.doc.line_starts.begin());
    return std::pair<int, int>(static_cast<int>(line), static_cast<int>(off - r.doc.line_starts[line - 1] + 1));
  };

  if (t.size() > limits.max_bytes) {  // read_config_file stops reading one byte past the limit
    r.errors.push_back(load_error(r.doc.path, 0, 0,
                                  fmt::format("file is larger than {} bytes; planner reads config files up to {} bytes",
                                              limits.max_bytes, limits.max_bytes)));
    return r;
  }
  // UTF-16 and UTF-32 files (Windows editors' "Unicode") would otherwise be called binary.
  for (std::string_view bom : {std::string_view("\xFF\xFE", 2), std::string_view("\xFE\xFF", 2),
                               std::string_view("\0\0\xFE\xFF", 4)})
    if (t.starts_with(bom)) {
      r.errors.push_back(load_error(r.doc.path, 1, 1, "UTF-16 or UTF-32 text (byte order mark): save the file as UTF-8"));
      return r;
    }
  if (auto nul = t.find('\0'); nul != std::string::npos) {
    auto [l, c] = line_col(nul);
    r.errors.push_back(load_error(r.doc.path, l, c, "binary data (NUL byte): not a YAML text file"));
    return r;
  }
  if (auto bad = invalid_utf8_at(t); bad != std::string_view::npos) {
    auto [l, c] = line_col(bad);
    r.errors.push_back(load_error(r.doc.path, l, c, "invalid UTF-8: YAML files must be UTF-8 text"));
    return r;
  }

  const ScanProblem problem = prescan(t, limits.max_depth);
  if (problem.offset != std::string_view::npos) {
    auto [l, c] = line_col(problem.offset);
    r.errors.push_back(load_error(r.doc.path, l, c, problem.message));
    return r;
  }

  TreeBuilder tree(limits, r.doc.path, r.errors);
  SecondDocument second;
  bool more = false;
  try {
    std::istringstream in(t);
    YAML::Parser parser(in);
    if (parser.HandleNextDocument(tree) && r.errors.empty()) more = parser.HandleNextDocument(second);
  } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own depth guard says only "bad file"
    r.errors.push_back(load_error(r.doc.path, e.mark.line + 1, e.mark.column + 1,
                                  fmt::format("nesting deeper than {} levels", limits.max_depth)));
    return r;
  } catch (const YAML::ParserException& e) {
    std::string msg = e.msg;
    if (msg.empty()) msg = "invalid YAML";
    // yaml-cpp reports a tab in indentation as "illegal map value" or similar, after it: name it.
    if (auto tab = tab_indent_before(t, r.doc.line_starts, e.mark.line + 1); tab != std::string_view::npos) {
      auto [l, c] = line_col(tab);
      r.errors.push_back(load_error(r.doc.path, l, c,
                                    fmt::format("tab in indentation: YAML indents with spaces only ({})", msg)));
      return r;
    }
    // yaml-cpp reports an unclosed flow collection where it gave up (often the next key);
    // the bracket itself is the useful location.
    if (msg.find("flow") != std::string::npos && problem.unclosed_at != std::string_view::npos) {
      auto [l, c] = line_col(problem.unclosed_at);
      r.errors.push_back(load_error(r.doc.path, l, c,
                                    fmt::format("YAML syntax error: '{}' is never closed ({})", t[problem.unclosed_at], msg)));
      return r;
    }
    r.errors.push_back(load_error(r.doc.path, e.mark.line + 1, e.mark.column + 1, "YAML syntax error: " + msg));
    return r;
  } catch (const std::exception& e) {  // yaml-cpp's DeepRecursion and anything else it throws
    r.errors.push_back(load_error(r.doc.path, 0, 0, std::string("cannot parse YAML: ") + e.what()));
    return r;
  }
  if (!r.errors.empty()) return r;  // a limit, a tag, a merge key or a duplicate key
  if (more) {
    const YAML::Mark m = second.first.value_or(YAML::Mark());
    const std::size_t at = m.pos < 0 ? 0 : static_cast<std::size_t>(m.pos);
    // yaml-cpp reads a ',' where a document's root would start as an empty document that ends
    // before it, again and again: name the comma instead of a second document.
    r.errors.push_back(load_error(r.doc.path, m.line + 1, m.column + 1,
                                  at < t.size() && t[at] == ','
                                      ? "YAML syntax error: ',' outside a flow collection ([...] or {...}); "
                                        "quote a value that starts with ','"
                                      : "more than one YAML document; a config file holds exactly one"));
    return r;
  }
  if (!tree.has_root) {
    r.doc.root.kind = Node::Kind::null;
    r.doc.root.line = 1;
    r.doc.root.column = 1;
    return r;
  }
  r.doc.root = std::move(tree.root);
  locate_own_text(r.doc);
  return r;
}

}  // namespace

LoadResult parse_yaml(std::string path, std::string text, const LoadLimits& limits) {
  LoadResult r = parse_document(std::move(path), std::move(text), limits);
  // A YAML error has a place, not a node: its span is the token written there.
  for (auto& e : r.errors) {
    const SourcePos end = token_end(r.doc, e.line, e.column);
    e.end_line = end.line;
    e.end_column = end.column;
  }
  return r;
}

}  // namespace planner
