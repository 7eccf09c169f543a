// safetensors headers and index files under hostile sizes (issue 10): the JSON values are counted
// before nlohmann builds its DOM (100 MB of `0,0,0...` took 11 s and 1.9 GB), and names from the
// file are cut and escaped in messages. Messages pinned exactly.
#include <catch2/catch.hpp>

#include <functional>
#include <string>

#include "core/text.h"
#include "modelfile/safetensors.h"

#include "support/thrown.h"

using namespace planner;

namespace {


}  // namespace

TEST_CASE("json_scan counts values and nesting outside strings, and stops at a limit") {
  JsonScan s = json_scan(R"({"a": [1, 2, {"b": "[,,{"}], "c": 3})", 16, 100);
  CHECK(s.depth == 3);
  CHECK(s.values == 1 + 3 + 3);  // 1 + brackets ({ [ {) + commas outside strings (3)
  s = json_scan("[[[[", 2, 100);
  CHECK(s.depth == 3);
  CHECK(s.depth_at == 2);
  s = json_scan("[0,0,0,0,0]", 16, 3);
  CHECK(s.values == 4);
  CHECK(s.values_at == 4);  // the second comma
  CHECK(json_scan(R"("a\"[[[,,,")", 1, 1).values == 1);  // an escaped quote does not end the string
  CHECK(json_scan("", 1, 1).values == 0);
}

TEST_CASE("A safetensors header with more JSON values than a real one is refused before parsing") {
  std::string h = R"({"x": [)";
  for (std::uint64_t i = 0; i < kMaxHeaderValues; ++i) h += "0,";
  h += "0]}";
  // The count is 3 at the '[' ('{', '[' and the 1): the (2^21 - 2)th comma passes the limit.
  const std::uint64_t at = 8 + h.find('[') + 2 * (kMaxHeaderValues - 2);
  CHECK(error_of([&] { parse_safetensors_header(h, 8 + h.size(), "f"); }) ==
        "f: byte " + std::to_string(at) + ": the header holds more than 2097152 JSON values (the limit)");
  std::string index = R"({"weight_map": {)";
  for (std::uint64_t i = 0; i < kMaxIndexValues; ++i) index += "\"t" + std::to_string(i) + "\": \"a\",";
  index += R"("last": "a"}})";
  CHECK_THAT(error_of([&] { parse_safetensors_index(index, "i"); }),
             Catch::Matches("i: byte [0-9]+: the index holds more than 1048576 JSON values \\(the limit\\)"));
}

TEST_CASE("Tensor names are cut and escaped in safetensors messages") {
  const std::string h = "{\"" + std::string("evil\\u001b]0;title\\u0007") + std::string(10000, 'a') + "\": {}}";
  // The terminal escapes shown as text (core/text.h shown_value), the name cut at 100 characters.
  CHECK(error_of([&] { parse_safetensors_header(h, 8 + h.size(), "f"); }) ==
        "f: byte 9: tensor 'evil\\x1b]0;title\\x07" + std::string(80, 'a') + "...' has no dtype");
}

TEST_CASE("valid_utf8(): every byte outside valid UTF-8 becomes U+FFFD, valid text is unchanged") {
  CHECK(valid_utf8("plain") == "plain");
  CHECK(valid_utf8("\xe2\x82\xac") == "\xe2\x82\xac");                 // €
  CHECK(valid_utf8("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");         // an emoji, 4 bytes
  CHECK(valid_utf8("a\xc0\x80" "b") == "a\xef\xbf\xbd\xef\xbf\xbd" "b");  // overlong NUL
  CHECK(valid_utf8("\xed\xbf\xbf") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
  CHECK(valid_utf8("\xf4\x90\x80\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // > U+10FFFF
  CHECK(valid_utf8("\xe2\x82" "x") == "\xef\xbf\xbd\xef\xbf\xbd" "x");  // cut short
  CHECK(valid_utf8(std::string("\0\x1b", 2)) == std::string("\0\x1b", 2));  // valid: escaping is the output's job
}
