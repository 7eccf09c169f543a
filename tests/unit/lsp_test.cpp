// The language server's parts that a client test reaches only indirectly: position conversion
// (UTF-16 / UTF-8, line breaks, bytes that are not UTF-8), incremental changes, file URIs, the
// framing's bounds, the JSON depth scan, the completion context and the hover's fence.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <string>

#include "lsp/completion.h"
#include "lsp/documents.h"
#include "lsp/framing.h"
#include "lsp/hover.h"
#include "lsp/json_depth.h"
#include "lsp/position.h"
#include "lsp/uri.h"

using namespace planner::lsp;

TEST_CASE("LineIndex: UTF-16 and UTF-8 positions of the same bytes") {
  // "a🦙é b": a (1 byte), 🦙 (4 bytes, 2 UTF-16 units), é (2 bytes, 1 unit), space, b.
  const std::string text = "x: 1\na\xF0\x9F\xA6\x99\xC3\xA9 b\n";
  const LineIndex index(text);
  REQUIRE(index.lines() == 3);
  const std::size_t b = text.find(" b") + 1;
  CHECK(index.position(b, Encoding::utf16).line == 1);
  CHECK(index.position(b, Encoding::utf16).character == 5);  // a 🦙(2) é space
  CHECK(index.position(b, Encoding::utf8).character == 8);
  CHECK(index.offset({1, 5}, Encoding::utf16) == b);
  CHECK(index.offset({1, 8}, Encoding::utf8) == b);
  // Inside the surrogate pair: the end of the llama.
  CHECK(index.offset({1, 2}, Encoding::utf16) == text.find("\xC3\xA9"));
  // Past the line's end: the line's end; past the last line: the end of the text.
  CHECK(index.offset({0, 99}, Encoding::utf16) == 4);
  CHECK(index.offset({99, 0}, Encoding::utf16) == text.size());
  CHECK(index.position(text.size(), Encoding::utf16).line == 2);
  CHECK(index.position(text.size(), Encoding::utf16).character == 0);
}

TEST_CASE("LineIndex: CRLF and lone CR end lines; the break is not on the line") {
  const std::string text = "a: 1\r\nb: 2\rc: 3";
  const LineIndex index(text);
  REQUIRE(index.lines() == 3);
  CHECK(index.line_end(0) == 4);
  CHECK(index.line_begin(1) == 6);
  CHECK(index.line_end(1) == 10);
  CHECK(index.line_begin(2) == 11);
  CHECK(index.offset({0, 50}, Encoding::utf16) == 4);  // before the \r\n
  CHECK(index.position(5, Encoding::utf16).character == 4);  // the \n of \r\n: the line's end
  CHECK(index.offset_of_line_column(3, 4) == 14);
  CHECK(index.offset_of_line_column(2, 99) == 10);
}

TEST_CASE("LineIndex: a byte that is not UTF-8 is one code unit in either encoding") {
  const std::string text = "k: \xFF\xC3z";  // 0xFF invalid, 0xC3 cut short by 'z'
  const LineIndex index(text);
  CHECK(index.position(text.size(), Encoding::utf16).character == 6);
  CHECK(index.position(text.size(), Encoding::utf8).character == 6);
  CHECK(code_units("\xF0\x9F\xA6\x99", Encoding::utf16) == 2);
}

TEST_CASE("DocumentStore: incremental changes in order, bounded, refused when inverted") {
  DocumentStore docs;
  REQUIRE(docs.open("file:///a.yaml", "model: q\xC3\xA9n\nquant: Q4\n", 1).empty());
  TextChange c;
  c.has_range = true;
  c.start = {0, 9}, c.end = {0, 10};  // after "qé": the 'n'
  c.text = "wen3";
  REQUIRE(docs.change("file:///a.yaml", c, 2, Encoding::utf16).empty());
  CHECK(docs.find("file:///a.yaml")->text == "model: q\xC3\xA9wen3\nquant: Q4\n");
  c.start = {0, 14}, c.end = {1, 7};  // across the line break
  c.text = "\n  quant: ";
  REQUIRE(docs.change("file:///a.yaml", c, 3, Encoding::utf16).empty());
  CHECK(docs.find("file:///a.yaml")->text == "model: q\xC3\xA9wen3\n  quant: Q4\n");
  CHECK(docs.find("file:///a.yaml")->version == 3);
  c.start = {0, 5}, c.end = {0, 1};
  CHECK(docs.change("file:///a.yaml", c, 4, Encoding::utf16) == "change range ends before it starts");
  CHECK(docs.find("file:///a.yaml")->version == 3);
  TextChange whole;
  whole.text = "x: 1\n";
  REQUIRE(docs.change("file:///a.yaml", whole, 5, Encoding::utf8).empty());
  CHECK(docs.find("file:///a.yaml")->text == "x: 1\n");
  CHECK(docs.change("file:///b.yaml", whole, 1, Encoding::utf8) == "change to a document that is not open");
  docs.close("file:///a.yaml");
  CHECK(docs.find("file:///a.yaml") == nullptr);
  CHECK(docs.open("file:///big.yaml", std::string(kMaxDocumentBytes + 1, 'x'), 1) == "document larger than 64 MiB");
}

TEST_CASE("DocumentStore: all open documents together hold at most 256 MiB") {
  DocumentStore docs;
  const std::string big(63u << 20, 'x');
  for (int i = 0; i < 4; ++i) REQUIRE(docs.open("file:///" + std::to_string(i), big, 1).empty());
  REQUIRE(docs.open("file:///4", std::string(4u << 20, 'x'), 1).empty());  // 256 MiB exactly
  const std::string full = "open documents would hold more than 256 MiB: close some";
  CHECK(docs.open("file:///5", "y", 1) == full);
  TextChange grow;
  grow.has_range = true;
  grow.text = "z";
  CHECK(docs.change("file:///0", grow, 2, Encoding::utf8) == full);
  CHECK(docs.find("file:///0")->text.size() == big.size());
  docs.close("file:///4");
  CHECK(docs.open("file:///5", "y", 1).empty());  // closing gave the room back
  CHECK(docs.change("file:///0", grow, 2, Encoding::utf8).empty());
  CHECK(docs.open("file:///0", "short", 3).empty());  // reopening replaces, it does not add
  CHECK(docs.open("file:///6", std::string(63u << 20, 'x'), 1).empty());
}

TEST_CASE("path_from_uri: file URIs decoded, others refused") {
  CHECK(path_from_uri("file:///home/a/b%20c.yaml") == "/home/a/b c.yaml");
  CHECK(path_from_uri("FILE://localhost/etc/x.yaml") == "/etc/x.yaml");
  CHECK(path_from_uri("file:///a/%C3%A9.yaml?x#y") == "/a/\xC3\xA9.yaml");
  CHECK(path_from_uri("file:///a/100%.yaml") == "/a/100%.yaml");
  CHECK_FALSE(path_from_uri("untitled:Untitled-1"));
  CHECK_FALSE(path_from_uri("file://server/share/x.yaml"));
  CHECK_FALSE(path_from_uri("file:///a/%00.yaml"));
}

namespace {
// What FrameReader reads from a pipe holding `input` (then closed).
ReadStatus read_one(const std::string& input, std::string& body, std::string& error) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
  ::close(fds[1]);
  FrameReader reader(fds[0]);
  const ReadStatus s = reader.read(body, error);
  ::close(fds[0]);
  return s;
}
}  // namespace

TEST_CASE("FrameReader: messages back to back; bad frames named") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const std::string two = "Content-Length: 2\r\n\r\n{}content-length:  7 \r\nContent-Type: x\r\n\r\n[1,2,3]";
  REQUIRE(::write(fds[1], two.data(), two.size()) == static_cast<ssize_t>(two.size()));
  ::close(fds[1]);
  FrameReader reader(fds[0]);
  std::string body, error;
  REQUIRE(reader.read(body, error) == ReadStatus::message);
  CHECK(body == "{}");
  REQUIRE(reader.read(body, error) == ReadStatus::message);
  CHECK(body == "[1,2,3]");
  CHECK(reader.read(body, error) == ReadStatus::end_of_input);
  ::close(fds[0]);

  CHECK(read_one("Content-Length: 67108865\r\n\r\n", body, error) == ReadStatus::bad_frame);
  CHECK(error == "Content-Length 67108865 is over the 64 MiB limit");
  CHECK(read_one("Content-Length: 99999999999999999999999\r\n\r\n", body, error) == ReadStatus::bad_frame);
  CHECK(error.find("over the 64 MiB limit") != std::string::npos);
  CHECK(read_one("Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}", body, error) == ReadStatus::bad_frame);
  CHECK(error == "two different Content-Length headers");
  CHECK(read_one("\x1b[2J\r\n\r\n", body, error) == ReadStatus::bad_frame);
  CHECK(error == "header line without a colon: '\\x1b[2J'");
  CHECK(read_one("Content-Length: 5\r\n\r\n{}", body, error) == ReadStatus::bad_frame);
  CHECK(error == "input ended inside a message body");
}

TEST_CASE("json_depth: brackets inside strings do not count") {
  CHECK(json_depth(R"({"a": [1, {"b": "[[[[{{{{"}]})") == 3);
  CHECK(json_depth(R"(["\"[[["])") == 1);
  CHECK(json_depth(std::string(100000, '[')) == kMaxJsonDepth + 1);  // stops once past the limit
}

TEST_CASE("value_context: the key whose value the cursor is in") {
  CHECK(value_context("    model: qw", 13).key == "model");
  CHECK(value_context("    model: qw", 13).value_begin == 11);
  CHECK(value_context("  - model: \"qw", 14).value_begin == 12);  // a sequence item, inside quotes
  CHECK(value_context("    model: qw", 6).key.empty());          // on the key
  CHECK(value_context("    model: qwen3 # c", 20).key.empty());  // past the value, in a comment
  CHECK(value_context("", 0).key.empty());
}

TEST_CASE("fenced: no text from the document can close the hover's code block") {
  CHECK(fenced("a\n") == "```text\na\n```");
  CHECK(fenced("x ```` y") == "`````text\nx ```` y\n`````");
}
