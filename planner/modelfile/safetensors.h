#pragma once
// safetensors headers, read without touching tensor data. Format (huggingface/safetensors,
// safetensors/src/tensor.rs): 8-byte little-endian header length N, N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}, then the data;
// offsets are relative to the first byte after the header.
// Every failure is a std::runtime_error with one line: "FILE: byte OFFSET: what".
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace planner {

struct SafetensorsTensor {
  std::string name;
  std::string dtype;                 // "BF16", "U32", ...
  std::vector<std::uint64_t> shape;
  std::uint64_t elements = 0;        // product of shape (1 for a scalar)
  std::uint64_t begin = 0, end = 0;  // data_offsets, relative to the data section
  std::uint64_t bytes() const { return end - begin; }
};

struct SafetensorsFile {
  std::string path;
  std::uint64_t file_bytes = 0;
  std::uint64_t header_bytes = 0;    // N (the JSON), not counting the 8-byte length
  std::vector<SafetensorsTensor> tensors;  // in header order
  std::map<std::string, std::string> metadata;  // __metadata__
  std::vector<std::string> warnings;
};

// The deepest [ / { nesting of JSON text outside strings, stopping early once past `limit`; and
// the offset where that happened. Checked before parsing: nlohmann::json serializes and compares
// recursively, so a deeply nested value that parsed can still overflow the stack later.
std::pair<int, std::size_t> json_nesting(std::string_view text, int limit);

// Bits per element of a safetensors dtype, 0 when unknown.
int safetensors_dtype_bits(std::string_view dtype);

// The largest header accepted: safetensors' own MAX_HEADER_SIZE (100,000,000 bytes, tensor.rs).
inline constexpr std::uint64_t kMaxSafetensorsHeader = 100'000'000;

// Parses a header already in memory. `header` is the JSON text (N bytes); `file_bytes` is the
// size of the whole file, to check data offsets against.
SafetensorsFile parse_safetensors_header(std::string_view header, std::uint64_t file_bytes, const std::string& path);

// Reads the 8-byte length and the header of `file`, nothing more.
SafetensorsFile read_safetensors_header(const std::filesystem::path& file);

// model.safetensors.index.json: tensor name -> shard file name, plus metadata.total_size and
// metadata.total_parameters when present (mlx-lm save_model writes both, transformers total_size).
struct SafetensorsIndex {
  std::string path;
  std::map<std::string, std::string> weight_map;
  std::uint64_t total_size = 0;
  std::uint64_t total_parameters = 0;
};
SafetensorsIndex parse_safetensors_index(std::string_view json_text, const std::string& path);
SafetensorsIndex read_safetensors_index(const std::filesystem::path& file);

}  // namespace planner
