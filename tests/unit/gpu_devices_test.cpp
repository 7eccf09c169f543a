// planner's memory per device against what llama-server allocated on an NVIDIA H200
// (tests/data/llama-cpp-gpu-ground-truth.json, bench/accuracy/README.md "llama-server on an NVIDIA GPU"):
// the GPU's total against nvidia-smi, each part against llama.cpp's own CUDA0 buffer lines, the host
// side against its host buffers. The bounds are the issue's goals (3 % of nvidia-smi, 5 % of the host
// figures); cases planner does not meet are listed by name with the reason, and a listed case that
// starts to meet the goal fails too, so the list cannot go stale.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "estimate/analysis.h"
#include "estimate/devices.h"
#include "load/document.h"
#include "render/plan.h"
#include "estimate/memory.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"
#include "runtime/runtime.h"

namespace {

using nlohmann::json;
using namespace planner;

constexpr double kMiB = 1024.0 * 1024.0;

const json& gpu_cases() {
  static const json data = [] {
    std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/tests/data/llama-cpp-gpu-ground-truth.json");
    REQUIRE(in);
    return json::parse(in);
  }();
  return data.at("cases");
}

// The route a case's llama-server flags describe, in planner's terms: -np N without -kvu splits -c
// among the slots, so one request's context is -c / N.
struct Case {
  Serving serving;
  long long context = 0;
};

Case case_of(const json& c, const Runtime& rt) {
  Case k;
  k.serving = default_serving(rt);
  std::vector<std::string> f;
  for (const auto& x : c.at("flags")) f.push_back(x.get<std::string>());
  bool kvu = false;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const std::string& a = f[i];
    const std::string next = i + 1 < f.size() ? f[i + 1] : "";
    if (a == "-np") k.serving.slots = std::stoi(next), k.serving.slots_set = true;
    if (a == "-kvu") kvu = true;
    if (a == "-ngl") k.serving.gpu_layers = std::stoi(next);
    if (a == "--cpu-moe") k.serving.cpu_moe_layers = kAllLayers;
    if (a == "--n-cpu-moe") k.serving.cpu_moe_layers = std::stoi(next);
    if (a == "-fa") k.serving.flash_attention = next != "off";
    if (a == "-ctk") k.serving.kv_type_k = next;
    if (a == "-ctv") k.serving.kv_type_v = next;
  }
  if (k.serving.slots_set) k.serving.kv_unified = kvu;
  k.serving.k_bytes_per_element = QuantTables::builtin().kv_type(k.serving.kv_type_k)->bytes_per_element;
  k.serving.v_bytes_per_element = QuantTables::builtin().kv_type(k.serving.kv_type_v)->bytes_per_element;
  const long long c_flag = c.at("context").get<long long>();
  k.context = k.serving.kv_unified ? c_flag : c_flag / k.serving.slots;
  return k;
}

struct Planned {
  DeviceMemory gpu, host;
};

Planned plan(const json& c) {
  const Runtime& rt = *find_runtime("llama.cpp");
  const ModelInfo* m = Catalog::builtin().find(c.at("model").get<std::string>());
  REQUIRE(m != nullptr);
  const WeightQuant q = resolve_quant(QuantTables::builtin(), "Q4_K_M", Format::gguf);
  const Case k = case_of(c, rt);
  const MemoryEstimate e = estimate_memory(*m, q, rt, k.context, k.serving);
  const auto devices = memory_by_device(*m, q, rt, k.serving, k.context, e, Placement::discrete_gpu);
  REQUIRE(devices.size() == 2);
  return {devices[0], devices[1]};
}

// Cases where planner misses the 3 % goal, with why (bench/accuracy/README.md says more). None
// now: the last, Gemma-2-9B at 18K with -ngl 0 (318.4 MiB of CUDA0 compute measured, 258.4 by the
// closed layout rule), is met by replaying ggml-alloc over the host layers' copies
// (estimate/offload_replay.h, bench/accuracy/offload.md section 7).
const std::map<std::string, std::string> kGpuMisses = {};

}  // namespace

TEST_CASE("Memory per device: the GPU's total within 3 % of nvidia-smi", "[gpu_devices]") {
  int checked = 0, within = 0;
  std::set<std::string> missed;
  for (const auto& c : gpu_cases()) {
    const std::string name = c.at("case").get<std::string>();
    if (!c.contains("nvidia_smi_used_mib") || c.at("model").get<std::string>().empty()) continue;
    if (!Catalog::builtin().find(c.at("model").get<std::string>())) continue;
    const Planned p = plan(c);
    const double smi = c.at("nvidia_smi_used_mib").get<double>() * kMiB;
    const double err = (p.gpu.total() - smi) / smi;
    INFO(name << ": planner " << p.gpu.total() / kMiB << " MiB, nvidia-smi " << smi / kMiB << " MiB, "
              << 100 * err << " %");
    ++checked;
    if (std::abs(err) <= 0.03) {
      ++within;
      CHECK(kGpuMisses.count(name) == 0);  // a listed miss that now meets the goal: take it off the list
    } else {
      missed.insert(name);
      CHECK(kGpuMisses.count(name) == 1);
    }
  }
  CHECK(checked >= 60);
  INFO(within << " of " << checked << " within 3 %");
  CHECK(within + static_cast<int>(kGpuMisses.size()) == checked);
}

TEST_CASE("Offload: CUDA's compute buffer with weights and KV on the host", "[gpu_devices]") {
  // Hand-computed from bench/accuracy/offload.md section 2 (n_ubatch T = 512; MiB): Llama-3.1-8B
  // E = n_embd x T x 4 = 8, Eq = 32 x 128 x T x 4 = 8, B = 2E + Eq = 24, K_l = V_l = cells x 1024
  // x 2 bytes, mask = cells x T x 2. The measured CUDA0 compute is the same figure in each case.
  auto compute_of = [](const std::string& name) {
    for (const auto& c : gpu_cases())
      if (c.at("case") == name) return plan(c).gpu.compute_bytes / kMiB;
    FAIL("no case " << name);
    return 0.0;
  };
  // 32K, -ngl 0: B + K + V + mask + V above the mask = 24 + 64 + 64 + 32 + 64.
  CHECK(compute_of("llama8b-32k-ngl0") == Approx(248.0).margin(0.01));
  // 32K, -ngl 32: one host-KV layer (layer 0), so no V above the mask.
  CHECK(compute_of("llama8b-32k-ngl32") == Approx(184.0).margin(0.01));
  // 16K: the FFN's gate and up (2 x 28) above the mask: 24 + 32 + 32 + 16 + 56.
  CHECK(compute_of("llama8b-16k-ngl0") == Approx(160.0).margin(0.01));
  // -fa off: the f32 scores 32768 x 512 x 32 x 4 = 2048 and an f32 mask (64): 24 + 64 + 64 + 64 + 2048 + 64.
  CHECK(compute_of("llama8b-32k-ngl0-fa-off") == Approx(2328.0).margin(0.01));
  // -np 4: four 8K streams; the 8 MiB mask fits the attn_norm hole, so no V above it: 24 + 128 + 8 + 0.
  CHECK(compute_of("llama8b-32k-ngl0-np4") == Approx(160.0).margin(0.01));
  // The dense FFN phase: the fitted ratio to 2E + w_up + 2F, Llama's 127.5 / 103.5 when the GLU
  // output fits the freed ffn_up copy (F 28 <= w_up 14336 x 4096 at Q4_K, 4.5 bits: 31.5), Gemma-2's
  // 148.88 / 97.5625 when it does not (offload.md section 6). Llama-3.1-8B 8K: 103.5 x 127.5 / 103.5 +
  // the 8 MiB mask; Qwen2.5-7B 8K: F 18944 x T x 4 = 37 > w_up 18944 x 3584 x 4.5 / 8 = 36.42, so
  // (2 x 7 + 36.42 + 2 x 37) x 148.88 / 97.5625 + 8 = 197.87 (measured 198.31).
  CHECK(compute_of("llama8b-8k-ngl0") == Approx(135.5).margin(0.01));
  CHECK(compute_of("qwen25-8k-ngl0") == Approx(197.87).margin(0.01));
  // Gemma-2-9B, from the allocator replay (estimate/offload_replay.h; tests/unit/offload_replay_test.cpp
  // pins it to alloc_replay.py), whose layouts offload.md section 7 reads as follows. E = 3584 x T x 4 = 7,
  // Eq = 16 x 256 x T x 4 = 8, the attn_q
  // copy w_q = 3584 x 4096 at Q4_K = 7.875 < Eq, so both Q tensors sit above it and layer 0's K copy
  // starts at 2E + w_q + 2Eq = 37.875. Layer 1 repeats layer 0's layout. 16K: the global layer's K
  // and V (64 + 64) fit the SWA layer's hole, and the 2nd mask goes on the 1st: 37.875 + 128 + 16 + 16.
  CHECK(compute_of("gemma2-16k-ngl0") == Approx(197.875).margin(0.01));
  // 32K: SWA K + V 66 + 66 (16896 cells), mask 16.5; the global K (128) fits the 132 hole, V goes on
  // top, the 2nd mask (32) does not fit the 4 left and goes above V, and a later V above it:
  // 37.875 + 132 + 16.5 + 128 + 32 + 128.
  CHECK(compute_of("gemma2-32k-ngl0") == Approx(474.375).margin(0.01));
  // 20K: the 2nd mask (20) fits the 52 the global K (80) leaves, so only V goes on top: 186.375 + 80.
  CHECK(compute_of("gemma2-20k-ngl0") == Approx(266.375).margin(0.01));
  // -np 2 at 32K: two streams, so the global layer's copies (2 x 16384 cells: 128 + 128) are
  // larger than the SWA layer's (2 x 4608: 36 + 36). The closed rule put V on top (442.375); the
  // replay gives the measured 433.38.
  CHECK(compute_of("gemma2-32k-ngl0-np2") == Approx(433.377).margin(0.01));
  // 18K: layer 8's K copy (66) fits no hole below the 1st mask after the Q6_K ffn_down copies of
  // layers 0-4 and 7 have cut the free region (offload.md section 7): 186.375 + 66 + 66 (measured).
  CHECK(compute_of("gemma2-18k-ngl0") == Approx(318.377).margin(0.01));
  // Some layers on the GPU: the host layers replayed (0-21 with -ngl 21), as measured.
  CHECK(compute_of("gemma2-32k-ngl21") == Approx(474.377).margin(0.01));
  CHECK(compute_of("gemma2-8k-ngl21") == Approx(164.877).margin(0.01));
  // Qwen3-30B-A3B --cpu-moe at 32K: ffn_down_exps (128 x 768 x 2048 at Q6_K, 157.5) + 8 used
  // experts' outputs (2048 x 8 x T x 4 = 32) + their gate and up (2 x 768 x 8 x T x 4 = 24) + E (4)
  // + mask (32).
  CHECK(compute_of("qwen3moe-32k-cpu-moe") == Approx(249.5).margin(0.01));
}

TEST_CASE("Offload: Gemma-2's compute buffer with host layers is the replay's, to the 0.01 MiB", "[gpu_devices]") {
  // Every measured Gemma-2 case (9B and 2B) with layers on the host and f16 K/V under flash
  // attention: the replay of ggml-alloc (estimate/offload_replay.h) against llama.cpp's CUDA0 compute.
  int checked = 0;
  for (const auto& c : gpu_cases()) {
    const std::string name = c.at("case").get<std::string>();
    if (name.rfind("gemma2-", 0) != 0 || !c.contains("cuda0_compute_mib") || !c.contains("layers_on_gpu")) continue;
    if (c.at("layers_on_gpu").get<int>() == c.at("layers_total").get<int>()) continue;
    INFO(name);
    CHECK(plan(c).gpu.compute_bytes / kMiB == Approx(c.at("cuda0_compute_mib").get<double>()).margin(0.01));
    ++checked;
  }
  CHECK(checked == 15);
}

TEST_CASE("Memory per device: the GPU's parts against llama.cpp's CUDA0 buffers", "[gpu_devices]") {
  for (const auto& c : gpu_cases()) {
    if (!c.contains("buffers_mib")) continue;
    const std::string name = c.at("case").get<std::string>();
    const Planned p = plan(c);
    INFO(name << ": weights " << p.gpu.weights_bytes / kMiB << " vs " << c.at("cuda0_model_mib").get<double>()
              << ", KV " << p.gpu.kv_cache_bytes / kMiB << " vs " << c.at("cuda0_kv_mib").get<double>()
              << ", compute " << p.gpu.compute_bytes / kMiB << " vs " << c.at("cuda0_compute_mib").get<double>());
    // KV to the MiB llama.cpp prints (whole cells, exact types).
    CHECK(std::abs(p.gpu.kv_cache_bytes / kMiB - c.at("cuda0_kv_mib").get<double>()) < 0.01);
    // Weights within 0.5 % (planner's recipe against the generated file's tensors).
    const double w = c.at("cuda0_model_mib").get<double>();
    if (w > 0) CHECK(std::abs(p.gpu.weights_bytes / kMiB - w) / w < 0.005);
    else CHECK(p.gpu.weights_bytes == 0);
  }
}

TEST_CASE("Memory per device: the host side within 5 % of llama.cpp's host buffers", "[gpu_devices]") {
  for (const auto& c : gpu_cases()) {
    if (!c.contains("host_buffers_mib")) continue;
    const std::string name = c.at("case").get<std::string>();
    const int on_gpu = c.at("layers_on_gpu").get<int>(), total = c.at("layers_total").get<int>();
    bool experts_on_host = false;
    for (const auto& f : c.at("flags")) experts_on_host |= f == "--cpu-moe" || f == "--n-cpu-moe";
    // With some layers on each side llama.cpp maps one file range for the host, which overlaps what
    // it copied to the GPU: its figure is not the host's share (gpu_ground_truth_test.cpp).
    if (on_gpu != 0 && (on_gpu != total || experts_on_host)) continue;
    const Planned p = plan(c);
    double llama_host = 0;
    for (const auto& [k, v] : c.at("host_buffers_mib").items()) llama_host += v.get<double>();
    const double planner_host = (p.host.total() - p.host.runtime_bytes) / kMiB;
    INFO(name << ": planner " << planner_host << " MiB, llama.cpp " << llama_host << " MiB");
    CHECK(std::abs(planner_host - llama_host) / llama_host <= 0.05);
  }
}

TEST_CASE("Offload: -ngl counts the output layer, which goes to the GPU first", "[gpu_devices]") {
  // llama.cpp de3ff815 src/llama-model.cpp:1521-1546; measured: -ngl 16 on Llama-3.1-8B (32 layers)
  // puts layers 17-31 and the output on the GPU (480 of 1024 MiB of KV).
  const Offload all = offload_of(32, kAllLayers);
  CHECK(all.first_gpu_layer == 0);
  CHECK(all.output_on_gpu);
  const Offload some = offload_of(32, 16);
  CHECK(some.first_gpu_layer == 17);
  CHECK(some.repeating_on_gpu() == 15);
  CHECK(some.output_on_gpu);
  const Offload one = offload_of(32, 1);
  CHECK(one.repeating_on_gpu() == 0);
  CHECK(one.output_on_gpu);
  const Offload none = offload_of(32, 0);
  CHECK(none.repeating_on_gpu() == 0);
  CHECK_FALSE(none.output_on_gpu);
  CHECK(offload_of(32, 500).first_gpu_layer == 0);
}

TEST_CASE("Memory per device: a discrete GPU's fit is its gpu0 share, with the experts on the host", "[gpu_devices]") {
  // Qwen3-30B-A3B at Q4_K_M is ~17.5 GiB of weights: over a 12 GB card whole, under it with every
  // expert in host memory (--cpu-moe: the measured GPU share is 2375 MiB at 8K).
  const std::string text = R"(hardware:
  total_ram_gb: 64
  architecture: linux_nvidia
  gpu_vram_gb: 12
inference:
  preferred_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: 8192
routing:
  whole:
    model: qwen3-30b-a3b
  split:
    model: qwen3-30b-a3b
    cpu_moe_layers: all
monitoring:
  memory_pressure_threshold: 0.75
  action_on_threshold: truncate_context
)";
  LoadResult loaded = parse_yaml("config.yaml", text);
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  const RouteAnalysis* whole = a.route("whole");
  const RouteAnalysis* split = a.route("split");
  REQUIRE(whole->devices.size() == 2);
  REQUIRE(split->devices.size() == 2);
  CHECK(whole->gpu_device()->total() > 12 * 1024 * kMiB);
  CHECK(split->gpu_device()->total() < 3 * 1024 * kMiB);
  // The same weights in all: what leaves the GPU is on the host.
  CHECK(split->devices[0].weights_bytes + split->devices[1].weights_bytes ==
        Approx(whole->devices[0].weights_bytes + whole->devices[1].weights_bytes));
  std::ostringstream json_out;
  render_plan_json(json_out, "config.yaml", a);
  const json plan = json::parse(json_out.str());
  const json& routes = plan.at("routes");
  CHECK(routes.at(0).at("fits_gpu") == false);
  CHECK(routes.at(1).at("fits_gpu") == true);
  CHECK(routes.at(1).at("serving").at("cpu_moe_layers") == "all");
  CHECK(routes.at(1).at("gpu_headroom_bytes").get<double>() ==
        Approx(12.0 * 1024 * kMiB - split->gpu_device()->total()).margin(1));
  CHECK(routes.at(1).at("memory_by_device").at(0).at("device") == "gpu0");
}
