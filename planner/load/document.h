#pragma once
// The YAML document as planner sees it: a small tree with a source location on every node and
// YAML 1.2 core-schema types on scalars (quoted "16" is a string; `yes` is a string).
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/diagnostic.h"
#include "load/scalar_type.h"

namespace planner {

struct Node {
  enum class Kind { null, scalar, sequence, mapping };
  using Type = ScalarType;

  Kind kind = Kind::null;
  Type type = Type::null;  // meaningful for scalars and null
  int line = 0;            // 1-based
  int column = 0;          // 1-based
  std::size_t offset = 0;  // byte offset of the node's own text: past its anchor and tag (own_text.h)
  bool alias = false;      // reached through an alias or a merge (*m, <<: *m): offset is the anchored node's
  bool verbatim = false;   // a scalar whose source at offset is `text` byte for byte (not quoted, one line)
  std::string text;        // a scalar's value as written (after unquoting)
  bool plain = true;       // false for quoted and block scalars
  bool boolean = false;
  std::int64_t integer = 0;
  double number = 0;       // set for integers and floats alike

  std::vector<Node> keys;    // mapping keys, in source order
  std::vector<Node> values;  // mapping values (parallel to keys) or sequence items

  bool is_map() const { return kind == Kind::mapping; }
  bool is_seq() const { return kind == Kind::sequence; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_null() const { return kind == Kind::null; }
  bool is_number() const { return kind == Kind::scalar && (type == Type::integer || type == Type::floating); }
  bool is_string() const { return kind == Kind::scalar && type == Type::string; }

  // Mapping lookup by key text; nullptr when absent or not a mapping. Hashed for large mappings,
  // so a file of 49,000 keys costs no more per lookup than one of ten.
  const Node* get(std::string_view key) const;
  // The key node of `key` (for locations), nullptr when absent.
  const Node* key_node(std::string_view key) const;
  // Appends a mapping entry (the loader has rejected duplicates).
  void add(Node key, Node value);

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  static constexpr std::size_t kIndexFrom = 16;  // below this, a scan is cheaper than a hash
  std::unordered_map<std::string, std::size_t> key_index;  // key text -> index, for large mappings
  std::size_t index_of(std::string_view key) const;
};

// Limits that keep hostile input cheap: a config is a few hundred bytes to a few KiB.
struct LoadLimits {
  std::size_t max_bytes = 1 << 20;    // 1 MiB
  std::size_t max_nodes = 100000;     // after alias and merge expansion
  std::size_t max_expanded_bytes = 8 << 20;  // scalar text after alias expansion: 8 MiB
  int max_depth = 64;
};

struct Document {
  std::string path;
  std::string text;
  Node root;
  std::vector<std::size_t> line_starts;  // byte offset of each line's start

  std::string_view line_text(int line) const;  // 1-based, without the newline
};

struct LoadResult {
  Document doc;
  std::vector<Diagnostic> errors;  // LI001 diagnostics; empty when the document loaded
  bool ok() const { return errors.empty(); }
};

// Parses `text` (the contents of `path`). Never throws for bad input.
LoadResult parse_yaml(std::string path, std::string text, const LoadLimits& limits = {});

// Resolves a plain scalar by the YAML 1.2 core schema.
void resolve_core_type(Node& node);

}  // namespace planner
