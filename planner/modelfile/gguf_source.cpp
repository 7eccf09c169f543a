#include "modelfile/gguf_source.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include "core/errno_text.h"

namespace planner::gguf {

namespace {
// Large enough that a header (a few MiB with the vocabulary) costs a few dozen system calls.
constexpr std::uint64_t kWindow = 64 * 1024;
}  // namespace

void ByteSource::fill(std::uint64_t at) {
  window_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(kWindow, size_ - at)));
  window_start_ = at;
  std::size_t got = 0;
  while (got < window_.size()) {
    ssize_t r = ::pread(fd_, window_.data() + got, window_.size() - got, static_cast<off_t>(at + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      // The file shrank under us, or an I/O error: same as a truncated file.
      window_.resize(got);
      throw FormatError{r < 0 ? fmt::format("read error: {}", errno_text(errno)) : "file ended while reading",
                        at + got};
    }
    got += static_cast<std::size_t>(r);
  }
}

void ByteSource::read(void* dst, std::uint64_t n, const char* what) {
  if (n > remaining())
    throw FormatError{fmt::format("truncated: {} needs {} bytes, {} left in the file", what, n, remaining()), pos_};
  char* out = static_cast<char*>(dst);
  if (fd_ < 0) {
    std::memcpy(out, mem_.data() + pos_, static_cast<std::size_t>(n));
    pos_ += n;
    return;
  }
  while (n > 0) {
    if (pos_ < window_start_ || pos_ >= window_start_ + window_.size()) fill(pos_);
    std::uint64_t in_window = window_start_ + window_.size() - pos_;
    std::uint64_t take = std::min(n, in_window);
    std::memcpy(out, window_.data() + (pos_ - window_start_), static_cast<std::size_t>(take));
    out += take;
    pos_ += take;
    n -= take;
  }
}

void ByteSource::skip(std::uint64_t n, const char* what) {
  if (n > remaining())
    throw FormatError{fmt::format("truncated: {} needs {} bytes, {} left in the file", what, n, remaining()), pos_};
  pos_ += n;
}

void ByteSource::seek(std::uint64_t offset, const char* what) {
  if (offset > size_)
    throw FormatError{fmt::format("truncated: {} at byte {} is past the end of the file ({} bytes)", what, offset, size_),
                      pos_};
  pos_ = offset;
}

}  // namespace planner::gguf
