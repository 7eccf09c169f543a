#pragma once
// Everything the rules read, built once per file by the check pipeline: the document, the typed
// config, each route resolved and estimated, the budget, and the data tables.
#include <optional>
#include <string>
#include <vector>

#include "estimate/budget.h"
#include "estimate/cluster.h"
#include "estimate/devices.h"
#include "estimate/memory.h"
#include "estimate/speed.h"
#include "load/document.h"
#include "resolve/catalog.h"
#include "resolve/config.h"
#include "resolve/hardware.h"
#include "resolve/quant.h"
#include "resolve/routes.h"

namespace planner {

struct RouteAnalysis {
  const ResolvedRoute* route = nullptr;
  std::optional<MemoryEstimate> memory;  // absent when the model or quantization is unknown
  std::optional<SpeedEstimate> speed;    // when hardware.chip names a known chip
  // Where the memory lives (estimate/devices.h): one entry on a Mac or a CPU, gpu0 and host on a
  // discrete GPU; empty when `memory` is.
  std::vector<DeviceMemory> devices;
  // The GPU's entry on a discrete GPU (gpu0, the first of several), the unified one on a Mac;
  // nullptr otherwise.
  const DeviceMemory* gpu_device() const;
};

// What a route puts on one GPU, against that GPU's limit: a discrete GPU's VRAM, a Mac's wired
// limit. Analysis::gpu_loads() gives one per GPU.
struct GpuLoad {
  std::string device;           // "gpu0", "gpu1", "unified"
  double bytes = 0;             // weights, KV cache, state, buffers and context on it
  std::optional<double> limit;  // nullopt: not known
  std::string basis;            // where the limit comes from
  std::optional<double> headroom() const { return limit ? std::optional<double>(*limit - bytes) : std::nullopt; }
  bool over() const { return limit && bytes > *limit; }
};

struct Analysis {
  // Routes and estimates point into config and resolution: moving keeps them valid, copying not.
  Analysis() = default;
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;
  Analysis(Analysis&&) = default;
  Analysis& operator=(Analysis&&) = default;

  const Document* doc = nullptr;
  const Catalog* catalog = nullptr;
  const QuantTables* quant = nullptr;
  const HardwareTables* hardware = nullptr;
  Config config;
  Resolution resolution;
  Budget budget;
  Placement placement = Placement::discrete_gpu;  // from hardware.architecture
  ChipMatch chip_match;            // hardware.chip against data/hardware.yaml (LI060, LI061)
  // hardware.chip resolved: the entry matched or assumed, else the first of hardware.gpus; or nullptr
  const ChipInfo* chip = nullptr;
  std::vector<ChipMatch> gpu_matches;  // each hardware.gpus entry's chip (status unknown when none given)
  std::vector<RouteAnalysis> routes;
  // cluster: (resolve/cluster.h) and each route it serves split over its hosts; empty without one.
  ClusterConfig cluster;
  std::vector<ClusterPlan> cluster_plans;
  const ClusterPlan* cluster_plan(std::string_view route) const;

  const RouteAnalysis* route(std::string_view name) const;
  // What `ra` puts on each GPU against its limit, in device order: every discrete GPU (with its
  // VRAM where known), or a Mac's unified memory; empty on architecture cpu and without an estimate.
  std::vector<GpuLoad> gpu_loads(const RouteAnalysis& ra) const;
  // The same for a split computed otherwise (a fix trying other serving settings).
  std::vector<GpuLoad> gpu_loads(const std::vector<DeviceMemory>& devices, double total) const;
  // What `ra` holds in host RAM: all of it on a Mac or without a GPU; on discrete GPUs the host's
  // entry (weights left on the host, host buffers, the process), and 0 for an engine planner puts
  // wholly on the GPUs (vLLM: its host memory is not estimated).
  double ram_bytes(const RouteAnalysis& ra) const;
  // The discrete GPUs' VRAM as the estimate splits over them (budget.gpus).
  GpuVram gpu_vram() const;
};

// The GPU of `loads` with the least headroom (the first over its limit decides a fit); nullptr
// when none has a known limit.
const GpuLoad* tightest(const std::vector<GpuLoad>& loads);

// Builds the analysis of a loaded document (the document must outlive it).
Analysis analyze(const Document& doc, const Catalog& catalog = Catalog::builtin(),
                 const QuantTables& quant = QuantTables::builtin(),
                 const HardwareTables& hardware = HardwareTables::builtin());

}  // namespace planner
