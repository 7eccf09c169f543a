#include "modelfile/gguf.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>
#include <unordered_set>

#include <fmt/format.h>

#include "core/errno_text.h"
#include "modelfile/gguf_source.h"
#include "core/text.h"

namespace planner::gguf {

std::string_view type_name(ValueType t) {
  static constexpr std::string_view names[] = {"u8",   "i8",  "u16", "i16", "u32", "i32", "f32",
                                               "bool", "str", "arr", "u64", "i64", "f64"};
  auto i = static_cast<std::uint32_t>(t);
  return i < std::size(names) ? names[i] : "?";
}

bool Value::is_int() const {
  switch (type) {
    case ValueType::u8: case ValueType::i8: case ValueType::u16: case ValueType::i16: case ValueType::u32:
    case ValueType::i32: case ValueType::u64: case ValueType::i64: case ValueType::boolean:
      return true;
    default:
      return false;
  }
}

const Value* GgufFile::find(std::string_view key) const {
  auto it = kv.find(key);
  return it == kv.end() ? nullptr : &it->second;
}

namespace {

// Names from the file as one-line messages quote them: escaped, cut (core/text.h).
std::string shown(std::string_view name) { return shown_value(name); }

// Bytes of a scalar value on disk; 0 for string and array (variable).
std::uint64_t scalar_size(ValueType t) {
  switch (t) {
    case ValueType::u8: case ValueType::i8: case ValueType::boolean: return 1;
    case ValueType::u16: case ValueType::i16: return 2;
    case ValueType::u32: case ValueType::i32: case ValueType::f32: return 4;
    case ValueType::u64: case ValueType::i64: case ValueType::f64: return 8;
    default: return 0;
  }
}
// The least bytes one element of an array can take: how many elements the file could hold.
std::uint64_t min_size(ValueType t) {
  if (t == ValueType::string) return 8;  // u64 length
  if (t == ValueType::array) return 12;  // u32 type + u64 count
  return scalar_size(t);
}

class Parser {
 public:
  Parser(ByteSource& src, const QuantTables& types, const GgufLimits& limits)
      : src_(src), types_(types), limits_(limits) {}

  GgufFile parse() {
    GgufFile f;
    f.file_bytes = src_.size();
    header(f);
    std::uint64_t n_tensors = src_.get<std::uint64_t>("tensor count");
    std::uint64_t n_kv = src_.get<std::uint64_t>("metadata count");
    // Every key/value takes at least 13 bytes (key length, type, a 1-byte value), every
    // tensor info 24: counts the file cannot hold are lies, not reasons to loop.
    check_count(n_kv, 13, limits_.max_kv, "metadata count", 16);
    check_count(n_tensors, 24, limits_.max_tensors, "tensor count", 8);
    for (std::uint64_t i = 0; i < n_kv; ++i) key_value(f);
    alignment(f);
    std::unordered_set<std::string> names;
    for (std::uint64_t i = 0; i < n_tensors; ++i) {
      TensorInfo t = tensor_info(f);
      if (!names.insert(t.name).second) fail(fmt::format("duplicate tensor name '{}'", shown(t.name)), t.info_offset);
      f.tensors.push_back(std::move(t));
    }
    // The data section starts at the next multiple of the alignment (gguf.cpp: GGML_PAD).
    std::uint64_t end = src_.pos();
    f.data_offset = (end + f.alignment - 1) / f.alignment * f.alignment;
    data_extent(f);
    return f;
  }

 private:
  [[noreturn]] void fail(std::string message, std::uint64_t offset) { throw FormatError{std::move(message), offset}; }

  void header(GgufFile& f) {
    char magic[4];
    src_.read(magic, 4, "magic");
    if (std::memcmp(magic, "GGUF", 4) != 0) {
      std::string shown;
      for (char c : magic) shown += (c >= 32 && c < 127) ? c : '?';
      fail(fmt::format("not a GGUF file: magic is '{}', expected 'GGUF'", shown), 0);
    }
    f.version = src_.get<std::uint32_t>("version");
    if (f.version == 1) fail("GGUF v1 is not supported (llama.cpp dropped it too); convert the model again", 4);
    if (f.version != 2 && f.version != 3) {
      // A big-endian file read on a little-endian host shows its version in the high bytes.
      bool swapped = (f.version & 0xFFFF) == 0;
      fail(fmt::format("unsupported GGUF version {}{}", f.version,
                       swapped ? " (a big-endian file? planner reads little-endian GGUF only)" : " (supported: 2, 3)"),
           4);
    }
  }

  void check_count(std::uint64_t n, std::uint64_t min_each, std::uint64_t cap, const char* what, std::uint64_t at) {
    if (n > cap) fail(fmt::format("{} {} is over the limit of {}", what, n, cap), at);
    if (n > src_.remaining() / min_each)
      fail(fmt::format("{} {} cannot fit in the {} bytes left in the file", what, n, src_.remaining()), at);
  }

  // A key or a tensor name: at most max_string bytes, kept, made valid UTF-8.
  std::string name_string(const char* what) {
    std::uint64_t at = src_.pos();
    std::uint64_t len = src_.get<std::uint64_t>(what);
    if (len > limits_.max_string) fail(fmt::format("{} length {} is over the limit of {} bytes", what, len, limits_.max_string), at);
    check_length(len, what, at);
    return kept_text(len, what, at);
  }

  // A string value: kept (valid UTF-8) when `keep` and no longer than max_kept_string, else
  // stepped over by its length. Returns the length in the file.
  std::uint64_t string_value(Value& v, bool keep) {
    std::uint64_t at = src_.pos();
    std::uint64_t len = src_.get<std::uint64_t>("string value");
    check_length(len, "string value", at);
    if (keep && len <= limits_.max_kept_string) {
      v.s = kept_text(len, "string value", at);
      v.items_kept = true;
    } else {
      src_.skip(len, "string value");
    }
    return len;
  }

  void check_length(std::uint64_t len, const char* what, std::uint64_t at) {
    if (len > src_.remaining())
      fail(fmt::format("truncated: {} length {} is more than the {} bytes left in the file", what, len, src_.remaining()),
           at);
  }

  std::string kept_text(std::uint64_t len, const char* what, std::uint64_t at) {
    kept_bytes_ += len;
    if (kept_bytes_ > limits_.max_kept_bytes)
      fail(fmt::format("metadata text is over the limit of {} bytes", limits_.max_kept_bytes), at);
    std::string s(static_cast<std::size_t>(len), '\0');
    src_.read(s.data(), len, what);
    // llama.cpp does not check the encoding; planner replaces invalid bytes so that every output
    // (JSON included) can carry the text (docs/model-files.md).
    return valid_utf8(s);
  }

  ValueType value_type(const char* what) {
    std::uint64_t at = src_.pos();
    auto raw = src_.get<std::uint32_t>(what);
    if (raw > static_cast<std::uint32_t>(ValueType::f64)) fail(fmt::format("{} {} is not a GGUF value type (0-12)", what, raw), at);
    return static_cast<ValueType>(raw);
  }

  template <typename T>
  void scalar_as(Value& v) {
    T x = src_.get<T>("value");
    if constexpr (std::is_floating_point_v<T>) {
      v.f = x;
    } else {
      v.i = static_cast<std::int64_t>(x);
      v.u = static_cast<std::uint64_t>(x);
      v.f = static_cast<double>(x);
    }
  }

  // One value of type `t` at the current position; `keep` = false reads past it cheaply.
  // `per_layer`: an array whose numeric elements planner reads (kPerLayerKeys).
  Value value(ValueType t, bool keep, bool per_layer, int depth) {
    Value v;
    v.type = t;
    v.offset = src_.pos();
    switch (t) {
      case ValueType::u8: scalar_as<std::uint8_t>(v); break;
      case ValueType::i8: scalar_as<std::int8_t>(v); break;
      case ValueType::u16: scalar_as<std::uint16_t>(v); break;
      case ValueType::i16: scalar_as<std::int16_t>(v); break;
      case ValueType::u32: scalar_as<std::uint32_t>(v); break;
      case ValueType::i32: scalar_as<std::int32_t>(v); break;
      case ValueType::f32: scalar_as<float>(v); break;
      case ValueType::boolean: scalar_as<std::uint8_t>(v); v.i = v.u = v.i != 0; break;
      case ValueType::u64: scalar_as<std::uint64_t>(v); break;
      case ValueType::i64: scalar_as<std::int64_t>(v); break;
      case ValueType::f64: scalar_as<double>(v); break;
      case ValueType::string: v.count = string_value(v, keep); break;
      case ValueType::array: array(v, keep && per_layer, depth); break;
    }
    return v;
  }

  // Numeric arrays are stepped over with one seek unless kept; strings and arrays of arrays
  // have to be walked (each element has its own length), within a budget for the whole header
  // so that a sparse terabyte of empty strings cannot keep us busy. Nothing but a kept
  // per-layer array is stored: a Value is ~150 bytes, a nested empty array 12 on disk.
  void array(Value& v, bool keep, int depth) {
    if (depth >= limits_.max_depth) fail(fmt::format("arrays nested deeper than {}", limits_.max_depth), v.offset);
    v.elem = value_type("array element type");
    std::uint64_t count_at = src_.pos();
    v.count = src_.get<std::uint64_t>("array length");
    std::uint64_t min = min_size(v.elem);
    if (v.count > src_.remaining() / min)
      fail(fmt::format("truncated: array of {} {} cannot fit in the {} bytes left in the file", v.count,
                       type_name(v.elem), src_.remaining()),
           count_at);
    const std::uint64_t fixed = scalar_size(v.elem);  // count x fixed cannot overflow: checked above
    v.items_kept = keep && fixed > 0 && v.count <= limits_.max_kept_array;
    if (fixed > 0 && !v.items_kept) {
      src_.skip(v.count * fixed, "array");  // numbers: one seek, whatever the count
      return;
    }
    if (!v.items_kept) {
      elements_ += v.count;
      if (elements_ > limits_.max_elements)
        fail(fmt::format("metadata arrays hold over {} elements in all", limits_.max_elements), count_at);
    }
    if (v.items_kept) v.items.reserve(static_cast<std::size_t>(v.count));
    for (std::uint64_t i = 0; i < v.count; ++i) {
      Value item = value(v.elem, false, false, depth + 1);
      if (v.items_kept) v.items.push_back(std::move(item));
    }
  }

  static bool per_layer_key(std::string_view key) {
    for (std::string_view suffix : kPerLayerKeys)
      if (key.size() > suffix.size() && key.substr(key.size() - suffix.size()) == suffix) return true;
    return false;
  }

  void key_value(GgufFile& f) {
    std::uint64_t at = src_.pos();
    std::string key = name_string("key");
    if (key.empty()) fail("empty metadata key", at);
    if (f.kv.count(key)) fail(fmt::format("duplicate metadata key '{}'", shown(key)), at);
    ValueType t = value_type(fmt::format("type of '{}'", shown(key)).c_str());
    Value v = value(t, true, per_layer_key(key), 0);
    f.keys.push_back(key);
    f.kv.emplace(std::move(key), std::move(v));
  }

  void alignment(GgufFile& f) {
    const Value* a = f.find("general.alignment");
    if (!a) return;
    // gguf.cpp requires a u32 power of two.
    if (a->type != ValueType::u32) fail(fmt::format("general.alignment must be u32, not {}", type_name(a->type)), a->offset);
    if (a->u == 0 || (a->u & (a->u - 1)) != 0) fail(fmt::format("general.alignment {} is not a power of 2", a->u), a->offset);
    f.alignment = a->u;
  }

  TensorInfo tensor_info(const GgufFile& f) {
    TensorInfo t;
    t.info_offset = src_.pos();
    t.name = name_string("tensor name");
    const std::string name = shown(t.name);
    std::uint64_t at = src_.pos();
    t.n_dims = src_.get<std::uint32_t>("tensor dimension count");
    if (t.n_dims > 4) fail(fmt::format("tensor '{}' has {} dimensions, at most 4 (GGML_MAX_DIMS)", name, t.n_dims), at);
    t.elements = 1;
    for (std::uint32_t d = 0; d < t.n_dims; ++d) {
      at = src_.pos();
      auto ne = src_.get<std::int64_t>("tensor dimension");
      if (ne < 0) fail(fmt::format("tensor '{}' dimension {} is negative ({})", name, d, ne), at);
      t.dims[d] = static_cast<std::uint64_t>(ne);
      if (__builtin_mul_overflow(t.elements, t.dims[d], &t.elements) || t.elements > INT64_MAX)
        fail(fmt::format("tensor '{}' has more elements than 2^63", name), at);
    }
    at = src_.pos();
    t.ggml_type = static_cast<int>(src_.get<std::uint32_t>("tensor type"));
    t.type = types_.type_by_id(t.ggml_type);
    if (!t.type || t.type->block_elems <= 0)
      fail(fmt::format("tensor '{}' has unknown ggml type {}", name, static_cast<std::uint32_t>(t.ggml_type)), at);
    if (t.dims[0] % static_cast<std::uint64_t>(t.type->block_elems) != 0)
      fail(fmt::format("tensor '{}' rows of {} elements are not a multiple of the {} block ({})", name, t.dims[0],
                       t.type->name, t.type->block_elems),
           at);
    std::uint64_t blocks = t.elements / static_cast<std::uint64_t>(t.type->block_elems);
    if (__builtin_mul_overflow(blocks, static_cast<std::uint64_t>(t.type->block_bytes), &t.bytes))
      fail(fmt::format("tensor '{}' size in bytes overflows", name), at);
    at = src_.pos();
    t.offset = src_.get<std::uint64_t>("tensor data offset");
    if (t.offset % f.alignment != 0)
      fail(fmt::format("tensor '{}' data offset {} is not a multiple of the alignment {}", name, t.offset, f.alignment), at);
    return t;
  }

  // Tensor data must lie inside the file (one that does not is a download cut short), and no two
  // tensors may share bytes: overlapping ranges would let a small file claim any number of
  // parameters. Sorted by offset, each range is checked against the one before: O(n log n).
  void data_extent(const GgufFile& f) {
    std::vector<std::pair<std::uint64_t, const TensorInfo*>> by_offset;  // (end, tensor)
    by_offset.reserve(f.tensors.size());
    for (const auto& t : f.tensors) {
      std::uint64_t end = 0;
      if (__builtin_add_overflow(f.data_offset, t.offset, &end) || __builtin_add_overflow(end, t.bytes, &end) ||
          end > f.file_bytes)
        fail(fmt::format("truncated model file: tensor '{}' ends at byte {} but the file has {} bytes "
                         "(an interrupted download?)",
                         shown(t.name), end < f.data_offset ? UINT64_MAX : end, f.file_bytes),
             t.info_offset);
      if (t.bytes > 0) by_offset.emplace_back(t.offset + t.bytes, &t);
    }
    std::sort(by_offset.begin(), by_offset.end(), [](const auto& a, const auto& b) {
      return a.second->offset != b.second->offset ? a.second->offset < b.second->offset : a.first < b.first;
    });
    for (std::size_t i = 1; i < by_offset.size(); ++i) {
      const TensorInfo& prev = *by_offset[i - 1].second;
      const TensorInfo& t = *by_offset[i].second;
      if (t.offset < by_offset[i - 1].first)
        fail(fmt::format("tensor '{}' data [{}, {}) overlaps tensor '{}' [{}, {})", shown(t.name), t.offset,
                         by_offset[i].first, shown(prev.name), prev.offset, by_offset[i - 1].first),
             t.info_offset);
    }
  }

  ByteSource& src_;
  const QuantTables& types_;
  const GgufLimits& limits_;
  std::uint64_t kept_bytes_ = 0;
  std::uint64_t elements_ = 0;
};

ReadResult run(ByteSource& src, const QuantTables& types, const GgufLimits& limits) {
  ReadResult r;
  try {
    r.file = Parser(src, types, limits).parse();
  } catch (const FormatError& e) {
    r.error = e.message;
    r.error_offset = e.offset;
    r.has_offset = true;
  } catch (const std::bad_alloc&) {
    r.error = "out of memory while reading the header";
    r.error_offset = src.pos();
    r.has_offset = true;
  }
  if (!r.ok()) r.file = {};
  return r;
}

}  // namespace

ReadResult read_bytes(std::string_view bytes, const QuantTables& types, const GgufLimits& limits) {
  ByteSource src(bytes);
  return run(src, types, limits);
}

ReadResult read_file(const std::string& path, const QuantTables& types, const GgufLimits& limits) {
  ReadResult r;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.error = errno_text(errno);
    return r;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    r.error = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
    ::close(fd);
    return r;
  }
  ByteSource src(fd, static_cast<std::uint64_t>(st.st_size));
  r = run(src, types, limits);
  ::close(fd);
  return r;
}

}  // namespace planner::gguf
