#pragma once
// A GGUF (v2, v3) header reader: metadata key/values and tensor infos, never tensor data.
// Every read is bounded by the file's size and by GgufLimits, so a hostile or truncated file
// gives a one-line error with the byte offset where it went wrong, in time that depends on the
// header alone. Format: ggml-org/llama.cpp ggml/src/gguf.cpp (gguf_init_from_reader) and
// docs/model-files.md.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "modelfile/limits.h"
#include "model/quant_tables.h"

namespace planner::gguf {

// enum gguf_type (ggml/include/gguf.h): the value types of metadata.
enum class ValueType : std::uint32_t {
  u8 = 0, i8 = 1, u16 = 2, i16 = 3, u32 = 4, i32 = 5, f32 = 6, boolean = 7,
  string = 8, array = 9, u64 = 10, i64 = 11, f64 = 12,
};
std::string_view type_name(ValueType t);

struct Value {
  ValueType type = ValueType::u8;
  std::uint64_t offset = 0;  // where the value starts in the file
  // Scalars: integers and bools in `i` (u64 above INT64_MAX also in `u`), floats in `f`.
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double f = 0;
  // Strings: the text (valid UTF-8: invalid bytes replaced by U+FFFD), kept when no longer than
  // GgufLimits::max_kept_string; `count` is the length in the file either way.
  std::string s;
  // Arrays: element type and count always; the elements only for the per-layer keys planner
  // reads (kPerLayerKeys), numeric, and at most max_kept_array of them. Every other array (a
  // 150k-entry vocabulary, arrays of arrays) is counted and stepped over, never copied.
  ValueType elem = ValueType::u8;
  std::uint64_t count = 0;
  bool items_kept = false;  // strings: `s` holds the text; arrays: `items` holds the elements
  std::vector<Value> items;

  bool is_int() const;  // any integer type or bool
  bool is_float() const { return type == ValueType::f32 || type == ValueType::f64; }
  bool is_array() const { return type == ValueType::array; }
};

// The array-valued keys whose elements are kept: `<arch>.` + one of these, the per-layer values
// planner/modelfile/gguf_model.cpp reads (head counts, recurrent layers, sliding-window flags).
inline constexpr std::string_view kPerLayerKeys[] = {".attention.head_count", ".attention.head_count_kv",
                                                     ".attention.recurrent_layers",
                                                     ".attention.sliding_window_pattern"};

struct TensorInfo {
  std::string name;
  std::uint32_t n_dims = 0;
  std::array<std::uint64_t, 4> dims{1, 1, 1, 1};
  int ggml_type = 0;
  const GgufType* type = nullptr;  // from data/quantization.yaml
  std::uint64_t offset = 0;        // from the start of the data section
  std::uint64_t elements = 0;
  std::uint64_t bytes = 0;         // elements / block_elems * block_bytes
  std::uint64_t info_offset = 0;   // where this tensor's info starts in the file
};

struct GgufFile {
  std::uint32_t version = 0;
  std::uint64_t file_bytes = 0;
  std::uint64_t alignment = 32;  // general.alignment, GGUF_DEFAULT_ALIGNMENT when absent
  std::uint64_t data_offset = 0; // start of the tensor data section
  std::vector<std::string> keys; // in file order
  std::map<std::string, Value, std::less<>> kv;
  std::vector<TensorInfo> tensors;

  const Value* find(std::string_view key) const;
};

// Bounds that keep a hostile header from costing time or memory; real files stay far below.
struct GgufLimits {
  std::uint64_t max_string = 64 << 10;          // bytes of a key or a tensor name (real: < 100)
  std::uint64_t max_kept_string = 64 << 10;     // longer string values are skipped (a chat template: ~10 KiB)
  std::uint64_t max_kept_array = limits::kLayers;  // per-layer arrays: one entry per layer
  std::uint64_t max_kept_bytes = 64ull << 20;   // text kept in memory for the whole header
  std::uint64_t max_elements = 1ull << 24;      // array elements walked one by one (strings, arrays) in all;
                                                // a vocabulary plus its merges: under 10^6
  std::uint64_t max_tensors = 1 << 18;          // DeepSeek-V3: ~1,900; 10,000 layers (the cap) x ~15: 150,000
  std::uint64_t max_kv = 1 << 16;               // real files: ~50 keys
  int max_depth = 8;                            // nesting of arrays in arrays
};

struct ReadResult {
  GgufFile file;
  std::string error;          // one line; empty on success
  std::uint64_t error_offset = 0;
  bool has_offset = false;    // false for errors before any byte was read (cannot open...)
  bool ok() const { return error.empty(); }
};

// Reads the header of the GGUF file at `path`. Never throws.
ReadResult read_file(const std::string& path, const QuantTables& types = QuantTables::builtin(),
                     const GgufLimits& limits = {});
// The same over bytes in memory (tests, fuzzing).
ReadResult read_bytes(std::string_view bytes, const QuantTables& types = QuantTables::builtin(),
                      const GgufLimits& limits = {});

}  // namespace planner::gguf
