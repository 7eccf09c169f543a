#include "load/document.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>

#include "core/text.h"
#include "load/load_error.h"
#include "load/own_text.h"

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

struct Converter {
  const LoadLimits& limits;
  std::string path;
  std::vector<Diagnostic>& errors;
  std::size_t nodes = 0;
  std::size_t bytes = 0;  // scalar text copied so far: aliases make it exceed the file's size

  bool fail(const YAML::Mark& m, std::string msg) {
    if (errors.empty()) errors.push_back(load_error(path, m.line + 1, m.column + 1, std::move(msg)));
    return false;
  }
  bool fail_at(const Node& at, std::string msg) {
    YAML::Mark m;
    m.line = at.line - 1;
    m.column = at.column - 1;
    return fail(m, std::move(msg));
  }

  bool convert(const YAML::Node& in, Node& out, int depth) {
    if (!errors.empty()) return false;
    if (++nodes > limits.max_nodes)
      return fail(in.Mark(), fmt::format("document expands to more than {} nodes (an alias bomb?); "
                                         "planner stops here",
                                         limits.max_nodes));
    if (depth > limits.max_depth)
      return fail(in.Mark(), fmt::format("nesting deeper than {} levels", limits.max_depth));
    const YAML::Mark m = in.Mark();
    out.line = m.line + 1;
    out.column = m.column + 1;
    out.offset = m.pos < 0 ? 0 : static_cast<std::size_t>(m.pos);
    switch (in.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = Node::Kind::null;
        out.type = Node::Type::null;
        if (in.Tag() == "tag:yaml.org,2002:str" || in.Tag() == "!") {  // `key: !!str` is the empty string
          out.kind = Node::Kind::scalar;
          out.type = Node::Type::string;
          out.plain = false;
          return true;
        }
        return collection_tag(in, "tag:yaml.org,2002:null");
      case YAML::NodeType::Scalar: return scalar(in, out);
      case YAML::NodeType::Sequence:
        out.kind = Node::Kind::sequence;
        if (!collection_tag(in, "tag:yaml.org,2002:seq")) return false;
        for (const auto& item : in) {
          out.values.emplace_back();
          if (!convert(item, out.values.back(), depth + 1)) return false;
        }
        return true;
      case YAML::NodeType::Map:
        if (!collection_tag(in, "tag:yaml.org,2002:map")) return false;
        return mapping(in, out, depth);
    }
    return true;
  }

  // A collection (or an empty value) may carry no tag, or the core tag of its own kind.
  bool collection_tag(const YAML::Node& in, const char* own) {
    const std::string& tag = in.Tag();
    if (tag.empty() || tag == "?" || tag == "!" || tag == own) return true;
    return fail(in.Mark(), fmt::format("unsupported tag '{}' here", shown_value(tag)));
  }

  bool scalar(const YAML::Node& in, Node& out) {
    out.kind = Node::Kind::scalar;
    bytes += in.Scalar().size();
    if (bytes > limits.max_expanded_bytes)
      return fail(in.Mark(), fmt::format("document expands to more than {} bytes of text (an alias bomb?); "
                                         "planner stops here",
                                         limits.max_expanded_bytes));
    out.text = in.Scalar();
    const std::string& tag = in.Tag();
    out.plain = tag == "?";
    if (out.plain) {
      resolve_core_type(out);
      return true;
    }
    if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      out.type = Node::Type::string;
      return true;
    }
    if (tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
        tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null") {
      if (std::string why = check_core_tag(tag, out); !why.empty()) return fail(in.Mark(), why);
      return true;
    }
    return fail(in.Mark(), fmt::format("unsupported tag '{}' on a scalar", shown_value(tag)));
  }

  bool add_entry(Node& out, Node key, Node value) {
    if (const Node* first = out.key_node(key.text))
      return fail_at(key, fmt::format("duplicate key '{}' (first defined at line {})", shown_value(key.text), first->line));
    out.add(std::move(key), std::move(value));
    return true;
  }

  bool mapping(const YAML::Node& in, Node& out, int depth) {
    out.kind = Node::Kind::mapping;
    std::vector<YAML::Node> merge_holder;
    for (const auto& kv : in) {
      Node key;
      if (!convert(kv.first, key, depth + 1)) return false;
      if (key.kind != Node::Kind::scalar && key.kind != Node::Kind::null)
        return fail(kv.first.Mark(), "mapping keys must be plain scalars");
      if (key.plain && key.text == "<<") {  // YAML merge key: applied after the explicit keys
        merge_holder.push_back(kv.second);
        continue;
      }
      Node value;
      if (!convert(kv.second, value, depth + 1)) return false;
      if (!add_entry(out, std::move(key), std::move(value))) return false;
    }
    for (const auto& src : merge_holder) {
      std::vector<YAML::Node> sources;
      if (src.IsMap()) sources.push_back(src);
      else if (src.IsSequence())
        for (const auto& s : src) sources.push_back(s);
      else return fail(src.Mark(), "a merge key ('<<') needs a mapping or a list of mappings");
      for (const auto& s : sources) {
        if (!s.IsMap()) return fail(s.Mark(), "a merge key ('<<') needs a mapping or a list of mappings");
        Node merged;
        if (!convert(s, merged, depth + 1)) return false;
        for (std::size_t i = 0; i < merged.keys.size(); ++i)
          if (!out.get(merged.keys[i].text))  // explicit keys win over merged ones
            out.add(std::move(merged.keys[i]), std::move(merged.values[i]));
      }
    }
    return true;
  }
};

// Returns the byte offset of the first invalid UTF-8 sequence, or npos. Strict (RFC 3629): no
// overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, so every byte string
// that passes is text a JSON encoder accepts.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    std::uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::string_view::npos;
}

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

}  // namespace

LoadResult parse_yaml(std::string path, std::string text, const LoadLimits& limits) {
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

  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(t);
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
  if (docs.size() > 1) {
    auto m = docs[1].Mark();
    r.errors.push_back(load_error(r.doc.path, m.line + 1, m.column + 1,
                                  "more than one YAML document; a config file holds exactly one"));
    return r;
  }
  if (docs.empty()) {
    r.doc.root.kind = Node::Kind::null;
    r.doc.root.line = 1;
    r.doc.root.column = 1;
    return r;
  }
  Converter conv{limits, r.doc.path, r.errors};
  try {
    if (conv.convert(docs.front(), r.doc.root, 0)) locate_own_text(r.doc);
  } catch (const std::exception& e) {
    r.errors.push_back(load_error(r.doc.path, 0, 0, std::string("cannot read YAML: ") + e.what()));
  }
  return r;
}

}  // namespace planner
