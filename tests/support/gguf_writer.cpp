#include "support/gguf_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "resolve/quant.h"

namespace planner::testing {

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_str(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

GgufWriter& GgufWriter::raw(const std::string& key, std::uint32_t type, const std::string& payload) {
  put_str(kv_, key);
  put_u32(kv_, type);
  kv_ += payload;
  ++kv_count_;
  return *this;
}

GgufWriter& GgufWriter::u32(const std::string& key, std::uint32_t v) {
  std::string p;
  put_u32(p, v);
  return raw(key, kU32, p);
}
GgufWriter& GgufWriter::u64(const std::string& key, std::uint64_t v) {
  std::string p;
  put_u64(p, v);
  return raw(key, kU64, p);
}
GgufWriter& GgufWriter::i32(const std::string& key, std::int32_t v) {
  std::string p;
  put_u32(p, static_cast<std::uint32_t>(v));
  return raw(key, kI32, p);
}
GgufWriter& GgufWriter::f32(const std::string& key, float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, 4);
  std::string p;
  put_u32(p, bits);
  return raw(key, kF32, p);
}
GgufWriter& GgufWriter::boolean(const std::string& key, bool v) { return raw(key, kBool, std::string(1, v ? 1 : 0)); }
GgufWriter& GgufWriter::str(const std::string& key, const std::string& v) {
  std::string p;
  put_str(p, v);
  return raw(key, kStr, p);
}
GgufWriter& GgufWriter::u32_array(const std::string& key, const std::vector<std::uint32_t>& v) {
  std::string p;
  put_u32(p, kU32);
  put_u64(p, v.size());
  for (auto x : v) put_u32(p, x);
  return raw(key, kArr, p);
}
GgufWriter& GgufWriter::bool_array(const std::string& key, const std::vector<bool>& v) {
  std::string p;
  put_u32(p, kBool);
  put_u64(p, v.size());
  for (bool x : v) p.push_back(x ? 1 : 0);
  return raw(key, kArr, p);
}
GgufWriter& GgufWriter::str_array(const std::string& key, std::size_t count, const std::string& prefix) {
  std::string p;
  put_u32(p, kStr);
  put_u64(p, count);
  for (std::size_t i = 0; i < count; ++i) put_str(p, prefix + std::to_string(i));
  return raw(key, kArr, p);
}
GgufWriter& GgufWriter::alignment(std::uint32_t a) {
  alignment_ = a;
  return u32("general.alignment", a);
}

GgufWriter& GgufWriter::tensor(const std::string& name, std::vector<std::uint64_t> dims, const std::string& type) {
  const GgufType* t = QuantTables::builtin().type(type);
  if (!t || t->id < 0) throw std::invalid_argument("unknown ggml type " + type);
  std::uint64_t elements = 1;
  for (auto d : dims) elements *= d;
  tensors_.push_back({name, std::move(dims), static_cast<std::uint32_t>(t->id),
                      elements / static_cast<std::uint64_t>(t->block_elems) * static_cast<std::uint64_t>(t->block_bytes)});
  return *this;
}

namespace {
std::uint64_t pad(std::uint64_t v, std::uint64_t a) { return (v + a - 1) / a * a; }
}  // namespace

std::string GgufWriter::header() const {
  std::string out = "GGUF";
  put_u32(out, version_);
  put_u64(out, tensors_.size());
  put_u64(out, kv_count_);
  out += kv_;
  std::uint64_t offset = 0;
  for (const auto& t : tensors_) {
    put_str(out, t.name);
    put_u32(out, static_cast<std::uint32_t>(t.dims.size()));
    for (auto d : t.dims) put_u64(out, d);
    put_u32(out, t.type_id);
    put_u64(out, offset);
    offset += pad(t.bytes, alignment_);
  }
  out.resize(pad(out.size(), alignment_), '\0');
  return out;
}

std::uint64_t GgufWriter::data_bytes() const {
  std::uint64_t n = 0;
  for (const auto& t : tensors_) n += pad(t.bytes, alignment_);
  return n;
}
std::uint64_t GgufWriter::tensor_bytes() const {
  std::uint64_t n = 0;
  for (const auto& t : tensors_) n += t.bytes;
  return n;
}

std::string GgufWriter::bytes() const {
  std::string out = header();
  out.resize(out.size() + data_bytes(), '\0');
  return out;
}

bool GgufWriter::write_sparse(const std::string& path) const {
  std::string h = header();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = ::write(fd, h.data(), h.size()) == static_cast<ssize_t>(h.size()) &&
            ::ftruncate(fd, static_cast<off_t>(h.size() + data_bytes())) == 0;
  return ::close(fd) == 0 && ok;
}

}  // namespace planner::testing
