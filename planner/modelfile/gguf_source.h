#pragma once
// Bounded little-endian reads over a file (pread through a 64 KiB window) or a memory buffer.
// Skipping is free: it moves the position, so a vocabulary's strings are stepped over by their
// lengths without being read into memory one by one. Every read checks the bytes that remain,
// so no length from the file can make us read or allocate past its end.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace planner::gguf {

// Thrown inside the reader only (read_file / read_bytes catch it): a message and an offset.
struct FormatError {
  std::string message;
  std::uint64_t offset = 0;
};

class ByteSource {
 public:
  explicit ByteSource(std::string_view memory) : mem_(memory), size_(memory.size()) {}
  ByteSource(int fd, std::uint64_t size) : fd_(fd), size_(size) {}

  std::uint64_t pos() const { return pos_; }
  std::uint64_t size() const { return size_; }
  std::uint64_t remaining() const { return size_ - pos_; }

  // `what` names the field in the error when the file ends before it.
  void read(void* dst, std::uint64_t n, const char* what);
  void skip(std::uint64_t n, const char* what);
  void seek(std::uint64_t offset, const char* what);

  template <typename T>
  T get(const char* what) {
    T v;
    read(&v, sizeof v, what);  // GGUF is little-endian; so are the hosts planner runs on
    return v;
  }

 private:
  void fill(std::uint64_t at);  // loads the window holding offset `at`

  std::string_view mem_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::uint64_t pos_ = 0;
  std::vector<char> window_;
  std::uint64_t window_start_ = 0;
};

}  // namespace planner::gguf
