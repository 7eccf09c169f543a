// Fixes edit a scalar's own text: past its anchor and tag, never through an alias, never a span
// whose bytes are not the value (issue 10: `model: &m x` lost its anchor and `*m` broke).
#include <catch2/catch.hpp>

#include <string>

#include "fix/fix.h"
#include "load/own_text.h"

using namespace planner;

namespace {
const char* kHead =
    "hardware: {total_ram_gb: 16, architecture: apple_silicon}\n"
    "inference: {preferred_format: MLX, max_context_tokens: 4096}\n"
    "routing:\n";

FixResult fix_only(const std::string& text, const char* code) {
  FixOptions o;
  o.check.select = {code};
  return fix_text("t.yaml", text, o);
}

const Diagnostic* find(const FileResult& r, const std::string& code, const std::string& path) {
  for (const auto& d : r.diagnostics)
    if (d.code == code && d.path == path) return &d;
  return nullptr;
}
}  // namespace

TEST_CASE("skip_node_properties: past anchors, tags and what separates them from the content") {
  CHECK(skip_node_properties("x", 0) == 0);
  CHECK(skip_node_properties("&m x", 0) == 3);
  CHECK(skip_node_properties("!!str x", 0) == 6);
  CHECK(skip_node_properties("&a !!str x", 0) == 9);
  CHECK(skip_node_properties("!!str &a x", 0) == 9);
  CHECK(skip_node_properties("!<tag:yaml.org,2002:str> x", 0) == 25);
  CHECK(skip_node_properties("! x", 0) == 2);            // the non-specific tag
  CHECK(skip_node_properties("!e!t x", 0) == 5);         // a named tag handle
  CHECK(skip_node_properties("&a # note\n  x", 0) == 12);  // a comment, then the next line
  CHECK(skip_node_properties("&a\t\r\n  x", 0) == 7);
  CHECK(skip_node_properties("&a # c\r  x", 0) == 9);     // a lone CR ends the comment
  CHECK(skip_node_properties("[&a, b]", 1) == 3);        // a flow indicator ends the anchor
  CHECK(skip_node_properties("k: &a", 3) == 5);          // nothing after: the end, never past it
  CHECK(skip_node_properties("!<never closed", 0) == 14);
  CHECK(skip_node_properties("&a#x y", 0) == 5);         // '#' inside a name is not a comment
}

TEST_CASE("Node offsets point at the scalar's own text; aliases and multi-line plain scalars are marked") {
  const std::string text =
      "a: &m deep  # c\n"
      "b: *m\n"
      "c: !!str 16\n"
      "d: &q\n  k: v\n"
      "e: *q\n"
      "f: one\n  two\n"
      "'g': \"x\"\n";
  LoadResult r = parse_yaml("t.yaml", text);
  REQUIRE(r.ok());
  const Node& root = r.doc.root;
  CHECK(text.substr(root.get("a")->offset, 4) == "deep");
  CHECK(root.get("a")->line == 1);
  CHECK(root.get("a")->column == 4);  // the finding still points where the value starts, at &m
  CHECK_FALSE(root.get("a")->alias);
  CHECK(root.get("a")->verbatim);
  CHECK(root.get("b")->alias);
  CHECK(root.get("b")->offset == root.get("a")->offset);  // an alias has no text of its own
  CHECK(text.substr(root.get("c")->offset, 2) == "16");
  CHECK(root.get("c")->verbatim);
  CHECK(text.substr(root.get("d")->offset, 1) == "k");  // a mapping's content: its first key
  CHECK_FALSE(root.get("d")->alias);
  CHECK_FALSE(root.get("d")->get("k")->alias);
  CHECK(root.get("e")->alias);
  CHECK(root.get("e")->get("k")->alias);                  // and everything inside it
  CHECK(root.get("e")->key_node("k")->alias);
  CHECK_FALSE(root.get("f")->verbatim);                   // "one two" is not what is written
  CHECK_FALSE(root.get("g")->verbatim);                   // quoted
  CHECK_FALSE(root.key_node("g")->verbatim);
}

TEST_CASE("A fix on an anchored value keeps the anchor; the alias keeps pointing at it") {
  const std::string text = std::string(kHead) +
                           "  code:\n"
                           "    model: Qwen3-8B-Q8_0.gguf\n"
                           "    quantization: &q Q4_K_M  # not the name's\n"
                           "  reasoning:\n"
                           "    model: qwen3-8b\n"
                           "    quantization: *q\n";
  FixResult r = fix_only(text, "LI052");
  CHECK(r.text == std::string(kHead) +
                      "  code:\n"
                      "    model: Qwen3-8B-Q8_0.gguf\n"
                      "    quantization: &q Q8_0  # not the name's\n"
                      "  reasoning:\n"
                      "    model: qwen3-8b\n"
                      "    quantization: *q\n");
  REQUIRE(r.applied.size() == 1);  // one edit, at the anchor: the alias had none of its own
  CHECK(r.applied[0].path == "routing.code.quantization");
  CHECK(r.after.diagnostics.empty());
}

TEST_CASE("A fix on a tagged value keeps the tag, in either order with an anchor") {
  for (const std::string props : {"!!str ", "&m !!str ", "!!str &m ", "&m\n      "}) {
    const std::string head = std::string(kHead) + "  code:\n    model: Qwen3-8B-Q8_0.gguf\n    quantization: " + props;
    FixResult r = fix_only(head + "Q4_K_M\n", "LI052");
    CHECK(r.text == head + "Q8_0\n");
  }
}

TEST_CASE("A finding reached through an alias keeps no fix: the edit would change the anchor's other users") {
  // 12 GB is enough for phi-3 (code) and too little for the 14B model reasoning names: LI016 on
  // reasoning only, whose min_ram_gb is the anchor's. Raising it there would raise code's too.
  const std::string text = std::string(kHead) +
                           "  quick_qa:\n"
                           "    model: phi-3-mini-4k-instruct\n"
                           "    min_ram_gb: &ram 12\n"
                           "  reasoning:\n"
                           "    model: deepseek-v2-lite\n"
                           "    min_ram_gb: *ram\n";
  FileResult checked = check_text("t.yaml", text);
  const Diagnostic* d = find(checked, "LI016", "routing.reasoning.min_ram_gb");
  REQUIRE(d != nullptr);
  CHECK_FALSE(d->fix.has_value());
  FixResult r = fix_only(text, "LI016");
  CHECK(r.text == text);
  CHECK(r.applied.empty());
}

TEST_CASE("A route made of merged keys gets no inserted key (its first key is the anchor's)") {
  const std::string text = std::string(kHead) +
                           "  code: &base\n"
                           "    model: phi-3-mini-4k-instruct\n"
                           "  quick_qa:\n"
                           "    <<: *base\n";
  FixOptions o;
  o.unsafe = true;
  FixResult r = fix_text("t.yaml", text, o);
  // code's own mapping may get its key; quick_qa, all merged, must not get one at code's indent.
  CHECK(r.text.find("  quick_qa:\n    <<: *base\n") != std::string::npos);
  CHECK(r.text.find("  quick_qa:\n    <<: *base\n  max_context_tokens") == std::string::npos);
  LoadResult again = parse_yaml("t.yaml", r.text);
  CHECK(again.ok());
}

TEST_CASE("A plain scalar folded over two lines is not edited (its bytes are not its value)") {
  // The route's "Q4_K _M" contradicts the name's Q8_0: LI052 has a fix, but not one to apply here.
  const std::string text =
      std::string(kHead) + "  code:\n    model: Qwen3-8B-Q8_0.gguf\n    quantization: Q4_K\n      _M\n";
  FixResult r = fix_only(text, "LI052");
  REQUIRE(r.after.diagnostics.size() == 1);
  CHECK(r.after.diagnostics[0].message.find("says quantization Q4_K _M") != std::string::npos);
  CHECK_FALSE(r.after.diagnostics[0].fix);
  CHECK(r.text == text);
}

TEST_CASE("LI003 renames a quoted or anchored key inside its quotes, past its anchor") {
  const std::string head = kHead;
  FixResult dq = fix_only(head + "  code:\n    \"modle\": phi-3-mini-4k-instruct\n", "LI003");
  CHECK(dq.text == head + "  code:\n    \"model\": phi-3-mini-4k-instruct\n");
  FixResult sq = fix_only(head + "  code:\n    'modle': phi-3-mini-4k-instruct\n", "LI003");
  CHECK(sq.text == head + "  code:\n    'model': phi-3-mini-4k-instruct\n");
  FixResult an = fix_only(head + "  code:\n    &k modle: phi-3-mini-4k-instruct\n", "LI003");
  CHECK(an.text == head + "  code:\n    &k model: phi-3-mini-4k-instruct\n");
  // An escape in the key: its bytes are not its name, so no edit.
  const std::string esc = head + "  code:\n    \"mod\\x6ce\": phi-3-mini-4k-instruct\n";
  CHECK(fix_only(esc, "LI003").text == esc);
}
