#include "lsp/framing.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "core/text.h"

namespace planner::lsp {

namespace {
std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

bool FrameReader::fill() {
  if (pos_ > 0 && pos_ == buf_.size()) buf_.clear(), pos_ = 0;
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

ReadStatus FrameReader::read(std::string& body, std::string& error) {
  // The header block: up to the first empty line.
  std::size_t end;
  while ((end = buf_.find("\r\n\r\n", pos_)) == std::string::npos) {
    if (buf_.size() - pos_ > kMaxHeaderBytes) {
      error = "header block longer than 8 KiB";
      return ReadStatus::bad_frame;
    }
    if (!fill()) {
      if (buf_.size() == pos_) return ReadStatus::end_of_input;
      error = "input ended inside a header block";
      return ReadStatus::bad_frame;
    }
  }
  if (end - pos_ > kMaxHeaderBytes) {
    error = "header block longer than 8 KiB";
    return ReadStatus::bad_frame;
  }
  const std::string_view headers(buf_.data() + pos_, end - pos_);
  std::size_t length = 0;
  bool have_length = false;
  for (std::size_t at = 0; at <= headers.size();) {
    std::size_t eol = headers.find("\r\n", at);
    if (eol == std::string_view::npos) eol = headers.size();
    const std::string_view line = headers.substr(at, eol - at);
    at = eol + 2;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      error = "header line without a colon: '" + shown_value(line) + "'";
      return ReadStatus::bad_frame;
    }
    const std::string name = to_lower(trimmed(line.substr(0, colon)));
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (name != "content-length") continue;  // Content-Type and others: the body is UTF-8 JSON
    unsigned long long n = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc::result_out_of_range || (ec == std::errc() && n > kMaxContentLength)) {
      error = "Content-Length " + shown_value(value) + " is over the 64 MiB limit";
      return ReadStatus::bad_frame;
    }
    if (ec != std::errc() || ptr != value.data() + value.size() || value.empty()) {
      error = "Content-Length is not a number: '" + shown_value(value) + "'";
      return ReadStatus::bad_frame;
    }
    if (have_length && n != length) {
      error = "two different Content-Length headers";
      return ReadStatus::bad_frame;
    }
    length = static_cast<std::size_t>(n);
    have_length = true;
  }
  if (!have_length) {
    error = "no Content-Length header";
    return ReadStatus::bad_frame;
  }
  pos_ = end + 4;
  if (buf_.size() - pos_ < length) buf_.reserve(pos_ + length);  // one allocation, not doublings
  while (buf_.size() - pos_ < length)
    if (!fill()) {
      error = "input ended inside a message body";
      return ReadStatus::bad_frame;
    }
  body.assign(buf_, pos_, length);
  pos_ += length;
  // Keep the buffer from growing with every message: drop what has been consumed.
  if (pos_ > (1u << 20) || pos_ == buf_.size()) buf_.erase(0, pos_), pos_ = 0;
  return ReadStatus::message;
}

bool write_frame(int fd, std::string_view body) {
  std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out.append(body);
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace planner::lsp
