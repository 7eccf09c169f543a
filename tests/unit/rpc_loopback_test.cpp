// planner's llama.cpp RPC split against two CPU rpc-servers measured on loopback
// (tests/data/llama-cpp-rpc-loopback.json, written by bench/accuracy/collect_rpc.py from
// bench/accuracy/logs/rpc-loopback/; bench/accuracy/README.md, "llama.cpp RPC on loopback"). Each case
// is planned from the cluster config it ran (bench/accuracy/rpc_table.py writes the same one): each
// rpc-server's layers, weights and KV cache as llama-server's buffer lines, its compute buffer, and
// the host total within the 5 % of the measured one (buffers + the process's idle VmRSS).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "estimate/analysis.h"
#include "estimate/cluster.h"
#include "load/document.h"

namespace {

using nlohmann::json;
using namespace planner;

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kPrinted = 0.005;  // llama.cpp prints MiB with 2 decimals

const json& data() {
  static const json d = [] {
    std::ifstream in(std::string(PLANNER_SOURCE_DIR) + "/tests/data/llama-cpp-rpc-loopback.json");
    REQUIRE(in);
    return json::parse(in);
  }();
  return d;
}

// The config the case ran: a CPU head and two CPU rpc-servers of the measured RAM, -ts as tensor_split.
std::string config_of(const json& c) {
  std::ostringstream o;
  std::string ts;
  const auto& f = c.at("flags");
  for (std::size_t i = 0; i + 1 < f.size(); ++i)
    if (f[i].get<std::string>() == "-ts") {
      ts = f[i + 1].get<std::string>();
      for (auto& ch : ts)
        if (ch == ',') ch = ' ';
    }
  std::string split;
  if (!ts.empty()) {
    std::istringstream in(ts);
    std::string a, b;
    in >> a >> b;
    split = ", tensor_split: [" + a + ", " + b + "]";
  }
  o << "hardware: &box\n  total_ram_gb: " << data().at("machine").at("ram_bytes").get<double>() / 1e9
    << "\n  architecture: cpu\ninference:\n  preferred_format: GGUF\n  quantization: Q4_K_M\n  max_context_tokens: "
    << c.at("context").get<long long>() << "\nrouting:\n  chat:\n    model: " << c.at("model").get<std::string>()
    << "\n    parallel: 1\n    flash_attention: " << (c.at("flash_attn").get<bool>() ? "on" : "off")
    << "\ncluster:\n  hosts:\n    - {name: head, address: 127.0.0.1, hardware: *box}\n"
    << "    - {name: rpc0, address: 127.0.0.1, port: " << c.at("rpc").at("rpc0").at("port").get<int>()
    << ", hardware: *box}\n    - {name: rpc1, address: 127.0.0.1, port: " << c.at("rpc").at("rpc1").at("port").get<int>()
    << ", hardware: *box}\n  link: 100gbe\n  routes:\n    chat: {engine: llama.cpp-rpc" << split << "}\n";
  return o.str();
}

double sum(const ClusterHostLoad& h, double DeviceMemory::*part) {
  double t = 0;
  for (const auto& d : h.devices) t += d.*part;
  return t;
}

}  // namespace

TEST_CASE("RPC loopback: every case loaded through both servers with flash attention", "[rpc_loopback]") {
  const auto& cases = data().at("cases");
  REQUIRE(cases.size() == 12);
  for (const auto& c : cases) {
    INFO(c.at("case").get<std::string>());
    CHECK(c.at("flash_attn").get<bool>());
    for (const char* s : {"rpc0", "rpc1"}) {
      CHECK(c.at("rpc").at(s).at("model_mib").get<double>() > 0);
      CHECK(c.at("rpc").at(s).at("kv_mib").get<double>() > 0);
    }
  }
}

TEST_CASE("RPC loopback: planner's per-host split against each rpc-server", "[rpc_loopback]") {
  double worst = 0;
  for (const auto& c : data().at("cases")) {
    const std::string name = c.at("case").get<std::string>();
    INFO(name);
    LoadResult loaded = parse_yaml("case.yaml", config_of(c));
    REQUIRE(loaded.ok());
    const Analysis a = analyze(loaded.doc);
    REQUIRE(a.cluster_plans.size() == 1);
    const ClusterPlan& p = a.cluster_plans[0];
    CHECK(p.cannot.empty());
    REQUIRE(p.devices == std::vector<std::string>{"rpc0:cpu", "rpc1:cpu"});
    for (std::size_t i = 1; i <= 2; ++i) {
      const ClusterHostLoad& h = p.hosts[i];
      const json& s = c.at("rpc").at(h.host->name);
      INFO(h.host->name);
      // The layers landed where llama.cpp put them: the KV cache per server to the printed MiB.
      CHECK(sum(h, &DeviceMemory::kv_cache_bytes) / kMiB == Approx(s.at("kv_mib").get<double>()).margin(kPrinted));
      // Weights per layer from planner's Q4_K_M recipe: exact but for Phi-3, 0.15 % and 0.46 % off.
      CHECK(sum(h, &DeviceMemory::weights_bytes) / kMiB ==
            Approx(s.at("model_mib").get<double>()).epsilon(0.0047));
      // Compute buffer: the CUDA formula, 4 copies of the masks, 4 more f32 activations (to 6.1 MiB).
      CHECK(sum(h, &DeviceMemory::compute_bytes) / kMiB == Approx(s.at("compute_mib").get<double>()).margin(6.1));
      const double measured = s.at("model_mib").get<double>() + s.at("kv_mib").get<double>() +
                              s.at("compute_mib").get<double>() + s.at("vmrss_idle_kib").get<double>() / 1024;
      const double err = std::abs(h.total() / kMiB - measured) / measured;
      worst = std::max(worst, err);
      CHECK(err <= 0.05);  // issue 15's goal
    }
    // The head keeps token_embd (CPU_Mapped) and its compute buffer with the 4 mask copies (and
    // the output buffer); llama.cpp's is 0.05 to 0.09 MiB more (small graph inputs not modelled).
    const ClusterHostLoad& head = p.hosts[0];
    REQUIRE(head.devices.size() == 1);
    CHECK(head.devices[0].weights_bytes / kMiB ==
          Approx(c.at("head").at("cpu_mapped_mib").get<double>()).margin(kPrinted));
    CHECK(head.devices[0].compute_bytes / kMiB ==
          Approx(c.at("head").at("cpu_compute_mib").get<double>() + c.at("head").at("output_mib").get<double>())
              .margin(0.1));
  }
  // What bench/accuracy/rpc_table.py prints: 0.58 % at worst (Phi-3 at 4K, rpc1).
  CHECK(worst < 0.006);
}

TEST_CASE("RPC loopback: rpc-server's process is its idle VmRSS, not llama-server's", "[rpc_loopback]") {
  const json& c = data().at("cases").at(0);
  LoadResult loaded = parse_yaml("case.yaml", config_of(c));
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  REQUIRE(a.cluster_plans.size() == 1);
  const ClusterHostLoad& w = a.cluster_plans[0].hosts[1];
  REQUIRE(w.devices.back().device == "host");
  CHECK(w.devices.back().runtime_bytes / kMiB == Approx(6.0));
  for (const auto& x : data().at("cases"))
    for (const char* s : {"rpc0", "rpc1"})
      CHECK(x.at("rpc").at(s).at("vmrss_idle_kib").get<double>() / 1024 == Approx(6.0).margin(0.25));
}
