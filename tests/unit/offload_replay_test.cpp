// The replay of ggml-alloc over Gemma-2's host-layer graph (estimate/offload_replay.h) against
// bench/accuracy/alloc_replay.py, which replays the H200's allocator traces themselves
// (bench/accuracy/offload.md section 7). The expected figures are what the script prints, MiB to
// two decimals:
//   tar -xJf bench/accuracy/logs/alloc-trace/trace-logs.tar.xz -C /tmp/at
//   tar -xJf bench/accuracy/logs/gpu-alloc-check/trace-logs.tar.xz -C /tmp/atc
//   python3 bench/accuracy/alloc_replay.py /tmp/at/gemma2-16k-ngl0.log gemma2 4096 8192 12288 16384
//   python3 bench/accuracy/alloc_replay.py /tmp/at/gemma2-16k-ngl0.log gemma2 18432 20480 24576 28672 32768
//   python3 bench/accuracy/alloc_replay.py /tmp/at/gemma2-16k-ngl0.log gemma2 32768 --slots 2 --split
//   python3 bench/accuracy/alloc_replay.py /tmp/at/gemma2-16k-ngl0.log gemma2 16384 18432 20480 24576 --weight-copy ffn_down=28901376
//   python3 bench/accuracy/alloc_replay.py /tmp/atc/gemma2-2b-20k-ngl0.log gemma2   # "as traced"
//   python3 bench/accuracy/alloc_replay.py /tmp/atc/gemma2-2b-32k-ngl0.log gemma2   # "as traced"
#include <catch2/catch.hpp>

#include "estimate/gguf_recipe.h"
#include "estimate/offload_replay.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"
#include "runtime/runtime.h"

namespace {

using namespace planner;

constexpr double kMiB = 1024.0 * 1024.0;

const ModelInfo& model(const char* id) {
  const ModelInfo* m = Catalog::builtin().find(id);
  REQUIRE(m != nullptr);
  return *m;
}

const Runtime& llama_cpp() { return *find_runtime("llama.cpp"); }

std::vector<RecipeTensor> q4_k_m(const ModelInfo& m) {
  auto t = gguf_recipe_tensors(m, "Q4_K_M", QuantTables::builtin());
  REQUIRE(t);
  return *t;
}

// The graph with every layer on the host (-ngl 0), llama-server's default slots unless `s` says.
Gemma2HostGraph all_host(const char* id, long long context, Serving s = default_serving(llama_cpp())) {
  const ModelInfo& m = model(id);
  auto g = gemma2_host_graph(m, llama_cpp(), s, context, q4_k_m(m), m.layers);
  REQUIRE(g);
  return *g;
}

double peak_mib(const Gemma2HostGraph& g) { return static_cast<double>(replay_gemma2_host_graph(g)) / kMiB; }

}  // namespace

TEST_CASE("BestFitBuffer: ggml-alloc's best fit, ties to the later block, the last block grows", "[offload_replay]") {
  BestFitBuffer b;
  const auto a = b.alloc(1000);  // rounded up to 1024
  const auto x = b.alloc(512);
  const auto c = b.alloc(1024);
  const auto y = b.alloc(512);
  const auto d = b.alloc(100);
  CHECK(a == 0);
  CHECK(x == 1024);
  CHECK(c == 1536);
  CHECK(y == 2560);
  CHECK(d == 3072);
  CHECK(b.peak() == 3200);
  b.free(a, 1000);
  b.free(c, 1024);
  // Two free 1024-byte blocks: a tie, and `<=` takes the later one (ggml-alloc.c:211-224).
  CHECK(b.alloc(1024) == 1536);
  // 256 fits the block at 0 (the smallest that holds it), not the tail.
  CHECK(b.alloc(256) == 0);
  // Nothing but the tail holds 2048: the buffer grows past its peak.
  CHECK(b.alloc(2048) == 3200);
  CHECK(b.peak() == 5248);
  // Freed neighbours merge: x (1024-1536) between the free 256-1024 and nothing at 1536 (taken).
  b.free(x, 512);
  CHECK(b.alloc(1280) == 256);  // 256..1536 is one block again
  CHECK(b.peak() == 5248);
}

TEST_CASE("Offload replay: the copies are the recipe's tensors at CUDA's allocation size", "[offload_replay]") {
  // The sizes the traces show (bench/accuracy/logs/alloc-trace, gemma2-16k-ngl0): ffn_down Q6_K on
  // the layers use_more_bits picks (0-4, 7, ...; estimate/gguf_recipe.cpp), Q4_K on the others;
  // attn_v likewise by its own count.
  const Gemma2HostGraph g = all_host("gemma-2-9b-it", 16384);
  REQUIRE(g.layers.size() == 42);
  CHECK(g.layers[0].ffn_down == 42147840);
  CHECK(g.layers[5].ffn_down == 28901376);
  CHECK(g.layers[6].ffn_down == 28901376);
  CHECK(g.layers[7].ffn_down == 42147840);
  CHECK(g.layers[0].attn_v == 6021120);
  CHECK(g.layers[5].attn_v == 4128768);
  CHECK(g.layers[0].attn_q == 8257536);
  CHECK(g.layers[0].ffn_gate == 28901376);
  CHECK(g.layers[0].attn_norm == 14336);
  // 16K, 4 slots sharing the cells: each layer's K copy 16384 x 8 x 256 x 2 bytes.
  CHECK(g.layers[0].k == 67108864);
  CHECK(g.layers[1].cache == 1);
  CHECK(g.layers[0].cache == 0);
  CHECK(g.masks == std::vector<std::uint64_t>{16777216, 16777216});
  CHECK(g.ends_graph);
  // Gemma-2-2B: hidden 2304 is not a multiple of 512, so CUDA pads each quantized row by 256
  // elements (144 bytes at Q4_K) and the copy is 2654208 + 144, rounded to 128 by the buffer.
  const Gemma2HostGraph g2 = all_host("gemma-2-2b-it", 20480);
  CHECK(BestFitBuffer::aligned(g2.layers[0].attn_q) == 2654464);
  CHECK(g2.layers[0].attn_output == 2654208);  // 2048 wide: no padding
  CHECK(BestFitBuffer::aligned(g2.layers[0].ffn_gate) == 11944192);
}

TEST_CASE("Offload replay: Gemma-2 at -ngl 0 gives alloc_replay.py's figures", "[offload_replay]") {
  // Every one of them is also the measured CUDA0 compute buffer (tests/data/llama-cpp-gpu-ground-truth.json).
  const std::vector<std::pair<long long, double>> expected = {
      {4096, 152.31},  {8192, 164.88},  {12288, 168.31}, {16384, 197.88}, {18432, 318.38},
      {20480, 266.38}, {24576, 282.38}, {28672, 438.38}, {32768, 474.38}};
  for (const auto& [context, mib] : expected) {
    INFO(context);
    CHECK(peak_mib(all_host("gemma-2-9b-it", context)) == Approx(mib).margin(0.005));
  }
  // -np 2 without -kvu: two streams of 16384 cells, each its own window.
  Serving np2 = default_serving(llama_cpp());
  np2.slots = 2;
  np2.slots_set = true;
  np2.kv_unified = false;
  CHECK(peak_mib(all_host("gemma-2-9b-it", 16384, np2)) == Approx(433.38).margin(0.005));
  // Gemma-2-2B, whose last (global) layer sets the peak at 20K (offload.md section 7).
  CHECK(peak_mib(all_host("gemma-2-2b-it", 20480)) == Approx(159.53).margin(0.005));
  CHECK(peak_mib(all_host("gemma-2-2b-it", 32768)) == Approx(262.03).margin(0.005));
}

TEST_CASE("Offload replay: uniform ffn_down copies give another peak than the recipe's mix", "[offload_replay]") {
  // What the 18K case depends on (offload.md section 7): with every ffn_down at Q4_K's size the
  // drift over layers 0-8 does not happen, and the peak is what the closed rule gave (258.38).
  const std::vector<std::tuple<long long, double, double>> cases = {
      // context, recipe (Q6_K on some layers), uniform Q4_K
      {16384, 197.88, 197.88},
      {18432, 318.38, 258.38},
      {20480, 266.38, 281.88},
      {24576, 282.38, 333.88}};
  for (const auto& [context, mixed, uniform] : cases) {
    INFO(context);
    Gemma2HostGraph g = all_host("gemma-2-9b-it", context);
    CHECK(peak_mib(g) == Approx(mixed).margin(0.005));
    for (auto& l : g.layers) l.ffn_down = 28901376;
    CHECK(peak_mib(g) == Approx(uniform).margin(0.005));
  }
}

TEST_CASE("Offload replay: partial offload replays the host layers; other graphs are not replayed", "[offload_replay]") {
  const ModelInfo& m = model("gemma-2-9b-it");
  const Serving s = default_serving(llama_cpp());
  const auto tensors = q4_k_m(m);
  // -ngl 21 on 42 layers and the output: layers 0-21 on the host (measured CUDA0 compute 164.88 at
  // 8K and 474.38 at 32K, the -ngl 0 buffers); -ngl 10: layers 0-32.
  const auto ngl21_8k = gemma2_host_graph(m, llama_cpp(), s, 8192, tensors, 22);
  REQUIRE(ngl21_8k);
  CHECK_FALSE(ngl21_8k->ends_graph);
  CHECK(peak_mib(*ngl21_8k) == Approx(164.88).margin(0.005));
  const auto ngl10_32k = gemma2_host_graph(m, llama_cpp(), s, 32768, tensors, 33);
  REQUIRE(ngl10_32k);
  CHECK(peak_mib(*ngl10_32k) == Approx(474.38).margin(0.005));
  // Not traced, so not replayed: flash attention off, a quantized cache, another family.
  Serving fa_off = s;
  fa_off.flash_attention = false;
  CHECK_FALSE(gemma2_host_graph(m, llama_cpp(), fa_off, 8192, tensors, m.layers));
  Serving q8 = s;
  q8.kv_type_k = q8.kv_type_v = "q8_0";
  q8.k_bytes_per_element = q8.v_bytes_per_element = 34.0 / 32.0;
  CHECK_FALSE(gemma2_host_graph(m, llama_cpp(), q8, 8192, tensors, m.layers));
  const ModelInfo& llama = model("llama-3.1-8b-instruct");
  CHECK_FALSE(gemma2_host_graph(llama, llama_cpp(), s, 8192, q4_k_m(llama), llama.layers));
  CHECK_FALSE(gemma2_host_graph(m, llama_cpp(), s, 8192, tensors, 0));
}
