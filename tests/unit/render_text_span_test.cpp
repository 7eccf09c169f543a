// The text format underlines a finding's span on its first line, gcc-style: `^` at the column,
// `~` under the rest of the finding's characters (as shown, escapes counted as written).
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "check/check.h"
#include "render/render.h"

using namespace planner;

namespace {
// The excerpt and marker lines under the finding whose header starts with `head`.
std::vector<std::string> marked(const std::string& text, const std::string& head, const CheckOptions& o = {}) {
  FileResult r = check_text("c.yaml", text, o);
  std::ostringstream out;
  render_text(out, {r}, false);
  std::vector<std::string> lines;
  std::istringstream in(out.str());
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  for (std::size_t i = 0; i + 2 < lines.size(); ++i)
    if (lines[i].rfind(head, 0) == 0) return {lines[i + 1], lines[i + 2]};
  return {};
}
const std::string kHead =
    "hardware: {total_ram_gb: 16, architecture: apple_silicon}\n"
    "inference: {preferred_format: MLX, max_context_tokens: 4096}\n";
}  // namespace

TEST_CASE("text: the finding's span is underlined") {
  auto m = marked(kHead + "routing:\n  code: {model: no-such-model-9b}\n", "c.yaml:4:17: error: unknown model");
  REQUIRE(m.size() == 2);
  CHECK(m[0] == " 4 |   code: {model: no-such-model-9b}");
  CHECK(m[1] == "   |                 ^~~~~~~~~~~~~~~~");  // 16 characters
}

TEST_CASE("text: an escaped character in the span counts as written") {
  // The key holds a raw ESC, shown as \x1b (4 characters): the unknown key's span is 5 bytes, 8 shown.
  CheckOptions o;
  o.select = {"LI003"};
  auto m = marked(kHead + "routing: {code: {model: qwen3-8b, \"a\x1b" "bcd\": 1}}\n", "c.yaml:3:35: error:", o);
  REQUIRE(m.size() == 2);
  CHECK(m[0] == " 3 | routing: {code: {model: qwen3-8b, \"a\\x1bbcd\": 1}}");
  CHECK(m[1] == "   |                                   ^~~~~~~~~~");  // "a\x1bbcd" in quotes: 10 shown
}

TEST_CASE("text: a span that goes on past its line is underlined to the line's end") {
  CheckOptions o;
  o.select = {"LI002"};
  auto m = marked("hardware:\n  total_ram_gb: \"six\n    teen\"\n  architecture: apple_silicon\n"
                  "inference: {preferred_format: MLX, max_context_tokens: 4096}\nrouting: {code: {model: qwen3-8b}}\n",
                  "c.yaml:2:17: error:", o);
  REQUIRE(m.size() == 2);
  CHECK(m[0] == " 2 |   total_ram_gb: \"six");
  CHECK(m[1] == "   |                 ^~~~");
}
