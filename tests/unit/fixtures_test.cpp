// Walks tests/fixtures/rules/<CODE>-<name>/: every rule has a folder with at least one bad*.yaml
// (must trigger the rule) and one clean*.yaml (must not). Expectations are written in the
// fixture itself, clang-tidy style:
//   key: value                   # expect: error LI014, warning LI016   (diagnostics on this line)
//   # expect-file: warning LI050                                         (line 0: the whole file)
// and, for files that cannot carry a comment (binary, truncated), in a sidecar `<stem>.expect`
// with lines `LINE: severity CODE`. Each file is checked with only its folder's rule selected;
// the (line, severity, code) of the diagnostics must equal the expectations as multisets.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "check/check.h"
#include "rules/rule.h"

namespace fs = std::filesystem;
using namespace planner;

namespace {

using Expectation = std::tuple<int, std::string, std::string>;  // line (0 = file), severity, code

const fs::path& fixtures_root() {
  static const fs::path root = fs::path(PLANNER_SOURCE_DIR) / "tests" / "fixtures" / "rules";
  return root;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") + 1 - b);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// "error LI014" -> (line, "error", "LI014"); a malformed item is reported in `errors`.
void parse_item(const std::string& item, int line, const std::string& where, std::vector<Expectation>& out,
                std::vector<std::string>& errors) {
  static const std::regex re(R"(^(error|warning|info)\s+(LI[0-9]{3})$)");
  std::smatch m;
  const std::string t = trim(item);
  if (std::regex_match(t, m, re))
    out.emplace_back(line, m[1], m[2]);
  else
    errors.push_back(where + ": malformed expectation '" + t + "' (want '<error|warning|info> LI###')");
}

// Inline `# expect:` / `# expect-file:` comments. `# planner: ignore[...]` is another keyword and
// is left to the checker.
std::vector<Expectation> inline_expectations(const std::string& text, const std::string& file,
                                             std::vector<std::string>& errors) {
  static const std::regex re(R"(#\s*expect(-file)?:(.*)$)");
  std::vector<Expectation> out;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (!std::regex_search(line, m, re)) continue;
    const int at = m[1].matched ? 0 : n;
    std::string list = m[2];
    std::size_t start = 0;
    for (std::size_t comma; (comma = list.find(',', start)) != std::string::npos; start = comma + 1)
      parse_item(list.substr(start, comma - start), at, file + ":" + std::to_string(n), out, errors);
    parse_item(list.substr(start), at, file + ":" + std::to_string(n), out, errors);
  }
  return out;
}

// Sidecar `<stem>.expect`: `LINE: severity CODE` per line; blank lines and `#` comments skipped.
std::vector<Expectation> sidecar_expectations(const fs::path& sidecar, std::vector<std::string>& errors) {
  std::vector<Expectation> out;
  if (!fs::exists(sidecar)) return out;
  std::istringstream in(slurp(sidecar));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const std::string where = sidecar.filename().string() + ":" + std::to_string(n);
    const auto colon = t.find(':');
    int at = -1;
    if (colon != std::string::npos) {
      try {
        at = std::stoi(t.substr(0, colon));
      } catch (...) {
      }
    }
    if (at < 0) {
      errors.push_back(where + ": malformed line '" + t + "' (want 'LINE: severity CODE')");
      continue;
    }
    parse_item(t.substr(colon + 1), at, where, out, errors);
  }
  return out;
}

std::string describe(const std::vector<Expectation>& v) {
  if (v.empty()) return "  (none)\n";
  std::string s;
  for (const auto& [line, sev, code] : v) s += "  " + std::to_string(line) + ": " + sev + " " + code + "\n";
  return s;
}

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

std::vector<Fixture> all_fixtures() {
  std::vector<Fixture> out;
  for (const Rule* r : all_rules()) {
    const fs::path dir = fixtures_root() / folder_name(*r);
    if (!fs::is_directory(dir)) continue;
    for (const auto& p : sorted_entries(dir)) {
      const std::string f = p.filename().string();
      if (p.extension() != ".yaml") continue;
      if (starts_with(f, "bad")) out.push_back({p, r, true});
      if (starts_with(f, "clean")) out.push_back({p, r, false});
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
      const std::string f = p.filename().string();
      if (p.extension() != ".yaml") continue;
      bad += starts_with(f, "bad");
      clean += starts_with(f, "clean");
    }
    CHECK(bad >= 1);
    CHECK(clean >= 1);
  }
}

TEST_CASE("every fixture folder and file belongs to a rule") {
  // A folder whose name drifted from the rule's code and name would be silently skipped.
  std::map<std::string, const Rule*> by_folder;
  for (const Rule* r : all_rules()) by_folder[folder_name(*r)] = r;
  for (const auto& dir : sorted_entries(fixtures_root())) {
    INFO("fixture folder " << dir.string());
    CHECK(by_folder.count(dir.filename().string()) == 1);
    if (!fs::is_directory(dir)) continue;
    for (const auto& p : sorted_entries(dir)) {
      const std::string f = p.filename().string();
      const bool named = starts_with(f, "bad") || starts_with(f, "clean");
      INFO("file " << p.string() << ": fixtures are bad*.yaml or clean*.yaml, sidecars bad*.expect");
      CHECK(named);
      CHECK((p.extension() == ".yaml" || (p.extension() == ".expect" && starts_with(f, "bad"))));
      if (p.extension() == ".expect") CHECK(fs::exists(fs::path(p).replace_extension(".yaml")));
    }
  }
}

TEST_CASE("rule fixtures produce exactly the diagnostics they expect") {
  const auto fixtures = all_fixtures();
  REQUIRE(!fixtures.empty());
  for (const auto& fx : fixtures) {
    const std::string rel = fs::relative(fx.path, fs::path(PLANNER_SOURCE_DIR)).string();
    std::string text, read_error;
    REQUIRE(read_config_file(fx.path.string(), text, read_error));

    std::vector<std::string> errors;
    std::vector<Expectation> expected = inline_expectations(text, rel, errors);
    for (auto& e : sidecar_expectations(fs::path(fx.path).replace_extension(".expect"), errors))
      expected.push_back(std::move(e));
    for (const auto& e : errors) FAIL_CHECK(e);
    for (const auto& [line, sev, code] : expected)
      if (code != fx.rule->code)
        FAIL_CHECK(rel << ":" << line << ": expects " << code << ", but only " << fx.rule->code
                       << " runs on this folder's fixtures");
    if (fx.bad && expected.empty()) FAIL_CHECK(rel << ": a bad fixture must expect at least one " << fx.rule->code);
    if (!fx.bad && !expected.empty()) FAIL_CHECK(rel << ": a clean fixture must not expect diagnostics");

    CheckOptions options;
    options.select = {fx.rule->code};
    // The real path, so model paths in a fixture resolve from the fixture's own folder.
    const FileResult result = check_text(fx.path, text, options);
    std::vector<Expectation> actual;
    std::string messages;
    for (const auto& d : result.diagnostics) {
      actual.emplace_back(d.line, std::string(to_string(d.severity)), d.code);
      messages += "  " + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
                  std::string(to_string(d.severity)) + " " + d.code + ": " + d.message + "\n";
    }
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    if (actual != expected)
      FAIL_CHECK(rel << " (" << (fx.bad ? "bad" : "clean") << " fixture, --select " << fx.rule->code << ")\n"
                     << "expected:\n"
                     << describe(expected) << "actual:\n"
                     << describe(actual) << "diagnostics:\n"
                     << (messages.empty() ? "  (none)\n" : messages));
    else
      SUCCEED(rel);
  }
}
