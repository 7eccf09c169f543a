// The GGUF reader under hostile metadata (issue 10): every hyperparameter in its range
// (modelfile/limits.h) or refused with the key, the value and the limit; arrays counted, not
// kept; invalid UTF-8 replaced; overlapping tensors and wrapping sums refused. Messages are
// pinned exactly.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "estimate/memory.h"
#include "modelfile/gguf.h"
#include "modelfile/gguf_model.h"
#include "modelfile/limits.h"
#include "modelfile/load_model.h"
#include "support/gguf_hostile.h"
#include "support/gguf_writer.h"
#include "support/runtimes.h"

using namespace planner;
using namespace planner::testing;

namespace {

// The error model_info_from_gguf gives for `bytes`, "" when it accepts them.
std::string model_error(const std::string& bytes, std::uint64_t* offset = nullptr) {
  auto r = gguf::read_bytes(bytes);
  INFO(r.error);
  REQUIRE(r.ok());
  try {
    (void)model_info_from_gguf(r.file, "m.gguf");
  } catch (const GgufModelError& e) {
    if (offset) *offset = e.offset;
    return e.what();
  }
  return "";
}

GgufWriter llama_with_layers(std::uint32_t layers) {
  GgufWriter w;
  w.str("general.architecture", "llama").u32("llama.block_count", layers).u32("llama.embedding_length", 64);
  w.u32("llama.attention.head_count", 4).u32("llama.context_length", 4096);
  w.tensor("token_embd.weight", {64, 32}, "F16");
  return w;
}

}  // namespace

TEST_CASE("GGUF hostile models: each value out of its range is refused with key, value and limit") {
  for (const auto& m : hostile_models()) {
    INFO(m.name);
    std::uint64_t offset = 0;
    CHECK(model_error(m.bytes, &offset) == m.message);
    CHECK(offset > 24);  // the value's own offset, after the header
    CHECK(offset < m.bytes.size());
  }
}

TEST_CASE("GGUF limits: the largest value in range is read exactly, one past it is refused") {
  CHECK(model_error(llama_with_layers(10000).bytes()).empty());
  auto r = gguf::read_bytes(llama_with_layers(10000).bytes());
  REQUIRE(r.ok());
  CHECK(model_info_from_gguf(r.file, "m.gguf").model.layers == 10000);
  CHECK(model_error(llama_with_layers(10001).bytes()) == "'llama.block_count' is 10001, over the limit of 10000");
  // 2^32 + 1 as a u64 never reads as 1 (the truncation issue 10 found in the config reader).
  GgufWriter w = llama_with_layers(2);
  w.u64("llama.attention.head_count_kv", (1ULL << 32) + 1);
  CHECK(model_error(w.bytes()) == "'llama.attention.head_count_kv' is 4294967297, over the limit of 65536");
  // Whole floats are numbers like any other.
  GgufWriter f = llama_with_layers(2);
  f.f32("llama.attention.head_count_kv", 2.0f);
  r = gguf::read_bytes(f.bytes());
  REQUIRE(r.ok());
  CHECK(model_info_from_gguf(r.file, "m.gguf").model.kv_heads == 2);
}

TEST_CASE("GGUF limits: per-layer arrays at the layer cap are kept, folded, and cheap to estimate") {
  // 10,000 layers (the cap), every other one recurrent (head_count_kv 0): the period is 2.
  std::vector<std::uint32_t> kv(10000);
  for (std::size_t i = 0; i < kv.size(); ++i) kv[i] = i % 2 == 0 ? 0 : 8;
  GgufWriter w = llama_with_layers(10000);
  w.u32_array("llama.attention.head_count_kv", kv).u32("llama.attention.key_length", 128);
  auto r = gguf::read_bytes(w.bytes());
  REQUIRE(r.ok());
  const gguf::Value* v = r.file.find("llama.attention.head_count_kv");
  REQUIRE(v->items_kept);
  CHECK(v->items.size() == 10000);
  ModelFileInfo info = model_info_from_gguf(r.file, "m.gguf");
  REQUIRE(info.model.pattern.has_value());
  CHECK(info.model.pattern->period == 2);
  CHECK(info.model.pattern->full_at == std::vector<int>{1});
  CHECK(info.model.pattern->others_linear);
  // 100 estimates: layer by layer with layer_kind() this was ~10^10 steps, a hang past the unit
  // suite's ctest timeout; the estimate's cost per layer count is in bench/micro (BM_EstimateLayers).
  MemoryEstimate e{};
  for (int i = 0; i < 100; ++i) e = estimate_memory(info.model, file_weight_quant(info), test::llama_cpp(), 1 << 20, 2.0);
  CHECK(e.kv_layers == 5000);
  CHECK(e.linear_layers == 5000);
  // 5,000 layers x 2 x 8 x 128 x 2 B x 2^20 cells.
  CHECK(e.kv_bytes == 5000.0 * 2 * 8 * 128 * 2 * (1 << 20));
  // An irregular per-layer list keeps its full length as the period.
  kv.assign(10000, 8);
  kv[9999] = 0;
  GgufWriter odd = llama_with_layers(10000);
  odd.u32_array("llama.attention.head_count_kv", kv);
  r = gguf::read_bytes(odd.bytes());
  REQUIRE(r.ok());
  info = model_info_from_gguf(r.file, "m.gguf");
  CHECK(info.model.pattern->period == 10000);
  CHECK(info.model.pattern->full_at.size() == 9999);
  e = estimate_memory(info.model, file_weight_quant(info), test::llama_cpp(), 4096, 2.0);
  CHECK(e.kv_layers == 9999);
  CHECK(e.linear_layers == 1);
}

TEST_CASE("GGUF: arrays planner does not read are counted and stepped over, never kept") {
  // A per-layer key is kept; the same array under another key, and arrays of arrays, are not.
  std::string nested;  // 64 arrays of 64 u8
  put_u32(nested, kArr);
  put_u64(nested, 64);
  for (int i = 0; i < 64; ++i) {
    put_u32(nested, kU8);
    put_u64(nested, 64);
    nested += std::string(64, '\x01');
  }
  GgufWriter w;
  w.u32_array("llama.attention.head_count", {4, 4}).u32_array("llama.other", {4, 4}).raw("llama.nested", kArr, nested);
  w.str_array("tokenizer.ggml.tokens", 100);
  auto r = gguf::read_bytes(w.bytes());
  REQUIRE(r.ok());
  CHECK(r.file.find("llama.attention.head_count")->items.size() == 2);
  const gguf::Value* other = r.file.find("llama.other");
  CHECK(other->count == 2);
  CHECK_FALSE(other->items_kept);
  CHECK(other->items.empty());
  const gguf::Value* n = r.file.find("llama.nested");
  CHECK(n->count == 64);
  CHECK(n->items.empty());
  CHECK(r.file.find("tokenizer.ggml.tokens")->count == 100);
  CHECK(r.file.find("tokenizer.ggml.tokens")->items.empty());
  // A per-layer key longer than the layer cap is not kept, and the model refuses it.
  GgufWriter longer;
  longer.str("general.architecture", "llama").u32("llama.block_count", 2).tensor("token_embd.weight", {64, 32}, "F16");
  longer.u32_array("llama.attention.head_count", std::vector<std::uint32_t>(10001, 4));
  r = gguf::read_bytes(longer.bytes());
  REQUIRE(r.ok());
  CHECK_FALSE(r.file.find("llama.attention.head_count")->items_kept);
  CHECK(model_error(longer.bytes()) == "'llama.attention.head_count' has 10001 entries, over the limit of 10000 (one per layer)");
}

TEST_CASE("GGUF: strings are made valid UTF-8 (invalid bytes become U+FFFD)") {
  GgufWriter w;
  w.str("general.architecture", "llama").str("general.name", std::string("caf\xc3\xa9 \xff\xfe ok \xc0\xaf \xed\xa0\x80", 18));
  w.str(std::string("bad\x80key", 7), "x");
  w.tensor(std::string("t\xe2\x82", 3), {8}, "F32");  // a 3-byte sequence cut short
  auto r = gguf::read_bytes(w.bytes());
  REQUIRE(r.ok());
  // Each byte outside valid UTF-8 is one U+FFFD: FF, FE, C0, AF, ED, A0, 80.
  CHECK(r.file.find("general.name")->s ==
        "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd ok \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(r.file.find("bad\xef\xbf\xbdkey") != nullptr);
  CHECK(r.file.tensors[0].name == "t\xef\xbf\xbd\xef\xbf\xbd");
  ModelFileInfo info = model_info_from_gguf(r.file, "m.gguf");
  CHECK(info.model.id == r.file.find("general.name")->s);
}

TEST_CASE("GGUF: tensors that share bytes are refused") {
  std::string bytes;
  for (const auto& [name, b] : hostile_corpus())
    if (name == "overlapping-tensors.gguf") bytes = b;
  REQUIRE_FALSE(bytes.empty());
  auto r = gguf::read_bytes(bytes);
  CHECK(r.error == "tensor 'b' data [32, 96) overlaps tensor 'a' [0, 64)");
  CHECK(r.error_offset == 57);  // b's tensor info: 24 header bytes + a's 33
  // Adjacent ranges and empty tensors at the same offset are fine.
  std::string ok = "GGUF";
  put_u32(ok, 3);
  put_u64(ok, 3);
  put_u64(ok, 0);
  const std::uint64_t dims[] = {8, 8, 0};
  const std::uint64_t offsets[] = {0, 32, 32};
  for (int i = 0; i < 3; ++i) {
    put_str(ok, std::string(1, static_cast<char>('a' + i)));
    put_u32(ok, 1);
    put_u64(ok, dims[i]);
    put_u32(ok, 0);
    put_u64(ok, offsets[i]);
  }
  ok.resize((ok.size() + 31) / 32 * 32 + 64, '\0');
  CHECK(gguf::read_bytes(ok).ok());
}

TEST_CASE("GGUF: a parameter sum that would wrap 64 bits is refused") {
  // Built by hand: the reader refuses overlapping tensors, so no file can claim this much.
  const QuantTables& q = QuantTables::builtin();
  gguf::GgufFile f;
  for (const char* name : {"a", "b"}) {
    gguf::TensorInfo t;
    t.name = name;
    t.type = q.type_by_id(0);
    t.elements = 1ULL << 63;
    t.bytes = 1;
    t.info_offset = 40;
    f.tensors.push_back(t);
  }
  try {
    (void)model_info_from_gguf(f, "wrap.gguf");
    FAIL("no error");
  } catch (const GgufModelError& e) {
    CHECK(std::string(e.what()) == "the element count of the tensors up to 'b' overflows 64 bits");
    CHECK(e.offset == 40);
  }
}

TEST_CASE("GGUF: vocabulary sizes past the limit, from the token list or the embedding") {
  gguf::GgufFile f;
  gguf::Value tokens;
  tokens.type = gguf::ValueType::array;
  tokens.elem = gguf::ValueType::string;
  tokens.count = (1ULL << 24) + 1;
  tokens.offset = 99;
  f.kv.emplace("tokenizer.ggml.tokens", tokens);
  try {
    (void)model_info_from_gguf(f, "v.gguf");
    FAIL("no error");
  } catch (const GgufModelError& e) {
    CHECK(std::string(e.what()) == "'tokenizer.ggml.tokens' lists 16777217 tokens, over the limit of 16777216");
    CHECK(e.offset == 99);
  }
  // The embedding's rows, when there is no token list (built by hand: a real one is 576 MiB).
  gguf::GgufFile g;
  gguf::TensorInfo t;
  t.name = "token_embd.weight";
  t.type = QuantTables::builtin().type_by_id(2);
  t.n_dims = 2;
  t.dims = {32, 1ULL << 25, 1, 1};
  t.elements = 32ULL << 25;
  t.info_offset = 24;
  g.tensors.push_back(t);
  try {
    (void)model_info_from_gguf(g, "v.gguf");
    FAIL("no error");
  } catch (const GgufModelError& e) {
    CHECK(std::string(e.what()) ==
          "tensor 'token_embd.weight' has 33554432 rows (the vocabulary), over the limit of 16777216");
  }
}

TEST_CASE("A file's bits-per-weight class is bounded before the cast to int") {
  // Few parameters and many bytes (a header of scales, sparse data): bpw of 2^50 x 8.
  ModelFileInfo info;
  info.parameters = 1;
  info.weights_bytes = 1ULL << 50;
  const WeightQuant q = file_weight_quant(info);
  CHECK(q.bpw == 8.0 * (1ULL << 50));
  CHECK(q.bits_class == 64);
  info.weights_bytes = 9;  // 72 bits per weight: still the top class
  CHECK(file_weight_quant(info).bits_class == 64);
  info.weights_bytes = 1;
  CHECK(file_weight_quant(info).bits_class == 8);
}
