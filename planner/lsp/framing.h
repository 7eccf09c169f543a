#pragma once
// The base protocol's framing (LSP "Base Protocol"): each message is a header block of
// "Name: value\r\n" lines, an empty line, then Content-Length bytes of JSON. Read with bounds:
// a header block past 8 KiB or a Content-Length past kMaxContentLength ends the session with an
// error instead of buffering without limit; nothing here blocks except the read itself.
#include <cstddef>
#include <string>
#include <string_view>

namespace planner::lsp {

// 64 MiB: far above any document an editor sends (a config is a few KiB), low enough that one
// hostile header cannot make the server allocate gigabytes.
inline constexpr std::size_t kMaxContentLength = 64u << 20;
inline constexpr std::size_t kMaxHeaderBytes = 8u << 10;

enum class ReadStatus { message, end_of_input, bad_frame };

class FrameReader {
 public:
  explicit FrameReader(int fd) : fd_(fd) {}
  // The next message's body; `error` says what was wrong with a bad frame (a stream whose framing
  // is broken cannot be resynchronised: the caller ends the session).
  ReadStatus read(std::string& body, std::string& error);

 private:
  bool fill();  // reads more into buf_; false at end of input or on an error
  int fd_;
  std::string buf_;
  std::size_t pos_ = 0;
};

// Writes one framed message; false when the output is gone (the client closed its end).
bool write_frame(int fd, std::string_view body);

}  // namespace planner::lsp
