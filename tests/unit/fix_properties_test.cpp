// Property (issue 10): `fix`, safe and with --unsafe-fixes, on every YAML file under examples/
// and tests/fixtures/ keeps every anchor (&x), alias (*x), tag (!t) and comment of the original:
// the same text, as many times. And the fixed texts of tests/fixtures/fix-properties/, byte for
// byte (tests/fixtures/fix-properties/README.md says what they show).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fix/fix.h"
#include "fix/unified_diff.h"

using namespace planner;
namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_flow(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// The anchors, aliases, tags and comments of a YAML text, read from the text itself (not through
// planner's loader, which is what is under test), outside quoted scalars. A property starts a
// token (after a space, a flow indicator or the line start); a comment follows a space.
std::vector<std::string> properties(const std::string& s) {
  std::vector<std::string> out;
  char quote = 0;
  bool boundary = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (quote == '"' && c == '\\') ++i;
      else if (quote == '\'' && c == '\'' && i + 1 < s.size() && s[i + 1] == '\'') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '#' && (i == 0 || is_space(s[i - 1]))) {
      std::size_t e = s.find_first_of("\r\n", i);  // LF, CRLF or a lone CR ends it
      if (e == std::string::npos) e = s.size();
      out.push_back(s.substr(i, e - i));
      i = e;
      boundary = true;
      continue;
    }
    if (boundary && (c == '"' || c == '\'')) {
      quote = c;
      continue;
    }
    if (boundary && (c == '&' || c == '*' || c == '!')) {
      std::size_t e = i + 1;
      while (e < s.size() && !is_space(s[e]) && !is_flow(s[e])) ++e;
      out.push_back(s.substr(i, e - i));
      i = e - 1;
      boundary = false;
      continue;
    }
    boundary = is_space(c) || is_flow(c);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> corpus() {
  std::vector<fs::path> files;
  for (const char* dir : {"examples", "tests/fixtures"})
    for (const auto& e : fs::recursive_directory_iterator(fs::path(PLANNER_SOURCE_DIR) / dir))
      if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

TEST_CASE("properties() reads anchors, aliases, tags and comments, not quoted text") {
  CHECK(properties("a: &m x  # c\nb: *m\nc: !!str \"#no *no\"\nd: [*m, !t y]\ne: it's # yes\n") ==
        std::vector<std::string>{"!!str", "!t", "# c", "# yes", "&m", "*m", "*m"});
  CHECK(properties("a: 'it''s &no' #c\nb: x#no\n").size() == 1);
}

TEST_CASE("fix keeps every anchor, alias, tag and comment of every example and fixture") {
  std::map<char, int> seen;  // '&', '*', '!', '#' over the corpus: the property is not vacuous
  int changed_with_properties = 0;
  for (const auto& path : corpus()) {
    const std::string text = slurp(path);
    const auto before = properties(text);
    for (char c : {'&', '*', '!', '#'})
      seen[c] += static_cast<int>(std::count_if(before.begin(), before.end(), [c](const auto& p) { return p[0] == c; }));
    const bool loads = parse_yaml("t.yaml", text).ok();
    for (bool unsafe : {false, true}) {
      FixOptions o;
      o.unsafe = unsafe;
      FixResult r = fix_text(path.string(), text, o);
      INFO(path.string() << (unsafe ? " (--unsafe-fixes)" : "") << "\n" << unified_diff(text, r.text, "before", "after"));
      CHECK(properties(r.text) == before);
      if (loads) CHECK(parse_yaml("t.yaml", r.text).ok());  // a fix never breaks the YAML
      changed_with_properties += unsafe && r.text != text &&
                                 std::any_of(before.begin(), before.end(), [](const auto& p) { return p[0] != '#'; });
    }
  }
  INFO("corpus: " << seen['#'] << " comments, " << seen['&'] << " anchors, " << seen['*'] << " aliases, " << seen['!'] << " tags");
  CHECK(seen['#'] >= 200);
  CHECK(seen['&'] >= 6);
  CHECK(seen['*'] >= 6);
  CHECK(seen['!'] >= 8);
  CHECK(changed_with_properties >= 2);
}

TEST_CASE("fix-properties fixtures: the fixed text, byte for byte") {
  int compared = 0;
  for (const auto& e : fs::directory_iterator(fs::path(PLANNER_SOURCE_DIR) / "tests/fixtures/fix-properties")) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() != ".yaml" || name.find("fixed.yaml") != std::string::npos) continue;
    const std::string stem = e.path().stem().string(), text = slurp(e.path());
    for (bool unsafe : {false, true}) {
      const fs::path want = e.path().parent_path() / (stem + (unsafe ? ".unsafe-fixed.yaml" : ".fixed.yaml"));
      if (!fs::exists(want)) continue;
      FixOptions o;
      o.unsafe = unsafe;
      const std::string got = fix_text(name, text, o).text;
      INFO(want.string() << "\n" << unified_diff(slurp(want), got, "want", "got"));
      CHECK(got == slurp(want));
      CHECK(got != text);
      ++compared;
    }
  }
  CHECK(compared >= 2);
}
