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

namespace {
Diagnostic load_error_of(const std::string& text) {
  LoadResult r = parse_yaml("t.yaml", text);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].code == "LI001");
  return r.errors[0];
}
}  // namespace

TEST_CASE("Core tags are honoured: a value that is not of its tag's type is an error") {
  auto d = load_error_of("v: !!null 16\n");
  CHECK(d.message == "'16' is not a valid !!null");
  CHECK(d.line == 1);
  CHECK(load_error_of("v: !!bool 16\n").message == "'16' is not a valid !!bool");
  CHECK(load_error_of("v: !!int sixteen\n").message == "'sixteen' is not a valid !!int");
  CHECK(load_error_of("v: !!int 16.5\n").message == "'16.5' is not a valid !!int");
  CHECK(load_error_of("v: !!float big\n").message == "'big' is not a valid !!float");
  // Of their own type, tagged values read as written; !!float makes an integer a float.
  CHECK(scalar_of("!!int 16").integer == 16);
  CHECK(scalar_of("!!bool true").boolean);
  CHECK(scalar_of("!!null ~").kind == Node::Kind::null);
  Node f = scalar_of("!!float 16");
  CHECK(f.type == Node::Type::floating);
  CHECK(f.number == 16.0);
  CHECK(scalar_of("!!str").type == Node::Type::string);  // an empty string, not null
  CHECK(scalar_of("!!str").text.empty());
}

TEST_CASE("Tags on collections: only the collection's own core tag") {
  CHECK(parse_yaml("t.yaml", "v: !!map {a: 1}\n").ok());
  CHECK(parse_yaml("t.yaml", "v: !!seq [1]\n").ok());
  CHECK(load_error_of("v: !!seq {a: 1}\n").message == "unsupported tag 'tag:yaml.org,2002:seq' here");
  CHECK(load_error_of("v: !!map [1]\n").message == "unsupported tag 'tag:yaml.org,2002:map' here");
  CHECK(load_error_of("v: !!set {a, b}\n").message == "unsupported tag 'tag:yaml.org,2002:set' here");
  CHECK(load_error_of("v: !custom {a: 1}\n").message == "unsupported tag '!custom' here");
}

TEST_CASE("A merge key needs a mapping or a list of mappings") {
  const std::string want = "a merge key ('<<') needs a mapping or a list of mappings";
  auto d = load_error_of("m:\n  <<: 5\n  b: 3\n");
  CHECK(d.message == want);
  CHECK(d.line == 2);
  CHECK(d.column == 7);
  CHECK(load_error_of("m:\n  <<: [1, 2]\n").message == want);
  CHECK(load_error_of("m:\n  <<: \"a: 1\"\n").message == want);
  CHECK(load_error_of("m:\n  <<:\n  b: 1\n").message == want);
}

TEST_CASE("Lone CRs end lines, and locations point into the original text") {
  LoadResult ok = parse_yaml("t.yaml", "a: 1\rb:\r  c: 2\r");
  REQUIRE(ok.ok());
  const Node* c = ok.doc.root.get("b")->get("c");
  REQUIRE(c);
  CHECK(c->integer == 2);
  CHECK(c->line == 3);
  CHECK(c->column == 6);
  CHECK(ok.doc.text == "a: 1\rb:\r  c: 2\r");  // the user's bytes, CRs kept for fixes
  CHECK(ok.doc.line_text(2) == "b:");
  CHECK(ok.doc.line_text(3) == "  c: 2");
  // CRLF and lone CR mixed
  LoadResult mixed = parse_yaml("t.yaml", "a: 1\r\nb: 2\rc: 3\n");
  REQUIRE(mixed.ok());
  CHECK(mixed.doc.root.get("c")->line == 3);
  CHECK(mixed.doc.line_text(1) == "a: 1");
}

TEST_CASE("UTF-8 is checked strictly: overlong forms, surrogates and code points above U+10FFFF") {
  for (const char* bad : {"v: \xc0\xaf\n", "v: \xe0\x80\xaf\n", "v: \xed\xa0\x80\n", "v: \xf4\x90\x80\x80\n",
                          "v: \xf8\x88\x80\x80\x80\n", "v: \xe2\x82\n"}) {
    auto d = load_error_of(bad);
    CHECK(d.message.find("invalid UTF-8") != std::string::npos);
    CHECK(d.line == 1);
    CHECK(d.column == 4);
  }
  CHECK(parse_yaml("t.yaml", "v: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\xa6\x99 \xef\xbf\xbf\n").ok());
}

TEST_CASE("Aliases are bounded by the bytes they expand to, not only by nodes") {
  LoadLimits limits;
  limits.max_expanded_bytes = 1000;
  std::string text = "a: &x " + std::string(300, 'y') + "\nb: [*x, *x, *x]\n";
  LoadResult r = parse_yaml("t.yaml", text, limits);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message ==
        "document expands to more than 1000 bytes of text (an alias bomb?); planner stops here");
  CHECK(r.errors[0].line == 2);  // at the alias that crosses the bound
  CHECK(parse_yaml("t.yaml", "a: &x " + std::string(300, 'y') + "\nb: [*x, *x]\n", limits).ok());
}

TEST_CASE("A ',' where a document would start is one syntax error, not endless empty documents") {
  // Found by the check fuzzer: YAML::LoadAll never returned on these (yaml-cpp reports an empty
  // document before the ',' again and again), and held every one of them in memory.
  for (const char* text : {",", "---\n,..\n", ",a: 1\n", "- a\n,\n", "# c\n,\n", "a: 1\n...\n,\n", "&x ,\n"}) {
    INFO(text);
    auto d = load_error_of(text);
    CHECK(d.message.find("',' outside a flow collection") != std::string::npos);
  }
  CHECK(load_error_of("- a\n,\n").line == 2);
  CHECK(load_error_of("a: 1\n---\nb: 2\n").message == "more than one YAML document; a config file holds exactly one");
  CHECK(parse_yaml("t.yaml", "a: b\n  ,c\n").ok());  // a plain scalar's next line may start with ','
}

TEST_CASE("A recursive alias is an error at the alias") {
  auto d = load_error_of("a: &h\n  self: *h\n");
  CHECK(d.message == "a recursive alias: it is inside the node it names");
  CHECK(d.line == 2);
  CHECK(d.column == 9);
}

TEST_CASE("Large mappings: lookups and duplicate keys by hash, with the same answers as a scan") {
  std::string text = "m:\n";
  for (int i = 0; i < 5000; ++i) text += "  k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  LoadResult r = parse_yaml("t.yaml", text);
  REQUIRE(r.ok());
  const Node* m = r.doc.root.get("m");
  CHECK(m->get("k0")->integer == 0);
  CHECK(m->get("k4999")->integer == 4999);
  CHECK(m->key_node("k17")->line == 19);
  CHECK(m->get("k5000") == nullptr);
  auto d = load_error_of(text + "  k42: 1\n");
  CHECK(d.message == "duplicate key 'k42' (first defined at line 44)");
  CHECK(d.line == 5002);
  // Merged keys are found through the index too, and explicit keys still win.
  std::string merged = "b: &b\n";
  for (int i = 0; i < 40; ++i) merged += "  x" + std::to_string(i) + ": 1\n";
  merged += "m:\n  <<: *b\n  x3: 2\n";
  LoadResult mr = parse_yaml("t.yaml", merged);
  REQUIRE(mr.ok());
  CHECK(mr.doc.root.get("m")->get("x3")->integer == 2);
  CHECK(mr.doc.root.get("m")->get("x39")->integer == 1);
  CHECK(mr.doc.root.get("m")->keys.size() == 40);
}
