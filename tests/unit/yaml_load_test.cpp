// The load stage: YAML 1.2 core typing, locations, and hostile input.
#include <catch2/catch.hpp>

#include <string>

#include "load/document.h"

using namespace planner;

namespace {
Node scalar_of(const std::string& yaml) {
  LoadResult r = parse_yaml("t.yaml", "v: " + yaml + "\n");
  REQUIRE(r.ok());
  const Node* v = r.doc.root.get("v");
  REQUIRE(v != nullptr);
  return *v;
}
}  // namespace

TEST_CASE("YAML 1.2 core schema typing") {
  CHECK(scalar_of("16").type == Node::Type::integer);
  CHECK(scalar_of("16").integer == 16);
  CHECK(scalar_of("\"16\"").type == Node::Type::string);  // quoted: a string
  CHECK(scalar_of("'16'").type == Node::Type::string);
  CHECK(scalar_of("0.75").type == Node::Type::floating);
  CHECK(scalar_of("1e3").number == Approx(1000));
  CHECK(scalar_of("0x10").integer == 16);
  CHECK(scalar_of("0o17").integer == 15);
  CHECK(scalar_of("true").type == Node::Type::boolean);
  CHECK(scalar_of("yes").type == Node::Type::string);   // YAML 1.1 boolean, 1.2 string
  CHECK(scalar_of("on").type == Node::Type::string);
  CHECK(scalar_of("8k").type == Node::Type::string);
  CHECK(scalar_of("1_000").type == Node::Type::string); // 1.1 digit separators are not 1.2 ints
  CHECK(scalar_of(".inf").type == Node::Type::string);  // never an infinite setting
  CHECK(scalar_of("~").kind == Node::Kind::null);
  CHECK(scalar_of("null").kind == Node::Kind::null);
  CHECK(scalar_of("!!str 16").type == Node::Type::string);
  CHECK(scalar_of("|\n  text").type == Node::Type::string);
  CHECK(scalar_of("99999999999999999999").type == Node::Type::floating);  // beyond int64
}

TEST_CASE("Every node has a 1-based location and a byte offset") {
  std::string text = "hardware:\n  total_ram_gb: 16\nrouting:\n  code:\n    model: x\n";
  LoadResult r = parse_yaml("t.yaml", text);
  REQUIRE(r.ok());
  const Node* ram = r.doc.root.get("hardware")->get("total_ram_gb");
  CHECK(ram->line == 2);
  CHECK(ram->column == 17);
  CHECK(text.substr(ram->offset, 2) == "16");
  const Node* key = r.doc.root.get("routing")->key_node("code");
  CHECK(key->line == 4);
  CHECK(key->column == 3);
  CHECK(r.doc.line_text(5) == "    model: x");
}

TEST_CASE("Merge keys are applied, explicit keys win") {
  LoadResult r = parse_yaml("t.yaml", "base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\n");
  REQUIRE(r.ok());
  const Node* m = r.doc.root.get("m");
  CHECK(m->get("a")->integer == 1);
  CHECK(m->get("b")->integer == 3);
  CHECK(m->get("<<") == nullptr);
}

TEST_CASE("Hostile and malformed input gives one LI001 with a location, never an exception") {
  auto err = [](const std::string& text) {
    LoadResult r = parse_yaml("t.yaml", text);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == "LI001");
    return r.errors[0];
  };
  SECTION("syntax error") {
    auto d = err("a: [1, 2\n");
    CHECK(d.message.find("YAML syntax error") != std::string::npos);
    CHECK(d.line >= 1);
  }
  SECTION("duplicate key") {
    auto d = err("a: 1\nb: 2\na: 3\n");
    CHECK(d.line == 3);
    CHECK(d.message.find("first defined at line 1") != std::string::npos);
  }
  SECTION("alias bomb") {
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'j'; ++c) {
      std::string prev(1, static_cast<char>(c - 1));
      bomb += std::string(1, c) + ": &" + c + " [";
      for (int i = 0; i < 10; ++i) bomb += (i ? ", *" : "*") + prev;
      bomb += "]\n";
    }
    auto d = err(bomb);
    CHECK(d.message.find("alias bomb") != std::string::npos);
  }
  SECTION("flow nesting") {
    auto d = err("a: " + std::string(10000, '[') + std::string(10000, ']') + "\n");
    CHECK(d.message.find("nesting deeper") != std::string::npos);
    CHECK(d.line == 1);
  }
  SECTION("block nesting") {
    std::string deep;
    for (int i = 0; i < 80; ++i) deep += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
    CHECK(err(deep).message.find("nesting deeper") != std::string::npos);
  }
  SECTION("binary") { CHECK(err(std::string("a: 1\n\0\x01\x02", 8)).message.find("binary") != std::string::npos); }
  SECTION("invalid UTF-8") {
    auto d = err("a: caf\xe9\n");
    CHECK(d.message.find("UTF-8") != std::string::npos);
    CHECK(d.column == 7);
  }
  SECTION("too large") { CHECK(err(std::string((1 << 20) + 10, '#')).message.find("up to") != std::string::npos); }
  SECTION("two documents") { CHECK(err("a: 1\n---\nb: 2\n").line == 3); }
  SECTION("truncated mid-string") { err("a: \"unterminated\n"); }
  SECTION("unknown tag") { CHECK(err("a: !custom 1\n").message.find("tag") != std::string::npos); }
}

TEST_CASE("An empty file loads as null, for the schema stage to report") {
  LoadResult r = parse_yaml("t.yaml", "");
  CHECK(r.ok());
  CHECK(r.doc.root.is_null());
}
