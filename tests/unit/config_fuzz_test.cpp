// Mutated configs: whatever the bytes, `check` returns diagnostics and never throws or crashes.
// Deterministic (fixed seed) so a failure reproduces; bounded to a few thousand cases.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

#include "check/check.h"

using namespace planner;

namespace {
std::string seed_text() {
  std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/examples/seed/local-inference-config.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("Mutated seed configs never throw: byte flips, insertions, truncations, splices") {
  const std::string base = seed_text();
  REQUIRE(base.size() > 500);
  std::mt19937 rng(20261125);
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 :-[]{}&*!|>'\"#\n\t.,?%@`";
  int with_findings = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string t = base;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !t.empty(); ++e) {
      const std::size_t at = rng() % t.size();
      switch (rng() % 5) {
        case 0: t[at] = alphabet[rng() % alphabet.size()]; break;                    // replace
        case 1: t.insert(at, 1, alphabet[rng() % alphabet.size()]); break;            // insert
        case 2: t.erase(at, 1 + rng() % 8); break;                                    // delete a run
        case 3: t.resize(at); break;                                                  // truncate
        case 4: t.insert(at, t.substr(rng() % t.size(), 1 + rng() % 40)); break;      // splice
      }
    }
    INFO("case " << i << ":\n" << t);
    FileResult r;
    REQUIRE_NOTHROW(r = check_text("fuzz.yaml", t));
    for (const auto& d : r.diagnostics) {
      REQUIRE_FALSE(d.code.empty());
      REQUIRE_FALSE(d.message.empty());
      REQUIRE(d.line >= 0);
    }
    with_findings += r.diagnostics.empty() ? 0 : 1;
  }
  CHECK(with_findings > 2000);  // most mutations of a config with known problems still report some
}
