#pragma once
// Everything the rules read, built once per file by the check pipeline: the document, the typed
// config, each route resolved and estimated, the budget, and the data tables.
#include <optional>
#include <vector>

#include "estimate/budget.h"
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
  // The GPU's entry on a discrete GPU, the unified one on a Mac; nullptr otherwise.
  const DeviceMemory* gpu_device() const;
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
  const ChipInfo* chip = nullptr;  // hardware.chip resolved: the entry matched or assumed, or nullptr
  std::vector<RouteAnalysis> routes;

  const RouteAnalysis* route(std::string_view name) const;
};

// Builds the analysis of a loaded document (the document must outlive it).
Analysis analyze(const Document& doc, const Catalog& catalog = Catalog::builtin(),
                 const QuantTables& quant = QuantTables::builtin(),
                 const HardwareTables& hardware = HardwareTables::builtin());

}  // namespace planner
