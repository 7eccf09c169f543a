// Every renderer against hostile values: no raw control character reaches a text format, the
// source excerpt is escaped and bounded with its caret still under the column, and every JSON
// document parses as UTF-8 whatever bytes a message or a route name holds.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "check/check.h"
#include "estimate/analysis.h"
#include "launch/plan.h"
#include "launch/render.h"
#include "render/plan.h"
#include "render/render.h"

using namespace planner;

namespace {
// C0 controls other than the newline that ends each line, and DEL.
bool has_raw_control(const std::string& s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
  return false;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A finding whose message and help hold what a careless stage might pass through raw.
FileResult hostile_result() {
  FileResult r = check_text("bad\x1b[2J.yaml", "routing: {\"a\x1b" "b\": {model: nope}}\n");
  Diagnostic d;
  d.code = "LI040";
  d.name = "unknown-model";
  d.severity = Severity::error;
  d.file = r.path;
  d.line = 1;
  d.column = 1;
  d.message = "unknown model 'x\ntouch pwned\r\x1b]0;title\x07 \xff\xed\xa0\x80' " + std::string(5000, 'm');
  d.help = "help\nwith a newline";
  r.diagnostics = {d};
  return r;
}
}  // namespace

TEST_CASE("text: the source excerpt is escaped and the caret stays under the column", "[render][hostile]") {
  // `nope` is at byte column 26, after a raw ESC (shown as 4 characters) in the key.
  FileResult r = check_text("c.yaml", "hardware: {total_ram_gb: 64}\nrouting: {\"a\x1b" "b\": {model: nope}}\n");
  std::ostringstream out;
  render_text(out, {r}, false);
  const std::string s = out.str();
  CHECK_FALSE(has_raw_control(s));
  const auto lines = lines_of(s);
  bool found = false;
  for (std::size_t i = 0; i + 2 < lines.size(); ++i) {
    if (lines[i].rfind("c.yaml:2:26: error: unknown model 'nope'", 0) != 0) continue;
    found = true;
    CHECK(lines[i + 1] == " 2 | routing: {\"a\\x1bb\": {model: nope}}");
    const std::size_t caret = lines[i + 2].find('^');
    REQUIRE(caret != std::string::npos);
    CHECK(lines[i + 1].substr(caret, 4) == "nope");
  }
  CHECK(found);
}

TEST_CASE("text: a long line shows 100 characters around the column, UTF-8 kept whole", "[render][hostile]") {
  // 300 three-byte characters, then the value the finding points at.
  std::string pad;
  for (int i = 0; i < 300; ++i) pad += "\xe6\xa8\xa1";
  FileResult r = check_text("c.yaml", "routing: {\"" + pad + "\": {model: nope}}\n");
  std::ostringstream out;
  render_text(out, {r}, false);
  bool found = false;
  const auto lines = lines_of(out.str());
  for (std::size_t i = 0; i + 2 < lines.size(); ++i) {
    if (lines[i].find("unknown model 'nope'") == std::string::npos) continue;
    found = true;
    const std::string& src = lines[i + 1];
    CHECK(src.rfind(" 1 | ...", 0) == 0);
    CHECK(src.find("\\x") == std::string::npos);  // no character was cut into stray bytes
    CHECK(src.size() < 400);
    const std::size_t caret = lines[i + 2].find('^');
    REQUIRE(caret != std::string::npos);
    // The caret counts characters: the excerpt's bytes before "nope" hold 3-byte characters.
    const std::size_t at = src.find("nope");
    REQUIRE(at != std::string::npos);
    std::size_t chars = 0;
    for (std::size_t k = 0; k < at; ++k) chars += (static_cast<unsigned char>(src[k]) & 0xC0) != 0x80;
    CHECK(caret == chars);
  }
  CHECK(found);
}

TEST_CASE("text and github: messages from a careless stage are escaped and bounded", "[render][hostile]") {
  std::ostringstream text, github;
  render_text(text, {hostile_result()}, false);
  render_github(github, {hostile_result()});
  for (const std::string& s : {text.str(), github.str()}) {
    INFO(s.substr(0, 400));
    CHECK_FALSE(has_raw_control(s));
    CHECK(s.find("\\x1b]0;title\\x07") != std::string::npos);
    CHECK(s.find("\\xff\\xed\\xa0\\x80") != std::string::npos);
    for (const auto& line : lines_of(s)) CHECK(line.size() < 1200);
  }
  CHECK(text.str().find("bad\\x1b[2J.yaml:1:1: error: unknown model 'x\\ntouch pwned\\r") == 0);
  // github: one line per finding; the only newline is planner's own before the help, as %0A.
  const auto gh = lines_of(github.str());
  REQUIRE(gh.size() == 1);
  CHECK(gh[0].rfind("::error file=bad\\x1b[2J.yaml,line=1,col=1,title=LI040 unknown-model::unknown model 'x\\ntouch", 0) ==
        0);
  CHECK(gh[0].find("...%0Ahelp: help\\nwith a newline") != std::string::npos);
}

TEST_CASE("json and sarif: invalid UTF-8 in a message is replaced, never an exception", "[render][hostile]") {
  FileResult r = hostile_result();
  r.diagnostics[0].message = "bad \xff\xfe \xc0\xaf \xed\xa0\x80 \x1b";
  std::ostringstream json, sarif;
  REQUIRE_NOTHROW(render_json(json, {r}));
  REQUIRE_NOTHROW(render_sarif(sarif, {r}));
  const auto j = nlohmann::json::parse(json.str());  // throws on invalid UTF-8
  CHECK(j["files"][0]["diagnostics"][0]["message"] ==
        "bad \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \x1b");
  CHECK(json.str().find("\\u001b") != std::string::npos);
  CHECK_NOTHROW(nlohmann::json::parse(sarif.str()));
  CHECK_FALSE(has_raw_control(json.str()));
}

TEST_CASE("plan and launch JSON: a route name that is not UTF-8 is replaced, never an exception",
          "[render][hostile]") {
  LoadResult loaded = parse_yaml("c.yaml", R"(hardware:
  total_ram_gb: 64
  architecture: linux_nvidia
inference:
  preferred_format: GGUF
  max_context_tokens: 4096
routing:
  chat:
    model: llama-3.1-8b-instruct
)");
  REQUIRE(loaded.ok());
  Analysis a = analyze(loaded.doc);
  // What a loader that let an overlong or surrogate sequence through would hand on.
  a.config.routes[0].name = "chat\xc0\xaf\xed\xa0\x80\n";
  std::ostringstream plan_json, plan_text, launch_json, launch_text;
  REQUIRE_NOTHROW(render_plan_json(plan_json, "c\xff.yaml", a));
  REQUIRE_NOTHROW(render_plan_text(plan_text, "c\xff.yaml", a, false));
  const LaunchPlan lp = plan_launch(a);
  REQUIRE_NOTHROW(render_launch_json(launch_json, "c\xff.yaml", lp));
  REQUIRE_NOTHROW(render_launch_text(launch_text, "c\xff.yaml", lp));
  const auto pj = nlohmann::json::parse(plan_json.str());
  CHECK(pj["routes"][0]["name"] == "chat\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\n");
  CHECK(pj["file"] == "c\xef\xbf\xbd.yaml");
  CHECK_NOTHROW(nlohmann::json::parse(launch_json.str()));
  CHECK(plan_text.str().find("route chat\\xc0\\xaf\\xed\\xa0\\x80\\n: ") != std::string::npos);
  CHECK(launch_text.str().find("# route chat\\xc0\\xaf\\xed\\xa0\\x80\\n: ") != std::string::npos);
  CHECK_FALSE(has_raw_control(plan_text.str()));
  CHECK_FALSE(has_raw_control(launch_text.str()));
}
