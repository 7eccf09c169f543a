// core/text.h shown_value / shown_text: what a value from input looks like once it is printed.
#include <catch2/catch.hpp>

#include <string>

#include "core/text.h"

using namespace planner;

namespace {
// True when every byte of `s` is printable ASCII or part of a well-formed UTF-8 sequence, and no
// C0/DEL byte is left.
bool one_clean_line(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return false;
  return true;
}
}  // namespace

TEST_CASE("shown_value: printable text is left as it is", "[text]") {
  CHECK(shown_value("code") == "code");
  CHECK(shown_value("Qwen/Qwen2.5-7B-Instruct") == "Qwen/Qwen2.5-7B-Instruct");
  CHECK(shown_value("") == "");
  CHECK(shown_value("größe 模型") == "größe 模型");  // valid UTF-8 passes through
  CHECK(shown_value("C:\\models") == "C:\\models");   // backslashes are not doubled
}

TEST_CASE("shown_value: control characters are escaped visibly", "[text]") {
  CHECK(shown_value("a\nb") == "a\\nb");
  CHECK(shown_value("a\r\nb") == "a\\r\\nb");
  CHECK(shown_value("a\tb") == "a\\tb");
  CHECK(shown_value("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(shown_value(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(shown_value("del\x7f") == "del\\x7f");
  CHECK(shown_value("bell\a") == "bell\\x07");
  // C1 controls (U+009B is CSI on some terminals), separators, bidi overrides.
  CHECK(shown_value("x\xc2\x9b" "31m") == "x\\u009b31m");
  CHECK(shown_value("x\xc2\x85y") == "x\\u0085y");
  CHECK(shown_value("a\xe2\x80\xa8" "b\xe2\x80\xa9") == "a\\u2028b\\u2029");
  CHECK(shown_value("admin\xe2\x80\xae" "txt.exe") == "admin\\u202etxt.exe");
  CHECK(shown_value("\xe2\x81\xa6x\xe2\x81\xa9") == "\\u2066x\\u2069");
  // Neighbours of the escaped ranges stay: U+00A0 (no-break space), U+2027, U+202F.
  CHECK(shown_value("\xc2\xa0\xe2\x80\xa7\xe2\x80\xaf") == "\xc2\xa0\xe2\x80\xa7\xe2\x80\xaf");
}

TEST_CASE("shown_value: bytes that are not UTF-8 are shown as \\xNN", "[text]") {
  CHECK(shown_value("a\xff" "b") == "a\\xffb");
  CHECK(shown_value("\xc0\xaf") == "\\xc0\\xaf");                  // overlong '/'
  CHECK(shown_value("\xe0\x80\xaf") == "\\xe0\\x80\\xaf");          // overlong, 3 bytes
  CHECK(shown_value("\xed\xa0\x80") == "\\xed\\xa0\\x80");          // surrogate U+D800
  CHECK(shown_value("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  CHECK(shown_value("ok\xe6\xa8") == "ok\\xe6\\xa8");                // cut short at the end
  CHECK(shown_value("\xe6\xa8x") == "\\xe6\\xa8x");                  // cut short, then ASCII
  CHECK(shown_value("\x80") == "\\x80");                            // a lone continuation byte
  CHECK(shown_value("\xf0\x9f\x98\x80") == "\xf0\x9f\x98\x80");      // U+1F600 is fine
}

TEST_CASE("shown_value: long values are cut at the cap with an ellipsis", "[text]") {
  const std::string mb(1 << 20, 'a');
  const std::string s = shown_value(mb);
  CHECK(s == std::string(kShownValueMax, 'a') + "...");
  CHECK(shown_value(std::string(kShownValueMax, 'b')) == std::string(kShownValueMax, 'b'));  // exactly at the cap
  CHECK(shown_value("abcdef", 3) == "abc...");
  CHECK(shown_value("abcdef", 0) == "abcdef");  // 0: no cap
  // A multi-byte character counts as one and is never split.
  CHECK(shown_value("ab模型cd", 3) == "ab模...");
  CHECK(shown_value("模型模型", 2) == "模型...");
  // An escape is kept whole: "ab\n" is 4 characters written, so a cap of 3 stops before it.
  CHECK(shown_value("ab\ncd", 3) == "ab...");
  CHECK(shown_value("ab\ncd", 4) == "ab\\n...");
  CHECK(shown_value("a\x1b" "bc", 4) == "a...");
  // Hostile and long: escaped, cut, one line, a bounded size.
  std::string hostile;
  for (int i = 0; i < 100000; ++i) hostile += "\n\x1b\xff";
  const std::string h = shown_value(hostile);
  CHECK(one_clean_line(h));
  CHECK(h.size() <= kShownValueMax + 3);
  CHECK(h.substr(0, 12) == "\\n\\x1b\\xff\\n");
}

TEST_CASE("shown_text: escapes without a cap, tabs kept on request", "[text]") {
  const std::string long_line(5000, 'x');
  CHECK(shown_text(long_line) == long_line);
  CHECK(shown_text("a\tb\nc") == "a\\tb\\nc");
  CHECK(shown_text("a\tb\nc", true) == "a\tb\\nc");
  CHECK(shown_text("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
}

TEST_CASE("utf8_char_length and utf16_units: one counting for the language server and SARIF", "[text]") {
  CHECK(utf8_char_length("\xC3\xA9", 0) == 2);
  CHECK(utf8_char_length("\xF0\x9F\xA6\x99", 0) == 4);
  CHECK(utf8_char_length("\xE0\x80\x80", 0) == 1);      // overlong
  CHECK(utf8_char_length("\xED\xA0\x80", 0) == 1);      // a surrogate
  CHECK(utf8_char_length("\xF4\x90\x80\x80", 0) == 1);  // above U+10FFFF
  CHECK(utf8_char_length("\xC3z", 0) == 1);             // cut short: the lead byte alone
  CHECK(utf16_units("a\xF0\x9F\xA6\x99\xC3\xA9 b") == 6);  // a, surrogate pair, é, space, b
  // A lead byte that starts no character is one unit and does not swallow the bytes after it
  // (the ASCII 'z' and 'b' each count), as an editor showing U+FFFD counts.
  CHECK(utf16_units("\xC3z\xF0\x9F" "b") == 5);
  CHECK(utf16_units("") == 0);
}

TEST_CASE("iequals: ASCII case is ignored, length and every other byte count", "[text]") {
  CHECK(planner::iequals("Q4_K_M", "q4_k_m"));
  CHECK(planner::iequals("", ""));
  CHECK_FALSE(planner::iequals("q4_k_m", "q4_k_s"));
  CHECK_FALSE(planner::iequals("q4_k", "q4_k_m"));      // a prefix is not equal
  CHECK_FALSE(planner::iequals("q8_0", "q8_0 "));
  CHECK_FALSE(planner::iequals("\xc3\xa9", "\xc3\x89"));  // é and É: only ASCII folds
  CHECK(planner::iequals("\xc3\xa9", "\xc3\xa9"));
}
