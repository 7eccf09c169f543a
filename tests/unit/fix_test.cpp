// The fix stage: edits applied by source position, the check-again loop, route-key insertion,
// and the unified diff `fix --diff` prints.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "fix/fix.h"
#include "fix/unified_diff.h"

using namespace planner;

namespace {
Diagnostic with_fix(std::string code, std::vector<TextEdit> edits, FixSafety safety = FixSafety::safe) {
  Diagnostic d;
  d.code = std::move(code);
  d.fix = Fix{"t", safety, std::move(edits)};
  return d;
}

std::string read(const std::string& rel) {
  std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool has(const FileResult& r, const std::string& code) {
  for (const auto& d : r.diagnostics)
    if (d.code == code) return true;
  return false;
}
}  // namespace

TEST_CASE("apply_fixes applies disjoint edits and defers overlapping ones") {
  std::string text = "aaa bbb ccc";
  auto d1 = with_fix("A", {{0, 3, "x"}});
  auto d2 = with_fix("B", {{8, 11, "zz"}});
  auto d3 = with_fix("C", {{2, 5, "y"}});  // overlaps d1: waits for the next pass
  auto chosen = apply_fixes(text, {&d2, &d3, &d1});
  CHECK(text == "x bbb zz");
  REQUIRE(chosen.size() == 2);
  CHECK(chosen[0]->code == "A");
  CHECK(chosen[1]->code == "B");
}

TEST_CASE("apply_fixes defers a second insertion at the same point and ignores stale offsets") {
  std::string text = "k: 1\n";
  auto a = with_fix("A", {{5, 5, "x: 2\n"}});
  auto b = with_fix("B", {{5, 5, "y: 3\n"}});
  auto stale = with_fix("S", {{4, 99, ""}});
  auto chosen = apply_fixes(text, {&a, &b, &stale});
  CHECK(text == "k: 1\nx: 2\n");
  CHECK(chosen.size() == 1);
}

TEST_CASE("fix on the seed: safe fixes only, comments and untouched lines kept") {
  const std::string seed = read("examples/seed/local-inference-config.yaml");
  FixResult r = fix_text("seed.yaml", seed);
  // Safe: min_ram_gb raised, quick_qa context capped at Phi-3's trained 4096. The seed's name for
  // the coder stays (LI041 says so): the model planner assumes is a 16B, not the 7B it names.
  CHECK(r.text.find("model: deepseek-coder-v2-7b") != std::string::npos);
  CHECK(r.text.find("    max_context_tokens: 4096\n") != std::string::npos);
  CHECK(r.text.find("  max_context_tokens: 8192\n") != std::string::npos);  // inference: untouched
  CHECK(r.text.rfind("# The configuration template", 0) == 0);
  CHECK_FALSE(has(r.after, "LI030"));
  CHECK(has(r.after, "LI041"));
  // The GPU-limit error needs an unsafe fix (a shorter context), so it stays and is held back.
  CHECK(has(r.after, "LI014"));
  bool held = false;
  for (const auto& d : r.unsafe_held) held = held || d.code == "LI014";
  CHECK(held);
  CHECK(r.converged);
}

TEST_CASE("fix --unsafe-fixes on the seed leaves no error, and a second run changes nothing") {
  const std::string seed = read("examples/seed/local-inference-config.yaml");
  FixOptions unsafe;
  unsafe.unsafe = true;
  FixResult r = fix_text("seed.yaml", seed, unsafe);
  int errors = 0;
  for (const auto& d : r.after.diagnostics) errors += d.severity == Severity::error;
  CHECK(errors == 0);
  CHECK(r.text.find("    format: GGUF") == std::string::npos);  // LI021: creative moved to MLX
  FixResult again = fix_text("seed.yaml", r.text, unsafe);
  CHECK(again.applied.empty());
  CHECK(again.text == r.text);
}

TEST_CASE("A route inheriting its context gets its own key at its indentation, CRLF kept") {
  const std::string text =
      "hardware: {total_ram_gb: 16, architecture: apple_silicon}\r\n"
      "inference: {max_context_tokens: 8192}\r\n"
      "routing:\r\n"
      "    quick_qa:\r\n"
      "        model: phi-3-mini-4k-instruct  # small\r\n"
      "        format: MLX\r\n"
      "# trailing comment\r\n";
  FixResult r = fix_text("t.yaml", text);
  CHECK(r.text.find("        format: MLX\r\n        max_context_tokens: 4096\r\n# trailing comment\r\n") !=
        std::string::npos);
  CHECK_FALSE(has(r.after, "LI030"));
}

TEST_CASE("A route that ends the file without a newline still gets its key") {
  const std::string text =
      "hardware: {total_ram_gb: 16, architecture: apple_silicon}\n"
      "inference: {max_context_tokens: 8192}\n"
      "routing:\n"
      "  quick_qa:\n"
      "    model: phi-3-mini-4k-instruct";
  FixResult r = fix_text("t.yaml", text);
  CHECK(r.text == text + "\n    max_context_tokens: 4096");
}

TEST_CASE("Flow-style routes get no insertion fix (their text is not a block)") {
  const std::string text =
      "hardware: {total_ram_gb: 16, architecture: apple_silicon}\n"
      "inference: {max_context_tokens: 8192}\n"
      "routing:\n"
      "  quick_qa: {model: phi-3-mini-4k-instruct}\n";
  FixResult r = fix_text("t.yaml", text);
  CHECK(r.text == text);
  CHECK(has(r.after, "LI030"));
}

TEST_CASE("unified_diff: hunks with context, headers, and the missing-newline marker") {
  CHECK(unified_diff("a\n", "a\n", "x", "x").empty());
  CHECK(unified_diff("a\nb\nc\n", "a\nB\nc\n", "f", "f") == "--- f\n+++ f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  CHECK(unified_diff("a\n", "a\nb", "f", "f") == "--- f\n+++ f\n@@ -1,1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n");
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 || i == 19 ? "x" : std::to_string(i)) + "\n";
  }
  // Two changes 16 lines apart: two hunks, each with 3 lines of context.
  CHECK(unified_diff(before, after, "f", "f") ==
        "--- f\n+++ f\n@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n 4\n 5\n@@ -16,5 +16,5 @@\n 16\n 17\n 18\n-19\n+x\n 20\n");
}

TEST_CASE("A quoted number where a number is expected is unquoted (safe); a quoted word is not") {
  const std::string text =
      "hardware: {total_ram_gb: \"16\", architecture: apple_silicon}\n"
      "inference: {preferred_format: MLX, max_context_tokens: '8192', quantization: \"Q4_K_M\"}\n"
      "routing:\n"
      "  code: {model: qwen2.5-7b-instruct}\n";
  FixResult r = fix_text("t.yaml", text);
  CHECK(r.text ==
        "hardware: {total_ram_gb: 16, architecture: apple_silicon}\n"
        "inference: {preferred_format: MLX, max_context_tokens: 8192, quantization: \"Q4_K_M\"}\n"
        "routing:\n"
        "  code: {model: qwen2.5-7b-instruct}\n");
  CHECK_FALSE(has(r.after, "LI002"));
  // "1.5" cannot be an integer: no fix, the error stays.
  FixResult f = fix_text("t.yaml", "hardware: {total_ram_gb: 16}\ninference: {preferred_format: MLX, max_context_tokens: \"1.5\"}\n"
                                   "routing: {code: {model: qwen2.5-7b-instruct}}\n");
  CHECK(f.applied.empty());
  CHECK(has(f.after, "LI002"));
}
