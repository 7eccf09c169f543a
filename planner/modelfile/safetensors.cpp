#include "modelfile/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "core/errno_text.h"
#include "core/text.h"

namespace planner {

namespace {

using nlohmann::json;

// An index file lists one line per tensor: tens of thousands of lines at most.
constexpr std::uint64_t kMaxIndexBytes = 64ull << 20;
// A safetensors header nests three deep (root, tensor, shape); refuse deeply nested input
// before handing it to the JSON parser.
constexpr int kMaxNesting = 16;

[[noreturn]] void fail(const std::string& path, std::uint64_t byte, const std::string& what) {
  throw std::runtime_error(path + ": byte " + std::to_string(byte) + ": " + what);
}

json parse_json(std::string_view text, const std::string& path, std::uint64_t base, const char* what,
                std::uint64_t max_values) {
  const JsonScan scan = json_scan(text, kMaxNesting, max_values);
  if (scan.depth > kMaxNesting)
    fail(path, base + scan.depth_at, std::string(what) + " nests deeper than " + std::to_string(kMaxNesting) + " levels");
  if (scan.values > max_values)
    fail(path, base + scan.values_at, std::string(what) + " holds more than " + std::to_string(max_values) +
                                          " JSON values (the limit)");
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    std::string msg = e.what();
    if (auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
    fail(path, base + (e.byte > 0 ? e.byte - 1 : 0), std::string("invalid JSON in ") + what + ": " + msg);
  } catch (const json::exception& e) {  // out_of_range: a number beyond a double ("1e400"); no offset
    std::string msg = e.what();
    if (auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
    fail(path, base, std::string("invalid JSON in ") + what + ": " + msg);
  }
}

bool as_u64(const json& j, std::uint64_t& out) {
  if (!j.is_number_integer()) return false;
  if (j.is_number_unsigned()) {
    out = j.get<std::uint64_t>();
    return true;
  }
  long long v = j.get<long long>();
  if (v < 0) return false;
  out = static_cast<std::uint64_t>(v);
  return true;
}

std::string read_all(const std::filesystem::path& file, std::uint64_t limit, const char* what) {
  const std::string name = file.string();
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec) throw std::runtime_error(name + ": cannot read: " + error_text(ec));
  if (size > limit) fail(name, 0, std::to_string(size) + " bytes is too large for " + what);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(name + ": cannot open");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace

JsonScan json_scan(std::string_view s, int depth_limit, std::uint64_t values_limit) {
  JsonScan out;
  out.values = s.empty() ? 0 : 1;
  int depth = 0;
  bool in_string = false, escape = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (escape) escape = false;
      else if (c == '\\') escape = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[' || c == ',') {
      if (++out.values > values_limit) {
        out.values_at = i;
        return out;
      }
      if (c != ',' && (out.depth = std::max(out.depth, ++depth)) > depth_limit) {
        out.depth_at = i;
        return out;
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return out;
}

int safetensors_dtype_bits(std::string_view d) {
  // huggingface/safetensors safetensors/src/tensor.rs, Dtype::size_in_bits (BOOL..F64), plus the
  // later sub-byte and 8-bit float types of the same enum (F4, F6_E2M3, F6_E3M2, F8_E8M0, C64).
  struct Entry { std::string_view name; int bits; };
  static constexpr Entry table[] = {
      {"BOOL", 8}, {"U8", 8},   {"I8", 8},      {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8},
      {"I16", 16}, {"U16", 16}, {"F16", 16},    {"BF16", 16},   {"I32", 32},    {"U32", 32},
      {"F32", 32}, {"F64", 64}, {"I64", 64},    {"U64", 64},    {"C64", 64},    {"F4", 4},
      {"F6_E2M3", 6}, {"F6_E3M2", 6},
  };
  for (const auto& e : table)
    if (e.name == d) return e.bits;
  return 0;
}

SafetensorsFile parse_safetensors_header(std::string_view header, std::uint64_t file_bytes, const std::string& path) {
  SafetensorsFile out;
  out.path = path;
  out.file_bytes = file_bytes;
  out.header_bytes = header.size();
  const std::uint64_t data_start = 8 + header.size();
  const std::uint64_t data_bytes = file_bytes >= data_start ? file_bytes - data_start : 0;

  std::size_t first = header.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || header[first] != '{')
    fail(path, 8 + (first == std::string_view::npos ? 0 : first), "the header is not a JSON object (expected '{')");
  json root = parse_json(header, path, 8, "the header", kMaxHeaderValues);
  if (!root.is_object()) fail(path, 8, "the header is not a JSON object");

  // Where an entry's name sits in the file, for messages (only computed on the error path).
  auto where = [&](const std::string& name) -> std::uint64_t {
    std::size_t p = header.find(json(name).dump());
    return p == std::string_view::npos ? 8 : 8 + p;
  };

  out.tensors.reserve(root.size());
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string& name = it.key();
    const json& v = it.value();
    if (name == "__metadata__") {
      if (!v.is_object()) fail(path, where(name), "__metadata__ is not an object");
      std::size_t not_strings = 0;
      std::string example;
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (m->is_string()) out.metadata[m.key()] = m->get<std::string>();
        else if (not_strings++ == 0) example = m.key();
      }
      // One warning however many entries: a header can hold two million of them.
      if (not_strings > 0)
        out.warnings.push_back(path + ": __metadata__ '" + shown_value(example) + "'" +
                               (not_strings > 1 ? " and " + std::to_string(not_strings - 1) + " more" : "") +
                               (not_strings > 1 ? " are" : " is") + " not a string: ignored");
      continue;
    }
    if (!v.is_object()) fail(path, where(name), "tensor '" + shown_value(name) + "' is not an object");
    SafetensorsTensor t;
    t.name = name;
    auto dt = v.find("dtype");
    if (dt == v.end() || !dt->is_string()) fail(path, where(name), "tensor '" + shown_value(name) + "' has no dtype");
    t.dtype = dt->get<std::string>();
    const int bits = safetensors_dtype_bits(t.dtype);
    if (bits == 0) fail(path, where(name), "tensor '" + shown_value(name) + "' has unknown dtype '" + shown_value(t.dtype, 32) + "'");
    auto sh = v.find("shape");
    if (sh == v.end() || !sh->is_array()) fail(path, where(name), "tensor '" + shown_value(name) + "' has no shape");
    t.elements = 1;
    for (const auto& dim : *sh) {
      std::uint64_t n = 0;
      if (!as_u64(dim, n)) fail(path, where(name), "tensor '" + shown_value(name) + "' has a shape entry that is not a non-negative integer");
      if (n != 0 && t.elements > std::numeric_limits<std::uint64_t>::max() / n)
        fail(path, where(name), "tensor '" + shown_value(name) + "': the shape's element count overflows 64 bits");
      t.elements *= n;
      t.shape.push_back(n);
    }
    auto off = v.find("data_offsets");
    if (off == v.end() || !off->is_array() || off->size() != 2 || !as_u64((*off)[0], t.begin) || !as_u64((*off)[1], t.end))
      fail(path, where(name), "tensor '" + shown_value(name) + "' needs data_offsets [begin, end] of non-negative integers");
    if (t.end < t.begin)
      fail(path, where(name), "tensor '" + shown_value(name) + "' has data_offsets [" + std::to_string(t.begin) + ", " +
                                  std::to_string(t.end) + "]: end before begin");
    if (t.elements > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(bits))
      fail(path, where(name), "tensor '" + shown_value(name) + "': the shape's byte size overflows 64 bits");
    const std::uint64_t expected = (t.elements * static_cast<std::uint64_t>(bits) + 7) / 8;
    if (t.bytes() != expected)
      fail(path, where(name), "tensor '" + shown_value(name) + "' is " + t.dtype + " with " + std::to_string(t.elements) +
                                  " elements (" + std::to_string(expected) + " bytes) but its data_offsets span " +
                                  std::to_string(t.bytes()) + " bytes");
    if (t.end > data_bytes)
      fail(path, where(name), "tensor '" + shown_value(name) + "' data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                                  "] run past the end of the file (the data section holds " + std::to_string(data_bytes) +
                                  " bytes from byte " + std::to_string(data_start) + ")");
    out.tensors.push_back(std::move(t));
  }

  // Ranges must not overlap; gaps and trailing bytes are odd but harmless.
  std::vector<const SafetensorsTensor*> by_offset;
  by_offset.reserve(out.tensors.size());
  for (const auto& t : out.tensors) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(), [](const auto* a, const auto* b) {
    return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
  });
  std::uint64_t covered = 0;
  const SafetensorsTensor* prev = nullptr;
  std::uint64_t gaps = 0;
  for (const auto* t : by_offset) {
    if (t->bytes() == 0) continue;
    if (prev != nullptr && t->begin < prev->end)
      fail(path, where(t->name), "tensor '" + shown_value(t->name) + "' data_offsets [" + std::to_string(t->begin) + ", " +
                                     std::to_string(t->end) + "] overlap tensor '" + shown_value(prev->name) + "' [" +
                                     std::to_string(prev->begin) + ", " + std::to_string(prev->end) + "]");
    if (t->begin > covered) gaps += t->begin - covered;
    covered = t->end;
    prev = t;
  }
  if (gaps > 0) out.warnings.push_back(path + ": " + std::to_string(gaps) + " bytes of the data section belong to no tensor");
  if (covered < data_bytes)
    out.warnings.push_back(path + ": " + std::to_string(data_bytes - covered) + " bytes after the last tensor");
  return out;
}

SafetensorsFile read_safetensors_header(const std::filesystem::path& file) {
  const std::string name = file.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) throw std::runtime_error(name + ": not a file");
  const std::uint64_t size = std::filesystem::file_size(file, ec);
  if (ec) throw std::runtime_error(name + ": cannot read: " + error_text(ec));
  if (size < 8) fail(name, 0, "file is " + std::to_string(size) + " bytes, too short for the 8-byte header length");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(name + ": cannot open");
  unsigned char len_bytes[8] = {};
  in.read(reinterpret_cast<char*>(len_bytes), 8);
  if (in.gcount() != 8) fail(name, 0, "cannot read the 8-byte header length");
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | len_bytes[i];  // little-endian
  if (n > kMaxSafetensorsHeader)
    fail(name, 0, "header length " + std::to_string(n) + " exceeds the 100,000,000-byte limit (safetensors MAX_HEADER_SIZE)");
  if (n > size - 8)
    fail(name, 0, "header length " + std::to_string(n) + " runs past the end of the file (" + std::to_string(size) +
                      " bytes): truncated?");
  std::string header(static_cast<std::size_t>(n), '\0');
  in.read(header.data(), static_cast<std::streamsize>(n));
  if (static_cast<std::uint64_t>(in.gcount()) != n) fail(name, 8 + static_cast<std::uint64_t>(in.gcount()), "the header is truncated");
  return parse_safetensors_header(header, size, name);
}

SafetensorsIndex parse_safetensors_index(std::string_view text, const std::string& path) {
  SafetensorsIndex out;
  out.path = path;
  json root = parse_json(text, path, 0, "the index", kMaxIndexValues);
  if (!root.is_object()) fail(path, 0, "the index is not a JSON object");
  auto wm = root.find("weight_map");
  if (wm == root.end() || !wm->is_object()) fail(path, 0, "the index has no weight_map object");
  for (auto it = wm->begin(); it != wm->end(); ++it) {
    if (!it->is_string()) fail(path, 0, "weight_map entry '" + shown_value(it.key()) + "' is not a file name");
    out.weight_map[it.key()] = it->get<std::string>();
  }
  if (auto md = root.find("metadata"); md != root.end() && md->is_object()) {
    if (auto ts = md->find("total_size"); ts != md->end()) as_u64(*ts, out.total_size);
    if (auto tp = md->find("total_parameters"); tp != md->end()) as_u64(*tp, out.total_parameters);
  }
  return out;
}

SafetensorsIndex read_safetensors_index(const std::filesystem::path& file) {
  return parse_safetensors_index(read_all(file, kMaxIndexBytes, "a safetensors index"), file.string());
}

}  // namespace planner
