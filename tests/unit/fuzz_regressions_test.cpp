// Inputs the fuzzers found failing (fuzz/regressions/<target>/, one file each; docs/fuzzing.md)
// run through the same code as the fuzz target, in every build: with PLANNER_SANITIZE or the fuzz
// preset this is the sanitizer check, in a plain build it still catches exceptions and crashes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "fuzz/targets.h"

namespace fs = std::filesystem;

namespace {
int replay(const std::string& target, const std::function<void(std::string_view)>& run) {
  int n = 0;
  for (const char* dir : {"fuzz/regressions/", "fuzz/seeds/"}) {
    const fs::path d = fs::path(PLANNER_SOURCE_DIR) / dir / target;
    if (!fs::is_directory(d)) continue;
    for (const auto& entry : fs::directory_iterator(d)) {
      if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      INFO(entry.path().string());
      // Hangs are regressions too (issue 10: a 125-byte config.json took 32 s); they fail the unit
      // suite's ctest timeout here and fuzz/run's 10 s per input, which is where time is measured.
      REQUIRE_NOTHROW(run(ss.str()));
      ++n;
    }
  }
  return n;
}
}  // namespace

TEST_CASE("Fuzz regressions replay cleanly: check", "[fuzz]") { replay("check", planner::fuzz::check_config); }
TEST_CASE("Fuzz regressions replay cleanly: gguf", "[fuzz]") {
  CHECK(replay("gguf", planner::fuzz::inspect_gguf) >= 8);  // issue 10's constructed inputs at least
}
TEST_CASE("Fuzz regressions replay cleanly: safetensors", "[fuzz]") {
  CHECK(replay("safetensors", planner::fuzz::safetensors_header) >= 3);  // the seeds at least
}
TEST_CASE("Fuzz regressions replay cleanly: hf_config", "[fuzz]") {
  CHECK(replay("hf_config", planner::fuzz::hf_config) >= 11);
}

// Found by the bad-input corpus: libstdc++'s std::regex recursed once per character of a
// suppression comment's code list, so a long one overflowed the stack (exit 139).
TEST_CASE("A suppression comment on a 500 KB line is read without overflowing the stack", "[fuzz]") {
  const std::string text = "hardware: {total_ram_gb: 16, architecture: apple_silicon}  # planner: ignore[" +
                           std::string(500000, 'a') + "]\n";
  planner::FileResult r = planner::check_text("long.yaml", text);
  bool missing_inference = false;
  for (const auto& d : r.diagnostics) missing_inference |= d.message.find("'inference'") != std::string::npos;
  CHECK(missing_inference);  // schema errors are on line 1 too, and that list suppresses none of them
}

TEST_CASE("Suppression comments: bare, with a list, and with an unclosed list", "[fuzz]") {
  const std::string base = "hardware: {total_ram_gb: 16, architecture: apple_silicon}";
  auto codes = [&](const std::string& comment) {
    std::set<std::string> out;
    for (const auto& d : planner::check_text("s.yaml", base + comment + "\n").diagnostics) out.insert(d.code);
    return out;
  };
  const auto none = codes("");
  REQUIRE(none.count("LI002"));
  CHECK_FALSE(codes("  #planner:ignore").count("LI002"));  // spaces are optional
  CHECK_FALSE(codes("  # planner: ignore").count("LI002"));
  CHECK_FALSE(codes("  # planner: ignore[LI002]").count("LI002"));
  CHECK(codes("  # planner: ignore[LI050]").count("LI002"));
  CHECK_FALSE(codes("  # planner: ignore[LI002").count("LI002"));  // unclosed: ignores everything
}

// Found by the bad-input corpus: a config.json value nested 100,000 deep parsed, then overflowed
// the stack when the type warning serialized it (nlohmann::json::dump recurses).
TEST_CASE("A deeply nested config.json value is refused before parsing", "[fuzz]") {
  const std::string text = R"({"model_type": "llama", "hidden_size": )" + std::string(100000, '[') +
                           std::string(100000, ']') + "}";
  std::string error;
  try {
    planner::parse_hf_config(text, "config.json");
  } catch (const std::runtime_error& e) {
    error = e.what();
  }
  CHECK(error.find("config.json: byte 70: config.json nests deeper than 32 levels") != std::string::npos);
}
