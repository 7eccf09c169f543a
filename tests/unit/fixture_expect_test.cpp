// The fixture walker's own tests: its syntax, its matching, and that a wrong expectation (column,
// substring, fixed text) in a temporary fixture is reported, so the walker cannot pass silently.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "support/fixture_expect.h"

namespace fs = std::filesystem;
using namespace planner;
using namespace planner::testing;

namespace {

std::vector<Expectation> parse(const std::string& text, std::vector<std::string>& errors) {
  return parse_inline(text, "f.yaml", errors);
}

Diagnostic diag(int line, int column, Severity sev, std::string code, std::string message, std::string help = "") {
  Diagnostic d;
  d.line = line, d.column = column, d.severity = sev, d.code = std::move(code), d.message = std::move(message);
  d.help = std::move(help);
  return d;
}

Expectation expect(int line, int column, std::string sev, std::string code, std::vector<std::string> message,
                   std::vector<std::string> help = {}) {
  return {line, column, std::move(sev), std::move(code), std::move(message), std::move(help), "f.yaml:1"};
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "planner-fixture-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return path / name;
  }
};

bool any_contains(const std::vector<std::string>& v, const std::string& part) {
  for (const auto& s : v)
    if (s.find(part) != std::string::npos) return true;
  return false;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

// A route whose quantization contradicts its model's name, on line 13, column 19 (LI052, a safe
// fix to the name's Q8_0).
const std::string kSeedConfig = R"(hardware:
  total_ram_gb: 32
  os_reserve_percent: 22
  architecture: apple_silicon
inference:
  preferred_format: MLX
  fallback_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: 8192
  kv_cache_reserve_percent: 35
routing:
  code:
    quantization: Q4_K_M # EXPECT
    model: Qwen3-8B-Q8_0.gguf
monitoring:
  memory_pressure_threshold: 0.75
  action_on_threshold: truncate_context
)";

std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

const Rule& rule(const char* code) {
  const Rule* r = find_rule(code);
  REQUIRE(r != nullptr);
  return *r;
}

}  // namespace

TEST_CASE("fixture expectations: the full syntax parses", "[fixtures]") {
  std::vector<std::string> errors;
  const auto e = parse(
      "a: 1   # expect: error LI014 @5 \"needs 18.62 GiB\" \"x, y\" help \"wired\", warning LI016 @3 \"say \\\"hi\\\" \\\\\"\n"
      "# expect-file: info LI051 \"whole file\"\n"
      "b: 2\n"
      "# expect@-1: warning LI020 @4 \"previous line\"\n"
      "# expect@1: warning LI020 @2 \"line one\"\n",
      errors);
  INFO(joined(errors));
  REQUIRE(errors.empty());
  REQUIRE(e.size() == 5);
  CHECK(e[0].line == 1);
  CHECK(e[0].column == 5);
  CHECK(e[0].severity == "error");
  CHECK(e[0].code == "LI014");
  CHECK(e[0].message == std::vector<std::string>{"needs 18.62 GiB", "x, y"});
  CHECK(e[0].help == std::vector<std::string>{"wired"});
  CHECK(e[0].where == "f.yaml:1");
  CHECK(e[1].line == 1);
  CHECK(e[1].column == 3);
  CHECK(e[1].message == std::vector<std::string>{"say \"hi\" \\"});
  CHECK(e[2].line == 0);
  CHECK(e[2].column == 0);
  CHECK(e[2].severity == "info");
  CHECK(e[3].line == 3);
  CHECK(e[3].column == 4);
  CHECK(e[4].line == 1);
  CHECK(e[4].column == 2);
}

TEST_CASE("fixture expectations: the short form and malformed comments are rejected", "[fixtures]") {
  const char* bad[] = {
      "a: 1  # expect: error LI014",                        // the old short form: no column, no message
      "a: 1  # expect: error LI014 @5",                     // no message substring
      "a: 1  # expect: error LI014 \"needs\"",              // no column
      "a: 1  # expect: error LI014 @5 help \"only help\"",  // help alone pins no message
      "# expect-file: warning LI050 @3 \"x\"",              // a whole-file finding has no column
      "a: 1  # expect: fatal LI014 @5 \"x\"",
      "a: 1  # expect: error L14 @5 \"x\"",
      "a: 1  # expect: error LI014 @5 \"unterminated",
      "a: 1  # expect: error LI014 @5 \"\"",
      "a: 1  # expect: error LI014 @5 \"bad \\n escape\"",
      "a: 1  # expect: error LI014 @5 \"x\" trailing",
      "a: 1  # expect: error LI014 @5 \"x\",",
      "a: 1  # expects: error LI014 @5 \"x\"",
      "a: 1  # expect error LI014 @5 \"x\"",
      "a: 1  # expect@0: error LI014 @5 \"x\"",
      "a: 1  # expect@-1: error LI014 @5 \"x\"",  // before line 1
      "a: 1  # expect@x: error LI014 @5 \"x\"",
  };
  for (const char* line : bad) {
    std::vector<std::string> errors;
    const auto e = parse(line, errors);
    INFO(line);
    CHECK(e.empty());
    CHECK(errors.size() == 1);
    CHECK(any_contains(errors, "f.yaml:1: "));
  }
}

TEST_CASE("fixture expectations: sidecar files carry LINE:COL and the message", "[fixtures]") {
  std::vector<std::string> errors;
  auto e = parse_sidecar("# a comment\n\n4:17: error LI001 \"quoted string\" \"truncated\"\n0:0: warning LI050 \"x\"\n",
                         "f.expect", errors);
  INFO(joined(errors));
  REQUIRE(errors.empty());
  REQUIRE(e.size() == 2);
  CHECK(e[0].line == 4);
  CHECK(e[0].column == 17);
  CHECK(e[0].message == std::vector<std::string>{"quoted string", "truncated"});
  CHECK(e[0].where == "f.expect:3");
  CHECK(e[1].line == 0);
  CHECK(e[1].column == 0);

  for (const char* line : {"4: error LI001 \"x\"", "4:17: error LI001", "0:3: error LI001 \"x\"", "4:17 error LI001 \"x\"",
                           "4:17: error LI001 @17 \"x\""}) {
    errors.clear();
    INFO(line);
    CHECK(parse_sidecar(line, "f.expect", errors).empty());
    CHECK(errors.size() == 1);
  }
}

TEST_CASE("fixture expectations: every field must match", "[fixtures]") {
  const std::vector<Diagnostic> got = {diag(5, 3, Severity::error, "LI014", "needs 11.53 GiB", "raise the limit")};
  CHECK(match({expect(5, 3, "error", "LI014", {"needs 11.53 GiB"}, {"limit"})}, got).empty());

  const std::vector<Expectation> wrong[] = {
      {expect(5, 4, "error", "LI014", {"needs 11.53 GiB"})},  // column
      {expect(6, 3, "error", "LI014", {"needs 11.53 GiB"})},  // line
      {expect(5, 3, "warning", "LI014", {"needs 11.53 GiB"})},
      {expect(5, 3, "error", "LI015", {"needs 11.53 GiB"})},
      {expect(5, 3, "error", "LI014", {"needs 11.35 GiB"})},  // a wrong figure
      {expect(5, 3, "error", "LI014", {"needs", "wired"})},   // every substring must be there
      {expect(5, 3, "error", "LI014", {"needs"}, {"lower"})},
      {},                                                                                            // one missing
      {expect(5, 3, "error", "LI014", {"needs"}), expect(5, 3, "error", "LI014", {"needs"})},  // one too many
  };
  for (const auto& w : wrong) {
    const std::string listing = match(w, got);
    INFO(listing);
    const bool extra_listed =
        listing.find("reported, not expected:\n    5:3 error LI014: needs 11.53 GiB") != std::string::npos;
    CHECK((extra_listed || w.size() == 2));
    CHECK(!listing.empty());
  }
  // The listing names the expectation that nothing matched, with its place in the fixture.
  const std::string listing = match({expect(5, 4, "error", "LI014", {"needs 11.53 GiB"})}, got);
  CHECK(listing.find("expected, not reported:\n    5:4 error LI014 \"needs 11.53 GiB\"   (f.yaml:1)") !=
        std::string::npos);
}

TEST_CASE("fixture expectations: pairing is not greedy", "[fixtures]") {
  // The first expectation fits both diagnostics; a greedy pairing that gave it the first would
  // leave the second expectation unmatched although a full pairing exists.
  const std::vector<Diagnostic> got = {diag(5, 3, Severity::warning, "LI020", "route 'a' uses 3-bit"),
                                       diag(5, 3, Severity::warning, "LI020", "route 'b' uses 3-bit")};
  CHECK(match({expect(5, 3, "warning", "LI020", {"3-bit"}), expect(5, 3, "warning", "LI020", {"route 'a'"})}, got)
            .empty());
  CHECK(!match({expect(5, 3, "warning", "LI020", {"route 'a'"}), expect(5, 3, "warning", "LI020", {"route 'a'"})}, got)
             .empty());
}

TEST_CASE("check_fixture reports a wrong column, substring or fixed text", "[fixtures]") {
  TempDir dir;
  const Rule& li052 = rule("LI052");
  const std::string right = "expect: warning LI052 @19 \"says quantization Q4_K_M but its model\"";
  const std::string text = with(kSeedConfig, "EXPECT", right);
  const std::string fixed = with(text, "quantization: Q4_K_M # ", "quantization: Q8_0 # ");
  const fs::path bad = dir.write("bad.yaml", text);
  dir.write("bad.fixed.yaml", fixed);

  SECTION("the right expectations pass (the control for the cases below)") {
    const auto f = check_fixture(bad, li052, true);
    INFO(joined(f));
    CHECK(f.empty());
  }
  SECTION("a wrong column") {
    dir.write("bad.yaml", with(text, "@19", "@20"));
    dir.write("bad.fixed.yaml", with(fixed, "@19", "@20"));
    const auto f = check_fixture(bad, li052, true);
    CHECK(f.size() == 1);
    CHECK(any_contains(f, "expected, not reported:\n    13:20 warning LI052"));
    CHECK(any_contains(f, "reported, not expected:\n    13:19 warning LI052: route 'code' says quantization Q4_K_M"));
  }
  SECTION("a wrong substring") {
    dir.write("bad.yaml", with(text, "says quantization", "says quantisation"));
    dir.write("bad.fixed.yaml", with(fixed, "says quantization", "says quantisation"));
    const auto f = check_fixture(bad, li052, true);
    CHECK(f.size() == 1);
    CHECK(any_contains(f, "\"says quantisation Q4_K_M but its model\""));
  }
  SECTION("the old short form") {
    dir.write("bad.yaml", with(kSeedConfig, "EXPECT", "expect: warning LI052"));
    dir.write("bad.fixed.yaml", with(with(kSeedConfig, "EXPECT", "expect: warning LI052"), "Q4_K_M # ", "Q8_0 # "));
    const auto f = check_fixture(bad, li052, true);
    CHECK(any_contains(f, "bad.yaml:13: missing column"));
  }
  SECTION("a wrong fixed text: one byte off") {
    dir.write("bad.fixed.yaml", with(fixed, "Q8_0 #", "Q8_0  #"));
    const auto f = check_fixture(bad, li052, true);
    REQUIRE(f.size() == 1);
    CHECK(any_contains(f, "bad.fixed.yaml: differs from `planner fix --select LI052 bad.yaml`"));
    CHECK(any_contains(f, "\n-    quantization: Q8_0  # expect"));
    CHECK(any_contains(f, "\n+    quantization: Q8_0 # expect"));
  }
  SECTION("a fix with no fixed text") {
    fs::remove(dir.path / "bad.fixed.yaml");
    const auto f = check_fixture(bad, li052, true);
    REQUIRE(f.size() == 1);
    CHECK(any_contains(f, "bad.fixed.yaml: missing"));
  }
  SECTION("an unsafe-fixed text where no unsafe fix exists") {
    dir.write("bad.unsafe-fixed.yaml", fixed);
    const auto f = check_fixture(bad, li052, true);
    REQUIRE(f.size() == 1);
    CHECK(any_contains(f, "bad.unsafe-fixed.yaml: `planner fix --select LI052 --unsafe-fixes bad.yaml` changes nothing"));
  }
  SECTION("a clean fixture with a fixed text") {
    const fs::path clean = dir.write("clean.yaml", with(kSeedConfig, "Q4_K_M # EXPECT", "Q8_0"));
    dir.write("clean.fixed.yaml", "anything\n");
    const auto f = check_fixture(clean, li052, false);
    REQUIRE(f.size() == 1);
    CHECK(any_contains(f, "clean.fixed.yaml: `planner fix --select LI052 clean.yaml` changes nothing"));
  }
  SECTION("a clean fixture that is not clean") {
    const fs::path clean = dir.write("clean.yaml", with(kSeedConfig, " # EXPECT", ""));
    const auto f = check_fixture(clean, li052, false);
    CHECK(any_contains(f, "reported, not expected:\n    13:19 warning LI052"));
  }
}

TEST_CASE("check_fixture wants the unsafe-fixed text where a fix is unsafe", "[fixtures]") {
  TempDir dir;
  const std::string text = with(with(kSeedConfig, "os_reserve_percent: 22", "os_reserve_percent: 50 # EXPECT"),
                                "    quantization: Q4_K_M # EXPECT", "    quantization: Q8_0");
  const std::string expectation = "expect: warning LI010 @23 \"OS reserve of 50%\" \"16.00 GiB of 32.00 GiB RAM\"";
  const fs::path bad = dir.write("bad.yaml", with(text, "EXPECT", expectation));
  const auto missing = check_fixture(bad, rule("LI010"), true);
  INFO(joined(missing));
  REQUIRE(missing.size() == 1);
  CHECK(any_contains(missing, "bad.unsafe-fixed.yaml: missing"));

  const std::string fixed = with(with(text, "EXPECT", expectation), "os_reserve_percent: 50", "os_reserve_percent: 22");
  dir.write("bad.unsafe-fixed.yaml", fixed);
  CHECK(check_fixture(bad, rule("LI010"), true).empty());
  // The safe-only fixed text would be the input: it must not exist.
  dir.write("bad.fixed.yaml", fixed);
  CHECK(any_contains(check_fixture(bad, rule("LI010"), true), "bad.fixed.yaml: `planner fix --select LI010 bad.yaml` "
                                                              "changes nothing"));
}
