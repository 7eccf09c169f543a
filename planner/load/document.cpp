#include "load/document.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>

#include "load/load_error.h"
#include "load/own_text.h"

namespace planner {

const Node* Node::get(std::string_view key) const {
  if (kind != Kind::mapping) return nullptr;
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i].text == key) return &values[i];
  return nullptr;
}

const Node* Node::key_node(std::string_view key) const {
  if (kind != Kind::mapping) return nullptr;
  for (const auto& k : keys)
    if (k.text == key) return &k;
  return nullptr;
}

std::string_view Document::line_text(int line) const {
  if (line < 1 || static_cast<std::size_t>(line) > line_starts.size()) return {};
  std::size_t b = line_starts[line - 1];
  std::size_t e = text.find('\n', b);
  if (e == std::string::npos) e = text.size();
  if (e > b && text[e - 1] == '\r') --e;
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

struct Converter {
  const LoadLimits& limits;
  std::string path;
  std::size_t nodes = 0;
  std::vector<Diagnostic>& errors;

  bool fail(const YAML::Mark& m, std::string msg) {
    if (errors.empty()) errors.push_back(load_error(path, m.line + 1, m.column + 1, std::move(msg)));
    return false;
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
        return true;
      case YAML::NodeType::Scalar: return scalar(in, out);
      case YAML::NodeType::Sequence:
        out.kind = Node::Kind::sequence;
        for (const auto& item : in) {
          out.values.emplace_back();
          if (!convert(item, out.values.back(), depth + 1)) return false;
        }
        return true;
      case YAML::NodeType::Map: return mapping(in, out, depth);
    }
    return true;
  }

  bool scalar(const YAML::Node& in, Node& out) {
    out.kind = Node::Kind::scalar;
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
      resolve_core_type(out);
      return true;
    }
    return fail(in.Mark(), fmt::format("unsupported tag '{}' on a scalar", tag));
  }

  bool add_entry(Node& out, Node key, Node value) {
    for (const auto& k : out.keys)
      if (k.text == key.text) {
        YAML::Mark m;
        m.line = key.line - 1;
        m.column = key.column - 1;
        return fail(m, fmt::format("duplicate key '{}' (first defined at line {})", key.text, k.line));
      }
    out.keys.push_back(std::move(key));
    out.values.push_back(std::move(value));
    return true;
  }

  bool mapping(const YAML::Node& in, Node& out, int depth) {
    out.kind = Node::Kind::mapping;
    std::vector<const YAML::Node*> merges;
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
      for (const auto& s : sources) {
        if (!s.IsMap()) return fail(s.Mark(), "a merge key ('<<') needs a mapping or a list of mappings");
        Node merged;
        if (!convert(s, merged, depth + 1)) return false;
        for (std::size_t i = 0; i < merged.keys.size(); ++i)
          if (!out.get(merged.keys[i].text)) {  // explicit keys win over merged ones
            out.keys.push_back(std::move(merged.keys[i]));
            out.values.push_back(std::move(merged.values[i]));
          }
      }
    }
    return true;
  }
};

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return i;
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
  const std::string& t = r.doc.text;
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
  Converter conv{limits, r.doc.path, 0, r.errors};
  try {
    if (conv.convert(docs.front(), r.doc.root, 0)) locate_own_text(r.doc);
  } catch (const std::exception& e) {
    r.errors.push_back(load_error(r.doc.path, 0, 0, std::string("cannot read YAML: ") + e.what()));
  }
  return r;
}

}  // namespace planner
