// The GGUF reader on real-shaped headers (tests/support/gguf_models.cpp; tensor data as sparse
// holes) with hand-computed parameters, tensor bytes and KV caches; and on a hostile corpus:
// every truncation, lying counts and lengths, deep arrays, bad tensors, random byte flips.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <fmt/format.h>

#include "estimate/memory.h"
#include "modelfile/gguf.h"
#include "modelfile/gguf_model.h"
#include "modelfile/load_model.h"
#include "support/gguf_hostile.h"
#include "support/gguf_models.h"
#include "support/gguf_writer.h"
#include "support/runtimes.h"

using namespace planner;
using namespace planner::testing;
namespace fs = std::filesystem;

namespace {

// Bytes of `elements` stored as a type of `block_bytes` per `block_elems` (ggml-common.h).
constexpr std::uint64_t q4k(std::uint64_t elements) { return elements / 256 * 144; }
constexpr std::uint64_t q6k(std::uint64_t elements) { return elements / 256 * 210; }

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "planner-gguf-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
};

// Writes `w` as a sparse file, reads it back through the file path (not memory).
ModelFileInfo inspect(const GgufWriter& w, gguf::GgufFile* out = nullptr) {
  TempDir dir;
  const std::string path = (dir.path / "model.gguf").string();
  REQUIRE(w.write_sparse(path));
  auto r = gguf::read_file(path);
  INFO(r.error << " at " << r.error_offset);
  REQUIRE(r.ok());
  if (out) *out = r.file;
  return model_info_from_gguf(r.file, path);
}

double kv_at(const ModelFileInfo& info, long long context) {
  return kv_cache_bytes(info.model, test::llama_cpp(), context, 2.0);
}

}  // namespace

TEST_CASE("GGUF: Llama-3.1-8B header, exact parameters and bytes per type") {
  gguf::GgufFile f;
  const ModelFileInfo info = inspect(llama31_8b(), &f);
  CHECK(f.version == 3);
  CHECK(f.tensors.size() == 2 + 1 + 32 * 9);
  CHECK(info.architecture == "llama");
  CHECK(info.file_type == "Q4_K_M");  // general.file_type 15
  CHECK(info.parameters == 8'030'261'248ULL);  // Meta's published count
  // Q4_K: token_embd + per layer q, k, o, gate, up. Q6_K: output + per layer v, down.
  const std::uint64_t q4_elems = 4096ULL * 128256 + 32 * (4096ULL * 4096 * 2 + 4096ULL * 1024 + 2 * 4096ULL * 14336);
  const std::uint64_t q6_elems = 4096ULL * 128256 + 32 * (4096ULL * 1024 + 14336ULL * 4096);
  CHECK(info.bytes_by_type.at("Q4_K") == q4k(q4_elems));
  CHECK(info.bytes_by_type.at("Q4_K") == 3'088'908'288ULL);
  CHECK(info.bytes_by_type.at("Q6_K") == q6k(q6_elems));
  CHECK(info.bytes_by_type.at("F32") == (32 * 2 * 4096 + 4096) * 4);
  CHECK(info.weights_bytes == q4k(q4_elems) + q6k(q6_elems) + (32 * 2 * 4096 + 4096) * 4);
  CHECK(info.tensors_by_type.at("F32") == 65);
  CHECK(info.file_bytes > info.weights_bytes);  // header + data, the data a hole on disk

  const ModelInfo& m = info.model;
  CHECK(m.layers == 32);
  CHECK(m.hidden_size == 4096);
  CHECK(m.attention_heads == 32);
  CHECK(m.kv_heads == 8);
  CHECK(m.head_dim == 128);  // 4096 / 32: no key_length key
  CHECK(m.vocab == 128256);  // the token list's length
  CHECK(m.context_trained == 131072);
  CHECK_FALSE(m.tied_embeddings);
  CHECK_FALSE(m.is_moe());
  // 32 layers x 8 KV heads x 128 x 2 (K, V) x 2 B x 4096 cells = 512 MiB.
  CHECK(kv_at(info, 4096) == 536'870'912.0);
  CHECK(info.warnings.empty());
}

TEST_CASE("GGUF: Gemma-2-9B, sliding window on every other layer (llama.cpp's period 2)") {
  const ModelFileInfo info = inspect(gemma2_9b());
  const ModelInfo& m = info.model;
  CHECK(m.sliding_window == 4096);
  REQUIRE(m.pattern.has_value());
  CHECK(m.pattern->period == 2);
  CHECK(m.pattern->full_at == std::vector<int>{1});
  CHECK(m.layer_kind(0) == ModelInfo::LayerKind::sliding);
  CHECK(m.layer_kind(41) == ModelInfo::LayerKind::full);
  CHECK(m.head_dim == 256);  // key_length, not 3584 / 16 = 224
  CHECK(m.tied_embeddings);
  CHECK(m.vocab == 256000);
  // Per token and layer 2 x 8 x 256 x 2 B = 8192 B. At 16384 tokens: 21 global layers hold
  // 16384 cells, 21 sliding layers pad(4096 + 512, 256) = 4608.
  CHECK(kv_at(info, 16384) == 21.0 * 16384 * 8192 + 21.0 * 4608 * 8192);
  CHECK(kv_at(info, 16384) == 3'611'295'744.0);
}

TEST_CASE("GGUF: gpt-oss-20b without a sliding_window_pattern key slides on the even layers") {
  // llama.cpp sets the pattern in code for this architecture (src/models/openai-moe.cpp@069be0ae22f3:
  // swa_period = 2 unless the key says otherwise), so planner does too.
  const ModelFileInfo info = inspect(gpt_oss_20b());
  const ModelInfo& m = info.model;
  CHECK(info.warnings.empty());
  CHECK(m.sliding_window == 128);
  REQUIRE(m.pattern.has_value());
  CHECK(m.pattern->period == 2);
  CHECK(m.pattern->full_at == std::vector<int>{1});
  CHECK(m.layer_kind(0) == ModelInfo::LayerKind::sliding);
  CHECK(m.layer_kind(1) == ModelInfo::LayerKind::full);
  // Per token and layer 2 x 8 x 64 x 2 B = 2048 B. At 32768 tokens: 12 full layers hold 32768
  // cells, 12 sliding layers pad(128 + 512, 256) = 768 (not 32768: the all-full figure was 0.75 GiB).
  CHECK(kv_at(info, 32768) == 12.0 * 32768 * 2048 + 12.0 * 768 * 2048);
  CHECK(info.bytes_by_type.at("MXFP4") == 3ULL * 24 * 32 * 2880 * 2880 / 32 * 17);
}

TEST_CASE("GGUF: Phi-3-mini, no GQA, fused QKV, the declared window not applied") {
  const ModelFileInfo info = inspect(phi3_mini());
  const ModelInfo& m = info.model;
  CHECK(m.kv_heads == 32);
  CHECK(m.head_dim == 96);
  CHECK(m.sliding_window == 2047);
  CHECK(m.sliding_window_ignored);
  CHECK(m.layer_kind(0) == ModelInfo::LayerKind::full);
  // 32 layers x 2 x 32 x 96 x 2 B = 384 KiB per token.
  CHECK(kv_at(info, 4096) == 393216.0 * 4096);
  const std::uint64_t q4_elems = 3072ULL * 32064 + 32 * (3072ULL * 9216 + 3072ULL * 3072 + 3072ULL * 16384);
  CHECK(info.bytes_by_type.at("Q4_K") == q4k(q4_elems));
  CHECK(info.parameters == 3'821'079'552ULL);  // microsoft's 3.8B
}

TEST_CASE("GGUF: Qwen3-30B-A3B, every expert resident, active parameters from the expert tensors") {
  const ModelFileInfo info = inspect(qwen3moe_30b_a3b());
  const ModelInfo& m = info.model;
  REQUIRE(m.is_moe());
  CHECK(m.moe->experts == 128);
  CHECK(m.moe->experts_per_token == 8);
  CHECK(info.parameters == 30'532'122'624ULL);
  // Experts: 48 layers x (2 x 2048 x 768 + 768 x 2048) x 128 = 28,991,029,248 elements, of
  // which 8 / 128 are active per token.
  const double experts = 48.0 * 3 * 2048 * 768 * 128;
  CHECK(m.params_active == 30'532'122'624.0 - experts + experts * 8 / 128);
  CHECK(m.params_active == 3'353'032'704.0);
  const std::uint64_t exp_q4 = 48ULL * 2 * 2048 * 768 * 128, exp_q6 = 48ULL * 768 * 2048 * 128;
  const std::uint64_t q4_elems = 2048ULL * 151936 + 48 * (2048ULL * 4096 + 2048ULL * 512 + 4096ULL * 2048) + exp_q4;
  CHECK(info.bytes_by_type.at("Q4_K") == q4k(q4_elems));
  CHECK(info.bytes_by_type.at("Q6_K") == q6k(2048ULL * 151936 + 48ULL * 2048 * 512 + exp_q6));
  // 48 layers x 2 x 4 x 128 x 2 B x 4096.
  CHECK(kv_at(info, 4096) == 402'653'184.0);
}

TEST_CASE("GGUF: DeepSeek-V2-Lite, MLA ranks from an MLA-aware conversion") {
  const ModelFileInfo info = inspect(deepseek2_lite());
  const ModelInfo& m = info.model;
  REQUIRE(m.mla.has_value());
  CHECK(m.mla->kv_lora_rank == 512);
  CHECK(m.mla->qk_rope_head_dim == 64);
  CHECK(m.mla->qk_nope_head_dim == 128);  // key_length_mla 192 - rope 64
  CHECK(m.mla->v_head_dim == 128);
  CHECK(info.key_length == 576);
  CHECK(info.value_length == 512);
  REQUIRE(m.is_moe());
  CHECK(m.moe->experts == 64);
  CHECK(m.moe->experts_per_token == 6);
  CHECK(m.moe->shared_experts == 2);
  CHECK(info.bytes_by_type.count("Q8_0") == 1);
  // llama.cpp caches the latent: 27 layers x (512 + 64) x 2 B x 4096 cells.
  CHECK(kv_at(info, 4096) == 27.0 * 576 * 2 * 4096);
}

TEST_CASE("GGUF: Qwen3.5-9B hybrid, attention every 4th layer, DeltaNet state") {
  const ModelFileInfo info = inspect(qwen35_9b());
  const ModelInfo& m = info.model;
  REQUIRE(m.pattern.has_value());
  CHECK(m.pattern->period == 4);
  CHECK(m.pattern->full_at == std::vector<int>{3});
  CHECK(m.pattern->others_linear);
  REQUIRE(m.linear.has_value());
  CHECK(m.linear->key_heads == 16);
  CHECK(m.linear->value_heads == 32);
  CHECK(m.linear->key_head_dim == 128);
  CHECK(m.linear->value_head_dim == 128);
  CHECK(m.linear->conv_kernel == 4);
  WeightQuant q;
  q.bpw = 4.5;
  MemoryEstimate e = estimate_memory(m, q, test::llama_cpp(), 4096, 2.0);
  CHECK(e.kv_layers == 8);
  CHECK(e.linear_layers == 24);
  CHECK(e.kv_bytes == 8.0 * 2 * 4 * 256 * 2 * 4096);
  // Per linear layer 32 x 128 x 128 x 4 B + 3 x (2 x 16 x 128 + 32 x 128) x 2 B = 2,146,304 B.
  CHECK(e.state_bytes == 24.0 * 2'146'304);
}

TEST_CASE("GGUF: hybrid layers from a per-layer head_count_kv with zeros") {
  GgufWriter w;
  w.str("general.architecture", "granitehybrid").u32("granitehybrid.block_count", 4);
  w.u32("granitehybrid.embedding_length", 256).u32("granitehybrid.attention.head_count", 4);
  w.u32_array("granitehybrid.attention.head_count_kv", {0, 2, 0, 2});
  w.tensor("token_embd.weight", {256, 32}, "F16");
  auto r = gguf::read_bytes(w.bytes());
  REQUIRE(r.ok());
  const ModelFileInfo info = model_info_from_gguf(r.file, "x.gguf");
  CHECK(info.model.kv_heads == 2);
  CHECK(info.model.layer_kind(0) == ModelInfo::LayerKind::linear);
  CHECK(info.model.layer_kind(1) == ModelInfo::LayerKind::full);
  CHECK(info.model.layer_kind(3) == ModelInfo::LayerKind::full);
  CHECK(info.model.vocab == 32);  // from token_embd's rows: no token list here
}

TEST_CASE("GGUF: metadata values of every type, nested arrays, v2 files") {
  std::string nested;  // array of 2 arrays of u8: [[1, 2], [3]]
  put_u32(nested, kArr);
  put_u64(nested, 2);
  for (std::string inner : {std::string("\x01\x02", 2), std::string("\x03", 1)}) {
    put_u32(nested, kU8);
    put_u64(nested, inner.size());
    nested += inner;
  }
  std::string i64v, f64v;
  put_u64(i64v, static_cast<std::uint64_t>(-5LL));
  double d = 2.5;
  std::uint64_t bits;
  std::memcpy(&bits, &d, 8);
  put_u64(f64v, bits);
  GgufWriter w(2);
  w.raw("a.u8", kU8, "\x07").raw("a.i8", kI8, "\xff").raw("a.u16", kU16, std::string("\x01\x01", 2));
  w.raw("a.i16", kI16, std::string("\xfe\xff", 2)).i32("a.i32", -3).f32("a.f32", 1.5f).boolean("a.bool", true);
  w.u64("a.u64", 1ULL << 40).raw("a.i64", kI64, i64v).raw("a.f64", kF64, f64v).str("a.str", "hello");
  w.raw("a.nested", kArr, nested);
  auto r = gguf::read_bytes(w.bytes());
  INFO(r.error);
  REQUIRE(r.ok());
  const auto& f = r.file;
  CHECK(f.version == 2);
  CHECK(f.find("a.u8")->i == 7);
  CHECK(f.find("a.i8")->i == -1);
  CHECK(f.find("a.u16")->i == 257);
  CHECK(f.find("a.i16")->i == -2);
  CHECK(f.find("a.i32")->i == -3);
  CHECK(f.find("a.f32")->f == 1.5);
  CHECK(f.find("a.bool")->i == 1);
  CHECK(f.find("a.u64")->u == (1ULL << 40));
  CHECK(f.find("a.i64")->i == -5);
  CHECK(f.find("a.f64")->f == 2.5);
  CHECK(f.find("a.str")->s == "hello");
  // Arrays of arrays are walked and counted, never kept: planner reads none.
  const gguf::Value* n = f.find("a.nested");
  CHECK(n->count == 2);
  CHECK(n->elem == gguf::ValueType::array);
  CHECK_FALSE(n->items_kept);
  CHECK(n->items.empty());
  CHECK(f.keys.front() == "a.u8");  // file order kept
}

TEST_CASE("GGUF: a large vocabulary is counted, not kept") {
  auto r = gguf::read_bytes(GgufWriter().str_array("tokenizer.ggml.tokens", 150000).bytes());
  REQUIRE(r.ok());
  const gguf::Value* t = r.file.find("tokenizer.ggml.tokens");
  CHECK(t->count == 150000);
  CHECK_FALSE(t->items_kept);
  CHECK(t->items.empty());
}

TEST_CASE("GGUF: llama_ftype names (include/llama.h)") {
  CHECK(llama_ftype_name(0) == "F32");
  CHECK(llama_ftype_name(7) == "Q8_0");
  CHECK(llama_ftype_name(15) == "Q4_K_M");
  CHECK(llama_ftype_name(18) == "Q6_K");
  CHECK(llama_ftype_name(30) == "IQ4_XS");
  CHECK(llama_ftype_name(32) == "BF16");
  CHECK(llama_ftype_name(38) == "MXFP4_MOE");
  CHECK(llama_ftype_name(1024 + 15) == "Q4_K_M (guessed)");
  CHECK(llama_ftype_name(4).empty());
  CHECK(llama_ftype_name(-1).empty());
  CHECK(llama_ftype_name(99).empty());
}

TEST_CASE("ggml type ids resolve through the quantization table") {
  const auto& q = QuantTables::builtin();
  REQUIRE(q.type_by_id(12) != nullptr);
  CHECK(q.type_by_id(12)->name == "Q4_K");
  CHECK(q.type_by_id(0)->name == "F32");
  CHECK(q.type_by_id(30)->name == "BF16");
  CHECK(q.type_by_id(4) == nullptr);  // Q4_2, removed
  CHECK(q.type_by_id(-1) == nullptr);
  CHECK(q.type_by_id(1000) == nullptr);
}

// ---------------------------------------------------------------------------------------------
// Hostile files: each must give an error with an offset, never a crash, hang or huge allocation.

TEST_CASE("GGUF hostile corpus: every entry is refused with a located one-line error") {
  for (const auto& [name, bytes] : hostile_corpus()) {
    INFO(name);
    auto r = gguf::read_bytes(bytes);
    CHECK_FALSE(r.ok());
    CHECK(r.has_offset);
    CHECK(r.error_offset <= bytes.size());
    CHECK(r.error.find('\n') == std::string::npos);
  }
}

TEST_CASE("GGUF hostile: specific messages say what is wrong") {
  auto error_of = [](const std::string& bytes) { return gguf::read_bytes(bytes).error; };
  auto corpus = hostile_corpus();
  auto bytes_of = [&](const std::string& name) {
    for (const auto& [n, b] : corpus)
      if (n == name) return b;
    FAIL("no corpus entry " << name);
    return std::string();
  };
  CHECK_THAT(error_of(bytes_of("bad-magic.gguf")), Catch::Contains("not a GGUF file: magic is 'GGML'"));
  CHECK_THAT(error_of(bytes_of("version-1.gguf")), Catch::Contains("GGUF v1 is not supported"));
  CHECK_THAT(error_of(bytes_of("big-endian.gguf")), Catch::Contains("big-endian"));
  CHECK_THAT(error_of(bytes_of("huge-kv-count.gguf")), Catch::Contains("metadata count"));
  CHECK_THAT(error_of(bytes_of("truncated-data.gguf")), Catch::Contains("truncated model file: tensor 'token_embd.weight'"));
  CHECK_THAT(error_of(bytes_of("huge-string-array.gguf")), Catch::Contains("cannot fit"));
  CHECK_THAT(error_of(bytes_of("deep-array.gguf")), Catch::Contains("nested deeper than 8"));
  CHECK_THAT(error_of(bytes_of("duplicate-key.gguf")), Catch::Contains("duplicate metadata key 'general.name'"));
  CHECK_THAT(error_of(bytes_of("duplicate-tensor.gguf")), Catch::Contains("duplicate tensor name 'same'"));
  CHECK_THAT(error_of(bytes_of("five-dims.gguf")), Catch::Contains("5 dimensions"));
  CHECK_THAT(error_of(bytes_of("dims-overflow.gguf")), Catch::Contains("more elements than 2^63"));
  CHECK_THAT(error_of(bytes_of("unknown-ggml-type.gguf")), Catch::Contains("unknown ggml type 99"));
  CHECK_THAT(error_of(bytes_of("row-not-whole-blocks.gguf")), Catch::Contains("not a multiple of the Q8_0 block"));
  CHECK_THAT(error_of(bytes_of("alignment-not-power-of-2.gguf")), Catch::Contains("not a power of 2"));
  CHECK_THAT(error_of(bytes_of("offset-past-eof.gguf")), Catch::Contains("truncated model file"));
  auto r = gguf::read_bytes(bytes_of("huge-key-length.gguf"));
  CHECK(r.error_offset == 24);  // the key's length field, right after the header
}

TEST_CASE("GGUF hostile: every truncation of a valid file is an error") {
  // Every prefix up to the tensor data (each field of the header and the tensor infos cut at each
  // byte). Past it the reader's only check is each tensor's end against the file's size, so the
  // prefixes there are those around each tensor's start and end, and every 61st byte: about 1,500
  // of the ~85 KB of data, where every prefix took 45 s under ASan (1 s now), a fifth of the suite.
  const std::string full = tiny_llama().bytes();
  const auto whole = gguf::read_bytes(full);
  REQUIRE(whole.ok());
  const std::uint64_t data = whole.file.data_offset;
  REQUIRE(data < full.size());
  std::set<std::uint64_t> cuts;
  for (std::uint64_t n = 0; n <= data; ++n) cuts.insert(n);
  for (const auto& t : whole.file.tensors)
    for (std::uint64_t edge : {data + t.offset, data + t.offset + t.bytes})
      for (std::uint64_t n : {edge - 1, edge, edge + 1}) cuts.insert(n);
  for (std::uint64_t n = data; n < full.size(); n += 61) cuts.insert(n);
  int in_data = 0;
  for (std::uint64_t n : cuts) {
    if (n >= full.size()) continue;
    auto r = gguf::read_bytes(std::string_view(full).substr(0, n));
    if (r.ok()) FAIL("prefix of " << n << " of " << full.size() << " bytes parsed");
    if (r.error_offset > n) FAIL("prefix " << n << ": offset " << r.error_offset << " past the end");
    if (n < data) continue;
    // The first tensor, in file order, that the cut leaves unfinished, named at its info.
    const auto cut = std::find_if(whole.file.tensors.begin(), whole.file.tensors.end(),
                                  [&](const auto& t) { return data + t.offset + t.bytes > n; });
    REQUIRE(cut != whole.file.tensors.end());
    const std::string expected = fmt::format("truncated model file: tensor '{}' ends at byte {} but the file has {} bytes",
                                             cut->name, data + cut->offset + cut->bytes, n);
    if (r.error.rfind(expected, 0) != 0 || r.error_offset != cut->info_offset)
      FAIL("prefix " << n << ": " << r.error << " at " << r.error_offset << ", expected " << expected << " at "
                     << cut->info_offset);
    ++in_data;
  }
  CHECK(in_data > static_cast<int>(whole.file.tensors.size()) * 2);
}

TEST_CASE("GGUF hostile: limits on strings, kept text and array work") {
  // A key or tensor name of 2 MiB is refused; a string value that long is stepped over.
  std::string huge_key = "GGUF";
  put_u32(huge_key, 3);
  put_u64(huge_key, 0);
  put_u64(huge_key, 1);
  put_u64(huge_key, 2u << 20);
  huge_key.resize(huge_key.size() + (2u << 20), 'k');
  put_u32(huge_key, kU8);
  huge_key += '\x01';
  auto key_error = gguf::read_bytes(huge_key);
  CHECK(key_error.error == "key length 2097152 is over the limit of 65536 bytes");
  CHECK(key_error.error_offset == 24);
  std::string big;
  put_u64(big, 2u << 20);
  big.resize(big.size() + (2u << 20), 'x');
  GgufWriter w;
  w.raw("k", kStr, big);
  auto skipped = gguf::read_bytes(w.bytes());
  REQUIRE(skipped.ok());
  CHECK(skipped.file.find("k")->count == (2u << 20));
  CHECK_FALSE(skipped.file.find("k")->items_kept);
  CHECK(skipped.file.find("k")->s.empty());

  gguf::GgufLimits tight;
  tight.max_elements = 1000;
  auto r = gguf::read_bytes(GgufWriter().str_array("v", 2000).bytes(), QuantTables::builtin(), tight);
  CHECK_THAT(r.error, Catch::Contains("over 1000 elements"));
  tight = {};
  tight.max_kept_bytes = 100;
  r = gguf::read_bytes(GgufWriter().str("a", std::string(200, 'x')).bytes(), QuantTables::builtin(), tight);
  CHECK_THAT(r.error, Catch::Contains("metadata text is over the limit"));
}

TEST_CASE("GGUF hostile: random byte flips never crash (fixed seed)") {
  const std::string full = tiny_llama().bytes();
  const std::size_t header = tiny_llama().header().size();
  std::mt19937 rng(20240601);
  std::uniform_int_distribution<std::size_t> where(0, header - 1);
  std::uniform_int_distribution<int> value(0, 255), flips(1, 8);
  int parsed = 0, out_of_range = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = full;
    for (int k = flips(rng); k > 0; --k) bytes[where(rng)] = static_cast<char>(value(rng));
    auto r = gguf::read_bytes(bytes);
    if (!r.ok()) continue;
    // A flip that still parses must also survive interpretation and the estimate.
    ++parsed;
    try {
      ModelFileInfo info = model_info_from_gguf(r.file, "flipped.gguf");
      WeightQuant q;
      q.bpw = 8;
      (void)estimate_memory(info.model, q, test::llama_cpp(), 4096, 2.0);
    } catch (const GgufModelError& e) {  // a flipped value out of its range: refused, with where
      ++out_of_range;
      CHECK(e.offset < header);
      CHECK(std::string(e.what()).find('\n') == std::string::npos);
    }
  }
  CHECK(parsed > out_of_range);  // some flips land in values that are still valid
  CHECK(out_of_range > 0);       // and some in a hyperparameter, now out of its range
}

TEST_CASE("GGUF: the file reader agrees with the memory reader and reads a sparse 8B file") {
  TempDir dir;
  const std::string path = (dir.path / "m.gguf").string();
  REQUIRE(llama31_8b().write_sparse(path));
  auto from_file = gguf::read_file(path);
  REQUIRE(from_file.ok());
  CHECK(from_file.file.file_bytes > 4'000'000'000ULL);
  CHECK(from_file.file.tensors.size() == 291);
  auto missing = gguf::read_file((dir.path / "nope.gguf").string());
  CHECK_FALSE(missing.ok());
  CHECK_FALSE(missing.has_offset);
  auto directory = gguf::read_file(dir.path.string());
  CHECK(directory.error == "is a directory");
}

// The committed corpus (tests/data/gguf-hostile/): the valid seed parses, the rest fail.
TEST_CASE("GGUF committed hostile corpus") {
  const fs::path root = fs::path(PLANNER_SOURCE_DIR) / "tests" / "data" / "gguf-hostile";
  int files = 0;
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.path().extension() != ".gguf") continue;
    ++files;
    INFO(e.path().filename().string());
    auto r = gguf::read_file(e.path().string());
    bool model_level = false;
    for (const auto& m : hostile_models()) model_level |= e.path().filename() == m.name;
    if (e.path().filename() == "tiny-valid.gguf" || model_level) {
      CHECK(r.ok());  // hostile_models() parse: planner refuses their metadata (gguf_limits_test.cpp)
      CHECK(load_model_file(e.path()).info.has_value() == !model_level);
    } else {
      CHECK((!r.ok() && r.has_offset));
    }
  }
  CHECK(files == static_cast<int>(hostile_corpus().size() + hostile_models().size()) + 1);
}

// Regenerates tests/data/gguf-hostile/ (hidden: run `planner_tests "[.write-corpus]"`).
TEST_CASE("write the GGUF hostile corpus", "[.write-corpus]") {
  const fs::path root = fs::path(PLANNER_SOURCE_DIR) / "tests" / "data" / "gguf-hostile";
  fs::create_directories(root);
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(root / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  };
  write("tiny-valid.gguf", tiny_llama().bytes());
  for (const auto& [name, bytes] : hostile_corpus()) write(name, bytes);
  for (const auto& m : hostile_models()) write(m.name, m.bytes);
}
