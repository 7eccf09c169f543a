#include "support/gguf_hostile.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "support/gguf_models.h"
#include "support/gguf_writer.h"

namespace planner::testing {

namespace {

// magic, version, tensor count, kv count.
std::string head(std::uint32_t version, std::uint64_t tensors, std::uint64_t kvs) {
  std::string out = "GGUF";
  put_u32(out, version);
  put_u64(out, tensors);
  put_u64(out, kvs);
  return out;
}

// A file with one key whose value is `payload` of `type`.
std::string one_key(const std::string& key, std::uint32_t type, const std::string& payload) {
  std::string out = head(3, 0, 1);
  put_str(out, key);
  put_u32(out, type);
  return out + payload;
}

std::string with_u64_at(std::string bytes, std::size_t at, std::uint64_t v) {
  std::string le;
  put_u64(le, v);
  bytes.replace(at, 8, le);
  return bytes;
}

}  // namespace

std::string one_tensor_file(const std::string& name, const std::vector<std::uint64_t>& dims, std::uint32_t type,
                            std::uint64_t offset, std::uint64_t data_bytes) {
  std::string out = head(3, 1, 0);
  put_str(out, name);
  put_u32(out, static_cast<std::uint32_t>(dims.size()));
  for (auto d : dims) put_u64(out, d);
  put_u32(out, type);
  put_u64(out, offset);
  out.resize((out.size() + 31) / 32 * 32, '\0');
  out.resize(out.size() + data_bytes, '\0');
  return out;
}

std::vector<std::pair<std::string, std::string>> hostile_corpus() {
  std::vector<std::pair<std::string, std::string>> c;
  const std::string header = tiny_llama().header();  // the tiny model without its data

  std::string bad_magic = header;
  bad_magic.replace(0, 4, "GGML");
  c.emplace_back("bad-magic.gguf", bad_magic);
  c.emplace_back("empty.gguf", "");
  c.emplace_back("magic-only.gguf", "GGUF");
  c.emplace_back("version-1.gguf", head(1, 0, 0));
  c.emplace_back("version-4.gguf", head(4, 0, 0));
  c.emplace_back("big-endian.gguf", head(0x03000000, 0, 0));
  c.emplace_back("huge-tensor-count.gguf", with_u64_at(header, 8, 1ULL << 62));
  c.emplace_back("huge-kv-count.gguf", with_u64_at(header, 16, 1ULL << 40));
  c.emplace_back("truncated-header.gguf", header.substr(0, header.size() / 2));
  c.emplace_back("truncated-data.gguf", header);  // tensor infos point past the end

  // Lengths and counts that lie.
  std::string huge_key = head(3, 0, 1);
  put_u64(huge_key, 1ULL << 40);
  huge_key += std::string(8, 'k');  // enough bytes that the key count itself is plausible
  c.emplace_back("huge-key-length.gguf", huge_key);
  std::string long_str;
  put_u64(long_str, 1000);  // 1000 bytes promised, 5 present
  c.emplace_back("string-past-eof.gguf", one_key("k", kStr, long_str + "short"));
  std::string huge_num_array;
  put_u32(huge_num_array, kU32);
  put_u64(huge_num_array, 1ULL << 61);
  c.emplace_back("huge-array.gguf", one_key("k", kArr, huge_num_array));
  std::string huge_str_array;
  put_u32(huge_str_array, kStr);
  put_u64(huge_str_array, 1ULL << 40);
  c.emplace_back("huge-string-array.gguf", one_key("tokenizer.ggml.tokens", kArr, huge_str_array));
  std::string deep;
  for (int i = 0; i < 100; ++i) {
    put_u32(deep, kArr);
    put_u64(deep, 1);
  }
  c.emplace_back("deep-array.gguf", one_key("k", kArr, deep));
  c.emplace_back("bad-value-type.gguf", one_key("k", 13, "xxxx"));
  c.emplace_back("empty-key.gguf", one_key("", kU8, "\x01"));
  std::string dup = head(3, 0, 2);
  for (int i = 0; i < 2; ++i) {
    put_str(dup, "general.name");
    put_u32(dup, kU8);
    dup += '\x01';
  }
  c.emplace_back("duplicate-key.gguf", dup);
  std::string align3;
  put_u32(align3, 3);
  c.emplace_back("alignment-not-power-of-2.gguf", one_key("general.alignment", kU32, align3));
  std::string align_str;
  put_str(align_str, "32");
  c.emplace_back("alignment-wrong-type.gguf", one_key("general.alignment", kStr, align_str));

  // Tensor infos that cannot be.
  c.emplace_back("five-dims.gguf", one_tensor_file("t", {1, 1, 1, 1, 1}, 0, 0, 64));
  c.emplace_back("dims-overflow.gguf", one_tensor_file("t", {1ULL << 32, 1ULL << 32}, 0, 0, 64));
  c.emplace_back("negative-dim.gguf", one_tensor_file("t", {static_cast<std::uint64_t>(-1)}, 0, 0, 64));
  c.emplace_back("unknown-ggml-type.gguf", one_tensor_file("t", {32}, 99, 0, 128));
  c.emplace_back("row-not-whole-blocks.gguf", one_tensor_file("t", {33}, 8, 0, 128));  // Q8_0, 32 per block
  c.emplace_back("offset-past-eof.gguf", one_tensor_file("t", {8}, 0, 1ULL << 40, 32));
  c.emplace_back("misaligned-offset.gguf", one_tensor_file("t", {8}, 0, 3, 64));
  c.emplace_back("size-overflow.gguf", one_tensor_file("t", {1ULL << 62}, 0, 0, 64));  // F32: 2^64 bytes
  std::string two = head(3, 2, 0);
  for (int i = 0; i < 2; ++i) {
    put_str(two, "same");
    put_u32(two, 1);
    put_u64(two, 8);
    put_u32(two, 0);
    put_u64(two, static_cast<std::uint64_t>(i) * 32);
  }
  two.resize((two.size() + 31) / 32 * 32 + 64, '\0');
  c.emplace_back("duplicate-tensor.gguf", two);
  // Two tensors sharing bytes: 16 F32 (64 bytes) at 0 and at 32. Overlaps would let a small file
  // claim any number of parameters (and wrap their sum).
  std::string overlap = head(3, 2, 0);
  for (int i = 0; i < 2; ++i) {
    put_str(overlap, i == 0 ? "a" : "b");
    put_u32(overlap, 1);
    put_u64(overlap, 16);
    put_u32(overlap, 0);
    put_u64(overlap, static_cast<std::uint64_t>(i) * 32);
  }
  overlap.resize((overlap.size() + 31) / 32 * 32 + 96, '\0');
  c.emplace_back("overlapping-tensors.gguf", overlap);
  return c;
}

namespace {

// A 2-layer model (one tensor) whose metadata the caller adds: the base of hostile_models().
GgufWriter small_llama() {
  GgufWriter w;
  w.str("general.architecture", "llama");
  w.tensor("token_embd.weight", {64, 32}, "F16");
  return w;
}

std::string f32_bits(float v) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &v, 4);
  std::string out;
  put_u32(out, bits);
  return out;
}

}  // namespace

std::vector<HostileModel> hostile_models() {
  std::vector<HostileModel> c;
  auto add = [&](const std::string& name, GgufWriter w, const std::string& message) {
    c.push_back({name, w.bytes(), message});
  };
  add("block-count-wraps.gguf", small_llama().u64("llama.block_count", 4294967297ULL),
      "'llama.block_count' is 4294967297, over the limit of 10000");
  add("block-count-int-max.gguf", small_llama().u32("llama.block_count", 2147483647U),
      "'llama.block_count' is 2147483647, over the limit of 10000");
  add("block-count-string.gguf", small_llama().str("llama.block_count", "32"),
      "'llama.block_count' is a str, not an integer");
  add("kv-heads-negative.gguf", small_llama().u32("llama.block_count", 2).i32("llama.attention.head_count_kv", -1),
      "'llama.attention.head_count_kv' is -1: it cannot be negative");
  add("kv-heads-wraps.gguf", small_llama().u64("llama.attention.head_count_kv", 4294967297ULL),
      "'llama.attention.head_count_kv' is 4294967297, over the limit of 65536");
  add("context-nan.gguf", small_llama().raw("llama.context_length", kF32, f32_bits(std::nanf(""))),
      "'llama.context_length' is nan, not a finite number");
  add("window-inf.gguf",
      small_llama().raw("llama.attention.sliding_window", kF32, f32_bits(std::numeric_limits<float>::infinity())),
      "'llama.attention.sliding_window' is inf, not a finite number");
  add("heads-fractional.gguf", small_llama().f32("llama.attention.head_count", 2.5f),
      "'llama.attention.head_count' is 2.5, not a whole number");
  add("file-type-nan.gguf", small_llama().raw("general.file_type", kF32, f32_bits(std::nanf(""))),
      "'general.file_type' is nan, not a finite number");
  add("embedding-huge.gguf", small_llama().u32("llama.embedding_length", 1U << 31),
      "'llama.embedding_length' is 2147483648, over the limit of 1048576");
  add("vocab-huge.gguf", small_llama().u64("llama.vocab_size", 1ULL << 40),
      "'llama.vocab_size' is 1099511627776, over the limit of 16777216");
  add("experts-huge.gguf", small_llama().u32("llama.expert_count", 4000000000U),
      "'llama.expert_count' is 4000000000, over the limit of 65536");
  add("per-layer-too-long.gguf",
      small_llama().u32("llama.block_count", 2).u32_array("llama.attention.head_count_kv",
                                                           std::vector<std::uint32_t>(10001, 8)),
      "'llama.attention.head_count_kv' has 10001 entries, over the limit of 10000 (one per layer)");
  return c;
}

}  // namespace planner::testing
