#pragma once
// Writes GGUF files for tests: a real header (metadata, tensor infos with real shapes) and the
// tensor data as a sparse hole (ftruncate), so a "7B" model costs a few KiB of disk. Also the
// little-endian pieces for hand-made hostile headers.
#include <cstdint>
#include <string>
#include <vector>

namespace planner::testing {

// Little-endian appenders (GGUF byte order).
void put_u32(std::string& out, std::uint32_t v);
void put_u64(std::string& out, std::uint64_t v);
void put_str(std::string& out, const std::string& s);  // u64 length + bytes

// GGUF value type ids (enum gguf_type).
enum : std::uint32_t { kU8 = 0, kI8, kU16, kI16, kU32, kI32, kF32, kBool, kStr, kArr, kU64, kI64, kF64 };

class GgufWriter {
 public:
  explicit GgufWriter(std::uint32_t version = 3) : version_(version) {}

  GgufWriter& u32(const std::string& key, std::uint32_t v);
  GgufWriter& u64(const std::string& key, std::uint64_t v);
  GgufWriter& i32(const std::string& key, std::int32_t v);
  GgufWriter& f32(const std::string& key, float v);
  GgufWriter& boolean(const std::string& key, bool v);
  GgufWriter& str(const std::string& key, const std::string& v);
  GgufWriter& u32_array(const std::string& key, const std::vector<std::uint32_t>& v);
  GgufWriter& bool_array(const std::string& key, const std::vector<bool>& v);
  // `count` strings "<prefix>0", "<prefix>1"... (a vocabulary of the right length).
  GgufWriter& str_array(const std::string& key, std::size_t count, const std::string& prefix = "t");
  // A key with a value encoded by hand (type id + payload bytes).
  GgufWriter& raw(const std::string& key, std::uint32_t type, const std::string& payload);
  GgufWriter& alignment(std::uint32_t a);

  // dims as GGUF stores them: ne[0] (row length) first. `type` is a ggml type name ("Q4_K").
  GgufWriter& tensor(const std::string& name, std::vector<std::uint64_t> dims, const std::string& type);

  std::string header() const;          // up to and including the padding before the data
  std::uint64_t data_bytes() const;    // the data section (each tensor padded to the alignment)
  std::uint64_t tensor_bytes() const;  // sum of the tensors' own bytes
  std::string bytes() const;           // header + zero data: small models only
  // Header, then the data as a hole. Returns false on I/O failure.
  bool write_sparse(const std::string& path) const;

 private:
  struct Tensor {
    std::string name;
    std::vector<std::uint64_t> dims;
    std::uint32_t type_id = 0;
    std::uint64_t bytes = 0;
  };
  std::uint32_t version_;
  std::uint32_t alignment_ = 32;
  std::uint64_t kv_count_ = 0;
  std::string kv_;
  std::vector<Tensor> tensors_;
};

}  // namespace planner::testing
