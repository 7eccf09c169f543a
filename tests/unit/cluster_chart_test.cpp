// What issue 15's last items added on top of the cluster estimate: the plan chart's bar per host
// and limit (render/plan_chart_cluster.cpp), each Mac host's own wired-limit sysctl in `launch`
// (launch/cluster_launch.cpp), and the summed budget `init --host` ranks candidates on
// (select/cluster_context.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "estimate/analysis.h"
#include "estimate/cluster.h"
#include "launch/cluster_launch.h"
#include "load/document.h"
#include "render/plan_chart.h"
#include "select/select.h"
#include "support/cluster_configs.h"
#include "support/launch_plan.h"

namespace {

using namespace planner;

constexpr double kGiBytes = 1024.0 * 1024.0 * 1024.0;

using planner::testing::kMacAndTwoGpuBox;

}  // namespace

TEST_CASE("plan chart: one section per host and limit, its one bar what that limit holds", "[cluster][chart]") {
  LoadResult loaded = parse_yaml("c.yaml", kMacAndTwoGpuBox);
  REQUIRE(loaded.ok());
  const Analysis a = analyze(loaded.doc);
  REQUIRE(a.cluster_plans.size() == 1);
  const PlanChart chart = plan_chart(a);
  REQUIRE(chart.clusters.size() == 1);
  const ClusterChart& c = chart.clusters[0];
  CHECK(c.title == "cluster route 'r': llama.cpp RPC over 2 hosts");
  // The Mac: model budget and wired limit; the box: model budget, gpu0 and gpu1 VRAM.
  REQUIRE(c.sections.size() == 5);
  std::size_t i = 0;
  for (const auto& h : a.cluster_plans[0].hosts)
    for (const HostLimit& l : host_limits(h)) {
      const ChartSection& s = c.sections[i++];
      CHECK(s.title == h.host->name + ": " + l.what);
      REQUIRE(s.rows.size() == 1);
      const ChartRow& row = s.rows[0];
      CHECK(row.host == h.host->name);
      // The bar adds up the devices the limit counts, to the byte host_limits gives.
      CHECK(row.total() == Approx(l.bytes));
      REQUIRE(s.tightest());
      // The line's label leaves out the device the title names: "gpu0 VRAM" is "VRAM".
      CHECK(s.tightest()->name == (l.what.rfind("gpu", 0) == 0 ? l.what.substr(5) : l.what));
      CHECK(s.tightest()->bytes == l.limit);
      CHECK(row.over_bytes == Approx(std::max(0.0, l.bytes - l.limit)));
    }
  CHECK(c.sections[0].rows[0].devices == "metal + host");
  CHECK(c.sections[1].rows[0].devices == "metal");
  CHECK(c.sections[3].rows[0].devices == "gpu0");
  // A model budget's section also has the host's RAM, the OS reserve between them.
  REQUIRE(c.sections[2].limits.size() == 2);
  CHECK(c.sections[2].limits[1].name == "RAM");
  CHECK(c.sections[2].limits[1].bytes == 32 * kGiBytes);
  CHECK(c.sections[2].reserve_from == Approx(32 * kGiBytes * 0.78));
  CHECK(cluster_verdict(a, "r") == "split over the cluster: every host fits");
  CHECK(cluster_verdict(a, "nope").empty());
}

TEST_CASE("launch: each Mac host its own wired limit, none for the whole model at the top", "[cluster][launch]") {
  SECTION("a limit the hardware raises: that host's figure") {
    auto p = plan_of(R"(hardware: &mac {total_ram_gb: 64, architecture: apple_silicon, chip: M2 Max, gpu_wired_limit_gb: 56}
inference: {preferred_format: GGUF, quantization: Q8_0, max_context_tokens: 32768}
routing:
  general: {model: llama-3.3-70b-instruct}
cluster:
  hosts:
    - {name: a, address: 10.0.0.1, hardware: *mac}
    - {name: b, address: 10.0.0.2, hardware: {total_ram_gb: 96, architecture: apple_silicon, chip: M2 Max}}
  routes:
    general: {engine: llama.cpp-rpc}
)");
    CHECK_FALSE(p->plan.wired_limit);  // every route is split: no top-level line
    const auto launches = plan_cluster_launch(p->analysis, p->plan);
    REQUIRE(launches.size() == 1);
    REQUIRE(launches[0].hosts.size() == 2);
    const HostSteps& worker = launches[0].hosts[0];
    const HostSteps& head = launches[0].hosts[1];
    REQUIRE(head.host == "a");
    REQUIRE(head.wired_limit);
    CHECK(render_step(*head.wired_limit) == "sudo sysctl iogpu.wired_limit_mb=57344");
    // b: 96 GB, macOS's default 72 GiB (3/4), its share ~40 GiB under it: nothing to raise.
    CHECK(worker.host == "b");
    CHECK_FALSE(worker.wired_limit);
  }
  SECTION("a share over macOS's default: the host's RAM less its OS reserve") {
    // Two 32 GB Macs: the default limit is 2/3 of RAM, 21.33 GiB; at 16K each holds more.
    auto p = plan_of(R"(hardware: &mac {total_ram_gb: 32, architecture: apple_silicon, chip: M2 Max}
inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 16384}
routing:
  general: {model: llama-3.3-70b-instruct}
cluster:
  hosts:
    - {name: a, hardware: *mac}
    - {name: b, hardware: *mac}
  routes:
    general: {engine: llama.cpp-rpc}
)");
    const auto launches = plan_cluster_launch(p->analysis, p->plan);
    REQUIRE(launches.size() == 1);
    for (const auto& h : p->analysis.cluster_plans[0].hosts) {
      double gpu = 0;
      for (const auto& l : host_limits(h))
        if (l.what == "GPU wired limit") gpu = l.bytes;
      REQUIRE(gpu > 32 * kGiBytes * 2 / 3);
    }
    for (const auto& hs : launches[0].hosts) {
      REQUIRE(hs.wired_limit);
      // floor(32 x 0.78 x 1024) MiB
      CHECK(render_step(*hs.wired_limit) == "sudo sysctl iogpu.wired_limit_mb=25559");
      CHECK(hs.wired_limit->purpose.find("its share of route 'general' needs up to") == 0);
    }
  }
}

TEST_CASE("init --host ranks candidates on the hosts' budgets added up", "[cluster][select]") {
  Machine mac;
  mac.ram_gib = 64;
  mac.architecture = "apple_silicon";
  mac.chip = "M2 Max";
  Machine box;
  box.ram_gib = 64;
  box.architecture = "linux_nvidia";
  box.chip = "RTX 4090";
  box.gpu_vram_gib = 23.99;
  const SelectContext both = make_cluster_select_context({mac, box}, {});
  const Budget one = machine_budget(mac);
  CHECK(both.machine.chip == "M2 Max");  // the head's machine: the config's top level
  CHECK(both.budget.model_budget_bytes == Approx(2 * one.model_budget_bytes));
  CHECK(both.budget.kv_reserve_bytes == Approx(2 * one.kv_reserve_bytes));
  // What each lends the split: the Mac its 48 GiB default wired limit, the box its VRAM.
  REQUIRE(both.budget.gpu_limit_bytes);
  CHECK(*both.budget.gpu_limit_bytes == Approx(48 * kGiBytes + 23.99 * kGiBytes));
  CHECK_FALSE(both.budget.unified_memory);
  const SelectContext macs = make_cluster_select_context({mac, mac}, {});
  CHECK(macs.budget.unified_memory);
  CHECK(*macs.budget.gpu_limit_bytes == Approx(2 * 48 * kGiBytes));
}
