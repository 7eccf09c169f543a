// cluster: one route split over several hosts as its engine splits it (estimate/cluster.cpp).
// Layer ranges by hand from the sources: mlx-lm@d78bf58 models/pipeline.py (reverse split, the
// first layers % size ranks one layer more, start = (size - rank - 1) x their count), llama.cpp's
// layer split over the device list with the RPC devices first.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "estimate/analysis.h"
#include "estimate/cluster.h"
#include "load/document.h"
#include "render/plan.h"
#include "support/cluster_configs.h"

namespace {

using namespace planner;

constexpr double kGiBytes = 1024.0 * 1024.0 * 1024.0;

std::string config(const std::string& inference, const std::string& route, const std::string& cluster_route,
                   int hosts = 2, int ram = 64) {
  std::string h;
  for (int i = 0; i < hosts; ++i)
    h += "    - {name: h" + std::to_string(i) + ", address: 10.0.0." + std::to_string(i + 1) + ", hardware: *mac}\n";
  return "hardware: &mac\n  total_ram_gb: " + std::to_string(ram) +
         "\n  architecture: apple_silicon\n  chip: M2 Max\n  gpu_wired_limit_gb: 56\ninference:\n" + inference +
         "  max_context_tokens: 8192\nrouting:\n  r:\n    model: " + route + "\ncluster:\n  hosts:\n" + h +
         "  link: thunderbolt-5\n  routes:\n    r: " + cluster_route + "\n";
}

}  // namespace

TEST_CASE("mlx-lm's pipeline split, rank by rank, as models/pipeline.py computes it", "[cluster]") {
  // 80 layers over 2: rank 0 the last 40, rank 1 the first 40.
  CHECK(mlx_pipeline_range(80, 0, 2) == std::pair<int, int>{40, 80});
  CHECK(mlx_pipeline_range(80, 1, 2) == std::pair<int, int>{0, 40});
  // 80 over 3: ranks 0 and 1 get 27 and start at 54 and 27; rank 2 gets 26 from 0: layer 26 is on no rank.
  CHECK(mlx_pipeline_range(80, 0, 3) == std::pair<int, int>{54, 80});
  CHECK(mlx_pipeline_range(80, 1, 3) == std::pair<int, int>{27, 54});
  CHECK(mlx_pipeline_range(80, 2, 3) == std::pair<int, int>{0, 26});
  // 61 over 2 (DeepSeek-V3): rank 0 31 layers from 31 (clamped to 61), rank 1 30 from 0: layer 30 on none.
  CHECK(mlx_pipeline_range(61, 0, 2) == std::pair<int, int>{31, 61});
  CHECK(mlx_pipeline_range(61, 1, 2) == std::pair<int, int>{0, 30});
}

TEST_CASE("mlx-lm's families: pipeline and shard as the model files define them", "[cluster]") {
  CHECK(mlx_can_pipeline("deepseek2"));
  CHECK_FALSE(mlx_can_pipeline("llama"));
  CHECK(mlx_can_shard("llama"));
  CHECK_FALSE(mlx_can_shard("qwen3moe"));  // models/qwen3_moe.py has no shard()
}

TEST_CASE("a single-host config has no cluster plan", "[cluster]") {
  LoadResult loaded = parse_yaml("c.yaml", R"(hardware: {total_ram_gb: 64, architecture: apple_silicon}
inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 8192}
routing:
  r: {model: qwen2.5-14b}
)");
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  CHECK_FALSE(a.cluster.present());
  CHECK(a.cluster_plans.empty());
}

TEST_CASE("llama.cpp RPC: remote devices first, layers by free memory, the head keeps token_embd and the output",
          "[cluster]") {
  LoadResult loaded = parse_yaml("c.yaml", config("  preferred_format: GGUF\n  quantization: Q8_0\n",
                                                  "llama-3.3-70b-instruct", "{engine: llama.cpp-rpc}"));
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  REQUIRE(a.cluster_plans.size() == 1);
  const ClusterPlan& p = a.cluster_plans[0];
  CHECK(p.cannot.empty());
  REQUIRE(p.devices == std::vector<std::string>{"h1:metal", "h0:metal"});
  // Equal wired limits: split at 0.5 of 81 (80 layers + output): layers 0-40 on the remote h1, 41-79
  // and the output on h0.
  CHECK(p.tensor_split == std::vector<double>{41, 40});
  CHECK(p.hosts[1].first_layer == 0);
  CHECK(p.hosts[1].layers == 41);
  CHECK(p.hosts[0].first_layer == 41);
  CHECK(p.hosts[0].layers == 39);
  CHECK(p.hosts[0].output);
  CHECK(p.hosts[0].embeddings);
  CHECK_FALSE(p.hosts[1].output);
  // Every byte of the single-host estimate's weights and KV lands on some host.
  double weights = 0, kv = 0;
  for (const auto& h : p.hosts)
    for (const auto& d : h.devices) {
      weights += d.weights_bytes;
      kv += d.kv_cache_bytes;
    }
  const RouteAnalysis* ra = a.route("r");
  REQUIRE(ra->memory);
  CHECK(weights == Approx(ra->memory->weights_bytes).epsilon(1e-9));
  CHECK(kv == Approx(ra->memory->kv_bytes).epsilon(1e-9));
  // token_embd (128256 x 8192 at Q8_0, 34 bytes per 32) is in the head's host memory.
  const DeviceMemory& host = p.hosts[0].devices.back();
  CHECK(host.device == "host");
  CHECK(host.weights_bytes / kGiBytes == Approx(1.04).margin(0.01));
  // The hidden state crosses once (h0's embeddings -> h1 -> h0), f32; the output is on the head.
  CHECK(p.speed.link_messages_per_token == 2);
  CHECK(p.speed.link_bytes_per_token == 2 * 8192 * 4.0);
}

TEST_CASE("llama.cpp RPC: a tensor_split of the wrong length cannot be made", "[cluster]") {
  LoadResult loaded = parse_yaml("c.yaml", config("  preferred_format: GGUF\n  quantization: Q4_K_M\n",
                                                  "llama-3.3-70b-instruct", "{engine: llama.cpp-rpc, tensor_split: [1, 1, 1]}"));
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  REQUIRE(a.cluster_plans.size() == 1);
  REQUIRE(a.cluster_plans[0].cannot.size() == 1);
  CHECK(a.cluster_plans[0].cannot[0] == "tensor_split has 3 proportions for 2 devices (llama.cpp reads one per device, "
                                        "the remote ones first)");
}

TEST_CASE("mlx-lm tensor parallelism: every host holds the embeddings and lm_head and half of each layer", "[cluster]") {
  LoadResult loaded = parse_yaml("c.yaml", config("  preferred_format: MLX\n  quantization: 4bit\n",
                                                  "llama-3.3-70b-instruct", "{engine: mlx-distributed, mode: tensor}"));
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  REQUIRE(a.cluster_plans.size() == 1);
  const ClusterPlan& p = a.cluster_plans[0];
  CHECK(p.cannot.empty());
  const RouteAnalysis* ra = a.route("r");
  REQUIRE(ra->memory);
  const double w0 = p.hosts[0].devices[0].weights_bytes, w1 = p.hosts[1].devices[0].weights_bytes;
  CHECK(w0 == Approx(w1));
  // Half of everything plus half of the embeddings and lm_head, which are not cut: each of them
  // 128256 x 8192 at 4.5 bits = 0.550 GiB, so a host holds 0.550 GiB over half the weights.
  CHECK((w0 - ra->memory->weights_bytes / 2) / kGiBytes == Approx(0.550).margin(0.002));
  CHECK(p.hosts[0].devices[0].kv_cache_bytes == Approx(ra->memory->kv_bytes / 2));
  CHECK(p.speed.link_messages_per_token == 80 * 2 * 2);
}

TEST_CASE("plan --format json carries the cluster only when the config has one", "[cluster]") {
  LoadResult loaded = parse_yaml("c.yaml", config("  preferred_format: GGUF\n  quantization: Q8_0\n",
                                                  "llama-3.3-70b-instruct", "{engine: llama.cpp-rpc}"));
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  std::ostringstream out;
  render_plan_json(out, "c.yaml", a);
  CHECK(out.str().find("\"cluster\": {") != std::string::npos);
  CHECK(out.str().find("\"tensor_split\": [\n          41.0,\n          40.0\n        ]") != std::string::npos);
}

TEST_CASE("exo: layers in proportion to RAM, largest remainder, at least one each", "[cluster]") {
  // 80 layers over 64 and 32: 53.33 and 26.67 -> 53 and 26, the one left to the larger remainder.
  CHECK(exo_layers(80, {64, 32}) == std::vector<int>{53, 27});
  CHECK(exo_layers(80, {1, 1}) == std::vector<int>{40, 40});
  // 3 layers over 1000:1:1: 2.994, 0.003, 0.003 -> 2 + 1 by remainder = 3, 0, 0; then one each from the largest.
  CHECK(exo_layers(3, {1000, 1, 1}) == std::vector<int>{1, 1, 1});
  CHECK(exo_layers(1, {1, 1}).empty());  // fewer layers than nodes: exo raises
}

TEST_CASE("exo pipeline: consecutive layers by each host's budget, the KV cache counted", "[cluster]") {
  LoadResult loaded = parse_yaml("c.yaml", R"(hardware: &big {total_ram_gb: 64, architecture: apple_silicon, chip: M2 Max}
inference: {preferred_format: MLX, quantization: 4bit, max_context_tokens: 8192}
routing:
  r: {model: llama-3.3-70b-instruct}
cluster:
  hosts:
    - {name: big, hardware: *big}
    - {name: small, hardware: {total_ram_gb: 32, architecture: apple_silicon, chip: M2 Max}}
  routes:
    r: {engine: exo}
)");
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  REQUIRE(a.cluster_plans.size() == 1);
  const ClusterPlan& p = a.cluster_plans[0];
  CHECK(p.cannot.empty());
  CHECK(p.hosts[0].first_layer == 0);
  CHECK(p.hosts[0].layers == 53);
  CHECK(p.hosts[1].first_layer == 53);
  CHECK(p.hosts[1].layers == 27);
  CHECK(p.hosts[0].devices[0].kv_cache_bytes > p.hosts[1].devices[0].kv_cache_bytes);
}

TEST_CASE("llama.cpp RPC over a Mac and a two-GPU Linux box: each GPU a device, each held to its VRAM", "[cluster]") {
  LoadResult loaded = parse_yaml("c.yaml", planner::testing::kMacAndTwoGpuBox);
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  REQUIRE(a.cluster_plans.size() == 1);
  const ClusterPlan& p = a.cluster_plans[0];
  CHECK(p.devices == std::vector<std::string>{"box:gpu0", "box:gpu1", "mac:metal"});
  // Free memory 24 GiB less the 598 MiB CUDA context twice, and the Mac's 48 GiB wired limit.
  CHECK(p.tensor_split == std::vector<double>{21, 20, 40});
  const auto limits = host_limits(p.hosts[1]);
  REQUIRE(limits.size() == 3);
  CHECK(limits[0].what == "model budget");
  CHECK(limits[0].bytes / kGiBytes == Approx(0.1953).margin(0.001));  // rpc-server's process only: the GPUs hold the rest
  CHECK(limits[1].what == "gpu0 VRAM");
  CHECK(limits[2].what == "gpu1 VRAM");
  CHECK(limits[1].limit == 24 * kGiBytes);
}

TEST_CASE("vLLM on Ray: a stage per host, the stage over the host's GPUs, one -tp for all", "[cluster]") {
  const std::string head = R"(hardware: &box {total_ram_gb: 128, architecture: linux_nvidia, gpus: [{chip: RTX 4090}, {chip: RTX 4090}]}
inference: {preferred_format: GGUF, quantization: bf16, max_context_tokens: 8192}
routing:
  r: {model: qwen2.5-32b-instruct, format: safetensors}
cluster:
  hosts:
    - {name: a, hardware: *box}
)";
  SECTION("two hosts of two GPUs: -tp 2 -pp 2, 64 layers as 32 and 32, embeddings first, output last") {
    LoadResult loaded = parse_yaml("c.yaml", head + "    - {name: b, hardware: *box}\n  routes:\n    r: {engine: vllm-ray}\n");
    REQUIRE(loaded.ok());
    const Analysis a = analyze(loaded.doc);
    REQUIRE(a.cluster_plans.size() == 1);
    const ClusterPlan& p = a.cluster_plans[0];
    CHECK(p.cannot.empty());
    CHECK(p.tensor_split == std::vector<double>{2, 2});
    CHECK(p.hosts[0].layers == 32);
    CHECK(p.hosts[1].first_layer == 32);
    CHECK(p.hosts[0].embeddings);
    CHECK_FALSE(p.hosts[0].output);
    CHECK(p.hosts[1].output);
    REQUIRE(p.hosts[0].devices.size() == 2);
    const auto limits = host_limits(p.hosts[0]);
    REQUIRE(limits.size() == 3);
    CHECK(limits[1].what == "gpu0 VRAM x 0.92 (gpu_memory_utilization)");
  }
  SECTION("hosts with different GPU counts cannot share one --tensor-parallel-size") {
    LoadResult loaded = parse_yaml("c.yaml", head + "    - {name: b, hardware: {total_ram_gb: 64, architecture: linux_nvidia, gpus: [{chip: RTX 4090}]}}\n"
                                                    "  routes:\n    r: {engine: vllm-ray}\n");
    REQUIRE(loaded.ok());
    const Analysis a = analyze(loaded.doc);
    REQUIRE(a.cluster_plans.size() == 1);
    REQUIRE(a.cluster_plans[0].cannot.size() == 1);
    CHECK(a.cluster_plans[0].cannot[0] == "hosts with 2 and 1 GPUs: vLLM runs one --tensor-parallel-size on every stage");
  }
}
