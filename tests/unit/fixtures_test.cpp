// Walks tests/fixtures/rules/<CODE>-<name>/: every rule has a folder with at least one bad*.yaml
// (must trigger the rule) and one clean*.yaml (must not). Each fixture states the diagnostics it
// expects inline (line, column, severity, code, message substrings) and, where its rule offers a
// fix, holds the fixed text beside it: the syntax is in tests/fixtures/README.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "support/fixture_expect.h"

namespace fs = std::filesystem;
using namespace planner;

namespace {

const fs::path& fixtures_root() {
  static const fs::path root = fs::path(PLANNER_SOURCE_DIR) / "tests" / "fixtures" / "rules";
  return root;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

struct Fixture {
  fs::path path;
  const Rule* rule;
  bool bad;
};

std::string folder_name(const Rule& r) { return std::string(r.code) + "-" + r.name; }

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> v;
  for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path());
  std::sort(v.begin(), v.end());
  return v;
}

// A fixture is bad*.yaml or clean*.yaml, not one of the fixed texts beside it.
bool is_fixture(const fs::path& p, const char* prefix) {
  const std::string f = p.filename().string();
  return p.extension() == ".yaml" && starts_with(f, prefix) && !testing::is_fixed_file(f);
}

std::vector<Fixture> all_fixtures() {
  std::vector<Fixture> out;
  for (const Rule* r : all_rules()) {
    const fs::path dir = fixtures_root() / folder_name(*r);
    if (!fs::is_directory(dir)) continue;
    for (const auto& p : sorted_entries(dir)) {
      if (is_fixture(p, "bad")) out.push_back({p, r, true});
      if (is_fixture(p, "clean")) out.push_back({p, r, false});
    }
  }
  return out;
}

}  // namespace

TEST_CASE("every rule has a fixture folder with a bad and a clean fixture") {
  REQUIRE(fs::is_directory(fixtures_root()));
  for (const Rule* r : all_rules()) {
    const fs::path dir = fixtures_root() / folder_name(*r);
    INFO("rule " << r->code << " (" << r->name << "): expected fixtures in " << dir.string());
    REQUIRE(fs::is_directory(dir));
    int bad = 0, clean = 0;
    for (const auto& p : sorted_entries(dir)) {
      bad += is_fixture(p, "bad");
      clean += is_fixture(p, "clean");
    }
    CHECK(bad >= 1);
    CHECK(clean >= 1);
  }
}

TEST_CASE("every fixture folder and file belongs to a rule") {
  // A folder whose name drifted from the rule's code and name would be silently skipped, and so
  // would a sidecar or fixed text whose fixture was renamed.
  std::map<std::string, const Rule*> by_folder;
  for (const Rule* r : all_rules()) by_folder[folder_name(*r)] = r;
  for (const auto& dir : sorted_entries(fixtures_root())) {
    INFO("fixture folder " << dir.string());
    CHECK(by_folder.count(dir.filename().string()) == 1);
    if (!fs::is_directory(dir)) continue;
    for (const auto& p : sorted_entries(dir)) {
      const std::string f = p.filename().string();
      INFO("file " << p.string()
                   << ": fixtures are bad*.yaml or clean*.yaml, beside them bad*.expect, bad*.fixed.yaml and "
                      "bad*.unsafe-fixed.yaml");
      CHECK((starts_with(f, "bad") || starts_with(f, "clean")));
      CHECK((p.extension() == ".yaml" || (p.extension() == ".expect" && starts_with(f, "bad"))));
      if (p.extension() == ".expect") CHECK(fs::exists(fs::path(p).replace_extension(".yaml")));
      if (testing::is_fixed_file(f)) {
        const std::string stem = f.substr(0, f.find('.'));
        CHECK(fs::exists(p.parent_path() / (stem + ".yaml")));
      }
    }
  }
}

TEST_CASE("rule fixtures produce exactly the diagnostics and fixed text they expect") {
  const auto fixtures = all_fixtures();
  REQUIRE(!fixtures.empty());
  for (const auto& fx : fixtures) {
    const auto failures = testing::check_fixture(fx.path, *fx.rule, fx.bad);
    for (const auto& f : failures) FAIL_CHECK(f);
    if (failures.empty()) SUCCEED(fx.path.filename().string());
  }
}
