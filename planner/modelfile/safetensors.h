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

// What JSON text holds, found by one pass over its bytes before it is parsed: nlohmann::json
// serializes and compares recursively, so a deeply nested value that parsed can still overflow
// the stack later, and it takes ~16-100 bytes of memory for every value of the text, so 100 MB
// of `0,0,0...` would take gigabytes.
struct JsonScan {
  int depth = 0;             // the deepest [ / { nesting (stops counting once past the limit)
  std::size_t depth_at = 0;  // the offset where the nesting passed its limit
  std::uint64_t values = 0;  // at least the number of values: 1 + commas + brackets outside strings
  std::size_t values_at = 0; // the offset where the count passed its limit
};
// Stops at the first limit passed.
JsonScan json_scan(std::string_view text, int depth_limit, std::uint64_t values_limit);

// Bits per element of a safetensors dtype, 0 when unknown.
int safetensors_dtype_bits(std::string_view dtype);

// The largest header accepted: safetensors' own MAX_HEADER_SIZE (100,000,000 bytes, tensor.rs).
inline constexpr std::uint64_t kMaxSafetensorsHeader = 100'000'000;
// JSON values (json_scan) accepted in a header: a tensor entry holds about 10 (dtype, shape,
// offsets), so this admits some 200,000 tensors in one file, while DeepSeek-V3's shards hold
// under 2,000 each and a whole model (Kimi K2: 60 MoE layers x 384 experts x 3 projections,
// weight + scale) about 140,000. The JSON parser takes ~100 bytes a value: at the limit ~200 MB and ~1.5 s.
inline constexpr std::uint64_t kMaxHeaderValues = 1ULL << 21;
// ...and in model.safetensors.index.json, one a tensor: 7 x Kimi K2's ~140,000.
inline constexpr std::uint64_t kMaxIndexValues = 1ULL << 20;

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
