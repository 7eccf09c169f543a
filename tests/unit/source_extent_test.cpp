// Diagnostics end where their source text ends (load/source_extent.h): [line:column,
// end_line:end_column) with an exclusive, 1-based byte end column; 0 = unknown.
#include <catch2/catch.hpp>

#include <string>

#include "check/check.h"
#include "load/source_extent.h"

using namespace planner;

namespace {
const Diagnostic* find(const FileResult& r, const std::string& code, const std::string& path = "") {
  for (const auto& d : r.diagnostics)
    if (d.code == code && (path.empty() || d.path == path)) return &d;
  return nullptr;
}
std::string span(const Diagnostic& d) {
  return std::to_string(d.line) + ":" + std::to_string(d.column) + "-" + std::to_string(d.end_line) + ":" +
         std::to_string(d.end_column);
}
SourcePos end_of(const std::string& text, const Node& (*pick)(const Document&)) {
  LoadResult r = parse_yaml("t.yaml", text);
  REQUIRE(r.ok());
  return node_end(r.doc, pick(r.doc));
}
std::string pos(SourcePos p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }
const Node& value_a(const Document& d) { return *d.root.get("a"); }
const Node& key_a(const Document& d) { return *d.root.key_node("a"); }
}  // namespace

TEST_CASE("node_end: a scalar's text as written, quotes included") {
  CHECK(pos(end_of("a: hello\n", value_a)) == "1:9");
  CHECK(pos(end_of("a: hello   # note\n", value_a)) == "1:9");
  CHECK(pos(end_of("a: \"16\"\n", value_a)) == "1:8");
  CHECK(pos(end_of("a: 'it''s'\n", value_a)) == "1:11");
  CHECK(pos(end_of("a: \"x\\\"y\"\n", value_a)) == "1:10");          // an escaped quote inside
  CHECK(pos(end_of("a: \"one\n  two\"\nb: 1\n", value_a)) == "2:7");  // a quoted scalar over two lines
  CHECK(pos(end_of("a: &m x\nb: *m\n", value_a)) == "1:8");           // past the anchor
  CHECK(pos(end_of("a: !!str 16\n", value_a)) == "1:12");             // past the tag
  CHECK(pos(end_of("a: |-\n  text\n", value_a)) == "1:6");            // a block scalar: its header
  CHECK(pos(end_of("a: one\n  two\n", value_a)) == "1:7");            // folded plain: its first line
  CHECK(pos(end_of("a: x\r\n", value_a)) == "1:5");                   // CRLF
  CHECK(pos(end_of("a: x\rb: y\r", value_a)) == "1:5");               // lone CR
  CHECK(pos(end_of("a: é\n", value_a)) == "1:6");                     // bytes: é is two
}

TEST_CASE("node_end: keys, nulls and collections") {
  CHECK(pos(end_of("a: 1\n", key_a)) == "1:2");
  CHECK(pos(end_of("\"a\": 1\n", key_a)) == "1:4");
  CHECK(pos(end_of("a: ~\n", value_a)) == "1:5");
  CHECK(pos(end_of("a: null # c\n", value_a)) == "1:8");
  CHECK(pos(end_of("a: {x: 1, y: [1, \"]\"]}  # c\n", value_a)) == "1:23");  // a ']' in quotes is text
  CHECK(pos(end_of("a: [1,\n  2]\n", value_a)) == "2:5");
  CHECK(pos(end_of("a:\n  x: 1   # c\n  y: 2\n", value_a)) == "2:7");  // a block mapping: its first line
  CHECK(pos(end_of("a:\n  - 1\n  - 2\n", value_a)) == "2:6");

  LoadResult empty = parse_yaml("t.yaml", "a:\nb: 1\n");
  REQUIRE(empty.ok());
  const Node& a = *empty.doc.root.get("a");
  CHECK(pos(node_end(empty.doc, a)) == std::to_string(a.line) + ":" + std::to_string(a.column));  // a point
}

TEST_CASE("findings from the rules, the schema and the loader carry their end") {
  const std::string head =
      "hardware:\n"
      "  total_ram_gb: 16\n"
      "  architecture: apple_silicon\n"
      "inference:\n"
      "  preferred_format: MLX\n"
      "  max_context_tokens: 4096\n"
      "routing:\n";
  SECTION("LI003 unknown key: the key") {
    FileResult r = check_text("t.yaml", head + "  code:\n    modle: qwen3-8b\n");
    const Diagnostic* d = find(r, "LI003");
    REQUIRE(d);
    CHECK(span(*d) == "9:5-9:10");
  }
  SECTION("LI002 wrong type: the value, quotes included") {
    FileResult r = check_text("t.yaml",
                              "hardware:\n  total_ram_gb: \"sixteen\"\n  architecture: apple_silicon\n"
                              "inference: {preferred_format: MLX, max_context_tokens: 4096}\n"
                              "routing:\n  code: {model: qwen3-8b}\n");
    const Diagnostic* d = find(r, "LI002", "hardware.total_ram_gb");
    REQUIRE(d);
    CHECK(span(*d) == "2:17-2:26");
  }
  SECTION("a rule's finding on a scalar: the model name") {
    FileResult r = check_text("t.yaml", head + "  code:\n    model: no-such-model-9b\n");
    const Diagnostic* d = find(r, "LI040");
    REQUIRE(d);
    CHECK(span(*d) == "9:12-9:28");
  }
  SECTION("LI001 duplicate key: the key's token") {
    FileResult r = check_text("t.yaml", "a: 1\nb: 2\na: 3\n");
    const Diagnostic* d = find(r, "LI001");
    REQUIRE(d);
    CHECK(d->message.find("duplicate key 'a'") != std::string::npos);
    CHECK(span(*d) == "3:1-3:2");
  }
  SECTION("LI001 a whole-file error has no end") {
    FileResult r = check_text("t.yaml", std::string("a: 1\n\0", 6));
    const Diagnostic* d = find(r, "LI001");
    REQUIRE(d);
    CHECK(d->message.find("NUL") != std::string::npos);
    CHECK(span(*d) == "2:1-2:2");
    FileResult big = check_text("t.yaml", std::string((1 << 20) + 1, 'a'));
    REQUIRE(find(big, "LI001"));
    CHECK(span(*find(big, "LI001")) == "0:0-0:0");
  }
}
