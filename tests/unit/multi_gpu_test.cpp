// Several GPUs in one host: llama.cpp's layer split (src/llama-model.cpp@de3ff815:1488-1546), its
// split points and where each layer, its weights and its KV cache go; the figures by hand from the
// source's rule: layer il (the output layer is il = n_layer) goes to the first GPU whose
// cumulative share exceeds il / (n_layer + 1).
#include <catch2/catch.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "estimate/analysis.h"
#include "estimate/devices.h"
#include "estimate/memory.h"
#include "load/document.h"
#include "render/plan.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"
#include "runtime/runtime.h"

namespace {

using namespace planner;

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiBytes = 1024.0 * kMiB;

int count(const std::vector<int>& dev, int d) { return static_cast<int>(std::count(dev.begin(), dev.end(), d)); }

// The first and last layer on device d (-1, -1 when none).
std::pair<int, int> span_of(const std::vector<int>& dev, int d) {
  int first = -1, last = -1;
  for (int i = 0; i < static_cast<int>(dev.size()); ++i)
    if (dev[static_cast<std::size_t>(i)] == d) {
      if (first < 0) first = i;
      last = i;
    }
  return {first, last};
}

const GpuVram kTwo24 = {24 * kGiBytes, 24 * kGiBytes};

}  // namespace

TEST_CASE("Split points: two equal GPUs split by free memory in halves", "[multi_gpu]") {
  const std::vector<float> s = split_points({}, kTwo24, 598 * kMiB);
  REQUIRE(s.size() == 2);
  CHECK(s[0] == Approx(0.5f));
  CHECK(s[1] == 1.0f);
}

TEST_CASE("Split points: -ts 3,1 is 0.75 / 1; all zeros is the default", "[multi_gpu]") {
  const std::vector<float> s = split_points({3, 1}, kTwo24, 598 * kMiB);
  CHECK(s[0] == Approx(0.75f));
  CHECK(s[1] == 1.0f);
  const std::vector<float> z = split_points({0, 0}, kTwo24, 598 * kMiB);
  CHECK(z[0] == Approx(0.5f));
}

TEST_CASE("Split points: 24 + 12 GiB by free memory, the CUDA context taken off each", "[multi_gpu]") {
  // (24576 - 598) / (24576 - 598 + 12288 - 598) = 23978 / 35668 = 0.67226
  const std::vector<float> s = split_points({}, {24 * kGiBytes, 12 * kGiBytes}, 598 * kMiB);
  CHECK(s[0] == Approx(0.67226).epsilon(1e-4));
  // A VRAM not known: equal shares.
  const std::vector<float> u = split_points({}, {24 * kGiBytes, std::nullopt}, 598 * kMiB);
  CHECK(u[0] == Approx(0.5f));
}

TEST_CASE("Layer split: 48 layers on 24 + 24 GB, default and -ts 3,1", "[multi_gpu]") {
  // Default: il / 49 < 0.5 for il <= 24: layers 0-24 (25) on gpu0, 25-47 and the output on gpu1.
  const std::vector<int> def = layer_devices(48, kAllLayers, split_points({}, kTwo24, 598 * kMiB));
  REQUIRE(def.size() == 49);
  CHECK(count(def, 0) == 25);
  CHECK(count(def, 1) == 24);
  CHECK(span_of(def, 0) == std::make_pair(0, 24));
  CHECK(def.back() == 1);  // the output layer on the last GPU
  // -ts 3,1: il / 49 < 0.75 for il <= 36: 37 layers on gpu0, 11 and the output on gpu1.
  const std::vector<int> ts = layer_devices(48, kAllLayers, split_points({3, 1}, kTwo24, 598 * kMiB));
  CHECK(count(ts, 0) == 37);
  CHECK(count(ts, 1) == 12);
  CHECK(span_of(ts, 1) == std::make_pair(37, 48));
}

TEST_CASE("Layer split: -ngl 25 of 48 layers over two GPUs", "[multi_gpu]") {
  // i_gpu_start = 49 - 25 = 24: layers 0-23 on the CPU; (il - 24) / 25 < 0.5 for il <= 36.
  const std::vector<int> d = layer_devices(48, 25, split_points({}, kTwo24, 598 * kMiB));
  CHECK(count(d, -1) == 24);
  CHECK(span_of(d, 0) == std::make_pair(24, 36));
  CHECK(span_of(d, 1) == std::make_pair(37, 48));
}

TEST_CASE("Layer split: a tensor_split shorter than the GPUs leaves the rest empty", "[multi_gpu]") {
  // -ts 1 on two GPUs: the proportions 1, 0; every layer on gpu0.
  const std::vector<int> d = layer_devices(48, kAllLayers, split_points({1}, kTwo24, 598 * kMiB));
  CHECK(count(d, 0) == 49);
  CHECK(count(d, 1) == 0);
}

TEST_CASE("Memory per device: each GPU's KV cache follows its layers", "[multi_gpu]") {
  // Qwen2.5-14B: 48 layers x 8 KV heads x 128, f16: 4 KiB per token and layer, 32 MiB at 8192
  // cells (llama-server's default 4 slots share one pool of the context).
  const Runtime& rt = *find_runtime("llama.cpp");
  const ModelInfo* m = Catalog::builtin().find("qwen2.5-14b");
  REQUIRE(m != nullptr);
  REQUIRE(m->layers == 48);
  const WeightQuant q = resolve_quant(QuantTables::builtin(), "Q4_K_M", Format::gguf);
  Serving s = default_serving(rt);
  s.tensor_split = {3, 1};
  const MemoryEstimate e = estimate_memory(*m, q, rt, 8192, s);
  const auto d = memory_by_device(*m, q, rt, s, 8192, e, Placement::discrete_gpu, kTwo24);
  REQUIRE(d.size() == 3);
  CHECK(d[0].device == "gpu0");
  CHECK(d[1].device == "gpu1");
  CHECK(d[2].device == "host");
  CHECK(d[0].kv_cache_bytes / kMiB == Approx(37 * 32.0));
  CHECK(d[1].kv_cache_bytes / kMiB == Approx(11 * 32.0));
  CHECK(d[2].kv_cache_bytes == 0);
  // Every weight somewhere: the host keeps token_embd alone, as on one GPU, and the two GPUs hold
  // together what one GPU would.
  CHECK(d[0].weights_bytes + d[1].weights_bytes + d[2].weights_bytes == Approx(e.weights_bytes));
  const auto one = memory_by_device(*m, q, rt, default_serving(rt), 8192, e, Placement::discrete_gpu);
  CHECK(d[2].weights_bytes == Approx(one[1].weights_bytes));
  CHECK(d[0].weights_bytes + d[1].weights_bytes == Approx(one[0].weights_bytes));
  // Each GPU with layers: its CUDA context and the one-GPU compute buffer.
  CHECK(d[0].runtime_bytes == rt.overhead.gpu_context_bytes);
  CHECK(d[1].runtime_bytes == rt.overhead.gpu_context_bytes);
  CHECK(d[0].compute_bytes == Approx(d[1].compute_bytes));
  CHECK(d[0].compute_bytes > 0);
}

TEST_CASE("Memory per device: one GPU in the list is the one-GPU estimate", "[multi_gpu]") {
  const Runtime& rt = *find_runtime("llama.cpp");
  const ModelInfo* m = Catalog::builtin().find("qwen2.5-14b");
  REQUIRE(m != nullptr);
  const WeightQuant q = resolve_quant(QuantTables::builtin(), "Q4_K_M", Format::gguf);
  Serving s = default_serving(rt);
  s.gpu_layers = 30;
  const MemoryEstimate e = estimate_memory(*m, q, rt, 8192, s);
  const auto one = memory_by_device(*m, q, rt, s, 8192, e, Placement::discrete_gpu, {24 * kGiBytes});
  const auto none = memory_by_device(*m, q, rt, s, 8192, e, Placement::discrete_gpu);
  REQUIRE(one.size() == 2);
  REQUIRE(none.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(one[i].device == none[i].device);
    CHECK(one[i].total() == Approx(none[i].total()));
  }
  // 30 of 49 on the GPU: layers 19-47 (29) and the output; their cache, 29 x 32 MiB.
  CHECK(one[0].kv_cache_bytes / kMiB == Approx(29 * 32.0));
}

TEST_CASE("Memory per device: split_mode none runs on main_gpu alone", "[multi_gpu]") {
  const Runtime& rt = *find_runtime("llama.cpp");
  const ModelInfo* m = Catalog::builtin().find("qwen2.5-14b");
  REQUIRE(m != nullptr);
  const WeightQuant q = resolve_quant(QuantTables::builtin(), "Q4_K_M", Format::gguf);
  Serving s = default_serving(rt);
  const MemoryEstimate e = estimate_memory(*m, q, rt, 8192, s);
  const auto single = memory_by_device(*m, q, rt, s, 8192, e, Placement::discrete_gpu);
  s.split_mode = SplitMode::none;
  s.main_gpu = 1;
  const auto d = memory_by_device(*m, q, rt, s, 8192, e, Placement::discrete_gpu, kTwo24);
  REQUIRE(d.size() == 3);
  CHECK(d[0].total() == 0);  // outside llama.cpp's device list (src/llama.cpp:288-301)
  CHECK(d[1].total() == Approx(single[0].total()));
  CHECK(d[2].total() == Approx(single[1].total()));
}

TEST_CASE("Analysis: hardware.gpus holds each GPU to its own VRAM", "[multi_gpu]") {
  // Qwen2.5-14B at Q4_K_M and 32K (128 MiB of KV per layer) with -ts 1,15: il / 49 < 1/16 for
  // il <= 3, so 45 of 49 layers on the 12 GB gpu1 (about 7.5 GiB of weights and 5.5 GiB of KV):
  // over it, while the default split (by free memory, 24 and 12 GiB: 33 + 16) fits both.
  const std::string text = R"(hardware:
  total_ram_gb: 64
  architecture: linux_nvidia
  gpus:
    - {chip: RTX 3090}
    - {chip: RTX 3060 12GB}
inference:
  preferred_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: 32768
routing:
  even:
    model: qwen2.5-14b
  skewed:
    model: qwen2.5-14b
    tensor_split: [1, 15]
monitoring:
  memory_pressure_threshold: 0.75
  action_on_threshold: truncate_context
)";
  LoadResult loaded = parse_yaml("config.yaml", text);
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  REQUIRE(a.budget.gpus.size() == 2);
  CHECK(*a.budget.gpus[0].vram_bytes == 24 * kGiBytes);
  CHECK(*a.budget.gpus[1].vram_bytes == 12 * kGiBytes);
  CHECK(*a.budget.gpu_limit_bytes == 36 * kGiBytes);
  REQUIRE(a.chip != nullptr);
  CHECK(a.chip->name == "RTX 3090");  // the tokens/s of the first GPU
  const RouteAnalysis* even = a.route("even");
  const RouteAnalysis* skewed = a.route("skewed");
  const auto even_loads = a.gpu_loads(*even);
  const auto skewed_loads = a.gpu_loads(*skewed);
  REQUIRE(even_loads.size() == 2);
  REQUIRE(skewed_loads.size() == 2);
  CHECK_FALSE(even_loads[0].over());
  CHECK_FALSE(even_loads[1].over());
  CHECK_FALSE(skewed_loads[0].over());
  CHECK(skewed_loads[1].over());
  CHECK(tightest(skewed_loads) == &skewed_loads[1]);
  std::ostringstream json_out;
  render_plan_json(json_out, "config.yaml", a);
  const auto plan = nlohmann::json::parse(json_out.str());
  const auto& routes = plan.at("routes");
  CHECK(routes.at(0).at("fits_gpu") == true);
  CHECK(routes.at(1).at("fits_gpu") == false);
  CHECK(routes.at(1).at("memory_by_device").size() == 3);
  CHECK(routes.at(1).at("memory_by_device").at(1).at("device") == "gpu1");
  CHECK(routes.at(1).at("gpu_headroom_bytes").get<double>() == Approx(*skewed_loads[1].headroom()).margin(1));
  CHECK(plan.at("machine").at("gpus").size() == 2);
}
