#include "estimate/analysis.h"

#include <filesystem>
#include <map>
#include <tuple>

#include "core/text.h"

namespace planner {

const RouteAnalysis* Analysis::route(std::string_view name) const {
  const std::size_t i = resolution.route_at(name);  // routes follows resolution.routes one to one
  return i < routes.size() ? &routes[i] : nullptr;
}

const ClusterPlan* Analysis::cluster_plan(std::string_view name) const {
  for (const auto& p : cluster_plans)
    if (p.route && p.route->cfg && p.route->cfg->name == name) return &p;
  return nullptr;
}

const DeviceMemory* RouteAnalysis::gpu_device() const {
  for (const auto& d : devices)
    if (d.device == "gpu0" || d.device == "unified") return &d;
  return nullptr;
}

std::vector<GpuLoad> Analysis::gpu_loads(const std::vector<DeviceMemory>& devices, double total) const {
  std::vector<GpuLoad> out;
  if (placement == Placement::unified) {
    out.push_back({"unified", total, budget.gpu_limit_bytes, budget.gpu_limit_basis});
  } else if (placement == Placement::discrete_gpu) {
    // One entry per GPU of the split (an engine planner does not split puts all on gpu0).
    for (std::size_t i = 0; i < devices.size(); ++i) {
      const DeviceMemory& d = devices[i];
      if (d.device.rfind("gpu", 0) != 0) continue;
      GpuLoad g{d.device, d.total(), std::nullopt, ""};
      if (i < budget.gpus.size()) {
        g.limit = budget.gpus[i].vram_bytes;
        g.basis = budget.gpus[i].basis;
      }
      out.push_back(std::move(g));
    }
  }
  return out;
}

std::vector<GpuLoad> Analysis::gpu_loads(const RouteAnalysis& ra) const {
  if (!ra.memory) return {};
  return gpu_loads(ra.devices, ra.memory->total());
}

double Analysis::ram_bytes(const RouteAnalysis& ra) const {
  if (!ra.memory) return 0;
  if (placement != Placement::discrete_gpu) return ra.memory->total();
  double host = 0;
  for (const auto& d : ra.devices)
    if (d.device == "host") host += d.total();
  return host;
}

GpuVram Analysis::gpu_vram() const {
  GpuVram v;
  for (const auto& g : budget.gpus) v.push_back(g.vram_bytes);
  return v;
}

const GpuLoad* tightest(const std::vector<GpuLoad>& loads) {
  const GpuLoad* best = nullptr;
  for (const auto& g : loads)
    if (g.limit && (!best || *g.headroom() < *best->headroom())) best = &g;
  return best;
}

namespace {

Placement placement_of(const Config& c) {
  if (c.apple_silicon()) return Placement::unified;
  if (c.architecture && c.architecture->value == "cpu") return Placement::host_only;
  return Placement::discrete_gpu;  // linux_nvidia, windows_nvidia, linux_amd, windows_amd
}

}  // namespace

Analysis analyze(const Document& doc, const Catalog& catalog, const QuantTables& quant, const HardwareTables& hw) {
  Analysis a;
  a.doc = &doc;
  a.catalog = &catalog;
  a.quant = &quant;
  a.hardware = &hw;
  a.config = read_config(doc);
  const std::string base_dir = std::filesystem::path(doc.path).parent_path().string();
  a.resolution = resolve_routes(a.config, catalog, quant, base_dir.empty() ? "." : base_dir);
  a.budget = compute_budget(a.config, hw);
  a.placement = placement_of(a.config);
  // An engine that picks the context itself (Ollama: by the GPU memory it sees, which is the
  // budget's GPU limit: VRAM, or a Mac's recommendedMaxWorkingSetSize) runs a route that states
  // none at its own context, not at planner's default; a Modelfile's num_ctx (a local model) wins.
  for (auto& r : a.resolution.routes)
    if (r.model && !r.context_node && !(r.local && r.local->num_ctx))
      if (const long long c = engine_default_context(*r.runtime, a.budget.gpu_limit_bytes.value_or(0), r.model->context_trained); c > 0)
        r.context = c;
  // vLLM takes a fraction of the GPU it runs on, and its batch defaults depend on that GPU: it is
  // sized on the budget's GPU (VRAM on a discrete GPU; none known: estimate/vllm_memory.cpp says so).
  for (auto& r : a.resolution.routes)
    if (r.rules && r.rules->overhead.compute == ComputeBuffer::vllm_profile && a.placement == Placement::discrete_gpu) {
      // One GPU's memory: the first of hardware.gpus (vLLM's tensor-parallel GPUs are alike), else
      // the one GPU's; gpu_limit_bytes is their sum when there are several.
      r.serving.gpu_total_bytes = a.budget.gpus.empty() ? a.budget.gpu_limit_bytes.value_or(0)
                                                        : a.budget.gpus.front().vram_bytes.value_or(0);
      r.serving.gpu_is_a100 = a.config.chip && to_lower(a.config.chip->value).find("a100") != std::string::npos;
    }
  if (a.config.chip) {
    std::optional<double> ram, vram;
    if (a.config.total_ram_gb) ram = a.config.total_ram_gb->value;
    if (a.config.gpu_vram_gb) vram = a.config.gpu_vram_gb->value;
    a.chip_match = hw.match(a.config.chip->value, ram, vram);
    a.chip = a.chip_match.chip;
  }
  for (const auto& g : a.config.gpus) {
    ChipMatch m;
    if (g.chip) m = hw.match(g.chip->value, std::nullopt, g.vram_gb ? std::optional<double>(g.vram_gb->value) : std::nullopt);
    a.gpu_matches.push_back(std::move(m));
  }
  // Without hardware.chip, the tokens/s estimate is the first GPU's: a layer split runs the
  // layers one GPU after the other, each at its own bandwidth (the same for GPUs of one kind).
  if (!a.config.chip && !a.gpu_matches.empty() && a.placement == Placement::discrete_gpu) a.chip = a.gpu_matches[0].chip;
  const GpuVram gpus = a.gpu_vram();
  // Routes that serve the same model the same way share one estimate: sizing a GGUF recipe walks
  // every tensor (about 1 ms), and a file may hold 24,000 routes naming one model.
  using Key = std::tuple<const ModelInfo*, std::string, std::string, const Runtime*, long long, int, bool, int, int,
                         double, double, bool, std::vector<double>, SplitMode, int, int, double, double, bool>;
  struct Estimated {
    std::optional<MemoryEstimate> memory;
    std::optional<SpeedEstimate> speed;
    std::vector<DeviceMemory> devices;
  };
  std::map<Key, Estimated> estimated;
  for (const auto& r : a.resolution.routes) {
    RouteAnalysis ra;
    ra.route = &r;
    if (r.model && r.quant.known && r.context > 0) {
      const Serving& s = r.serving;
      Key key{r.model,   r.quant.label,     r.quant.gguf_recipe, r.runtime,
              r.context, s.slots,           s.kv_unified,        s.gpu_layers,
              s.cpu_moe_layers, s.k_bytes_per_element, s.v_bytes_per_element, s.flash_attention,
              s.tensor_split, s.split_mode, s.main_gpu, s.tensor_parallel, s.gpu_memory_utilization,
              s.gpu_total_bytes, s.gpu_is_a100};
      auto it = estimated.find(key);
      if (it == estimated.end()) {
        std::optional<MemoryEstimate> memory =
            estimate_memory(*r.model, r.quant, *r.rules, r.context, r.serving);
        if (r.file) memory->weights_bytes = static_cast<double>(r.file->weights_bytes);  // exact
        std::optional<SpeedEstimate> speed;
        if (a.chip) speed = estimate_decode_speed(*r.model, r.quant, *memory, *a.chip, hw);
        std::vector<DeviceMemory> devices =
            memory_by_device(*r.model, r.quant, *r.rules, r.serving, r.context, *memory, a.placement, gpus);
        it = estimated.emplace(std::move(key), Estimated{std::move(memory), std::move(speed), std::move(devices)}).first;
      }
      ra.memory = it->second.memory;
      ra.speed = it->second.speed;
      ra.devices = it->second.devices;
    }
    a.routes.push_back(ra);
  }
  a.cluster = read_cluster(doc, a.config);
  if (a.cluster.present()) {
    std::vector<std::optional<MemoryEstimate>> memory;
    for (const auto& ra : a.routes) memory.push_back(ra.memory);
    a.cluster_plans = plan_cluster(a.cluster, a.resolution, memory, hw);
  }
  return a;
}

}  // namespace planner
