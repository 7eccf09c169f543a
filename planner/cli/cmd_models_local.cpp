// `planner models --local`: every model the local stores hold, read like a route's model file
// (headers only), at the route defaults (context 4096, or Ollama's num_ctx; f16 KV cache) unless
// --context / --kv-type say otherwise, against this machine (detected) or the one --ram/--arch give.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/models_local.h"
#include "core/json_text.h"
#include "core/text.h"
#include "detect/detect.h"
#include "estimate/memory.h"
#include "modelfile/load_model.h"
#include "resolve/local_model.h"
#include "resolve/routes.h"
#include "select/machine.h"

namespace planner::cli {

namespace {

struct Row {
  const LocalModel* found = nullptr;
  std::optional<ModelFileInfo> info;
  std::string error;
  long long context = 0;
  std::optional<MemoryEstimate> memory;
  std::string verdict;  // "fits", "over the model budget", "over the GPU limit", "" (no machine)
};

std::string verdict_of(double total, const Budget& b) {
  if (total > b.model_budget_bytes) return "over the model budget";
  if (b.gpu_limit_bytes && total > *b.gpu_limit_bytes) return "over the GPU limit";
  return "fits";
}

}  // namespace

int run_models_local(const ModelsLocalArgs& a) {
  const QuantTables& tables = QuantTables::builtin();
  const KvCacheType* kv = tables.kv_type(a.machine.kv_type);
  if (!kv) {
    std::cerr << fmt::format("planner: error: unknown KV cache type '{}'\n", shown_value(a.machine.kv_type));
    return kExitUsage;
  }
  // The machine: as given, else this one. Without either, the list still shows sizes.
  std::optional<Budget> budget;
  std::string machine_text;
  Machine m;
  std::string error;
  if (a.machine.ram > 0 || !a.machine.arch.empty() || !a.machine.gpu.empty()) {
    if (!machine_from_args(a.machine, m, error)) {
      std::cerr << "planner: error: " << error << '\n';
      return kExitUsage;
    }
    machine_text = fmt::format("{:g} GB {} (as given)", m.ram_gib, m.architecture);
  } else {
    const detect::Detection d = detect::detect_hardware(detect::machine_reader());
    if (d.errors.empty() && d.ram_bytes > 0) {
      m = machine_from_detection(d);
      machine_text = fmt::format("{:g} GB {} (detected)", m.ram_gib, m.architecture);
    }
  }
  if (!machine_text.empty()) {
    budget = machine_budget(m);
    if (!m.chip.empty()) machine_text += ", " + m.chip;
  }

  const StoreRoots roots = store_roots(store_env_from_process());
  const std::vector<LocalModel> found = list_local_models(roots);
  std::vector<Row> rows;
  for (const auto& f : found) {
    Row r;
    r.found = &f;
    r.context = a.context_given ? a.machine.context : f.num_ctx.value_or(kDefaultRouteContext);
    if (!f.error.empty()) {
      r.error = f.error;
    } else if (ModelLoad load = load_model_file(f.path); load.info) {
      r.info = std::move(load.info);
      const ModelFileInfo& info = *r.info;
      const Runtime& runtime = default_runtime(info.format == "GGUF" ? Format::gguf : Format::mlx);
      r.memory = estimate_memory(info.model, file_weight_quant(info), runtime, r.context, kv->bytes_per_element);
      r.memory->weights_bytes = static_cast<double>(info.weights_bytes);  // exact, as for a route
      if (budget) r.verdict = verdict_of(r.memory->total(), *budget);
    } else {
      r.error = load.error;
    }
    rows.push_back(std::move(r));
  }

  if (a.format == "json") {
    using nlohmann::ordered_json;
    ordered_json stores = ordered_json::array();
    for (auto [store, root] : {std::pair{kHfStore, roots.hf_cache}, std::pair{kOllamaStore, roots.ollama},
                               std::pair{kLmStudioStore, roots.lmstudio_models}})
      stores.push_back({{"store", std::string(store)}, {"path", root.string()}});
    ordered_json models = ordered_json::array();
    for (const auto& r : rows) {
      ordered_json j;
      j["store"] = r.found->store;
      j["name"] = r.found->name;
      j["path"] = r.found->path.empty() ? ordered_json(nullptr) : ordered_json(r.found->path.string());
      j["via"] = r.found->via;
      j["format"] = r.info ? ordered_json(r.info->format) : ordered_json(nullptr);
      j["quantization"] = r.info && !r.info->file_type.empty() ? ordered_json(r.info->file_type) : ordered_json(nullptr);
      j["file_bytes"] = r.info ? ordered_json(r.info->file_bytes) : ordered_json(nullptr);
      j["parameters"] = r.info ? ordered_json(r.info->parameters) : ordered_json(nullptr);
      j["context"] = r.context;
      j["num_ctx"] = r.found->num_ctx ? ordered_json(*r.found->num_ctx) : ordered_json(nullptr);
      j["kv_cache_type"] = a.machine.kv_type;
      j["total_bytes"] = r.memory ? ordered_json(static_cast<std::uint64_t>(r.memory->total() + 0.5)) : ordered_json(nullptr);
      j["fits"] = r.memory && budget ? ordered_json(r.verdict == "fits") : ordered_json(nullptr);
      j["verdict"] = r.verdict.empty() ? ordered_json(nullptr) : ordered_json(r.verdict);
      j["error"] = r.error.empty() ? ordered_json(nullptr) : ordered_json(r.error);
      models.push_back(std::move(j));
    }
    ordered_json doc;
    doc["stores"] = stores;
    doc["machine"] = budget ? ordered_json({{"description", machine_text},
                                            {"model_budget_bytes", static_cast<std::uint64_t>(budget->model_budget_bytes)},
                                            {"gpu_limit_bytes", budget->gpu_limit_bytes
                                                                    ? ordered_json(static_cast<std::uint64_t>(*budget->gpu_limit_bytes))
                                                                    : ordered_json(nullptr)}})
                            : ordered_json(nullptr);
    doc["models"] = models;
    std::cout << json_text(doc) << '\n';
    return kExitOk;
  }

  std::cout << fmt::format("Models on disk: {} in {} ({}), {} ({}), {} ({})\n", rows.size(), kHfStore,
                           shown_text(roots.hf_cache.string()), kOllamaStore, shown_text(roots.ollama.string()),
                           kLmStudioStore, shown_text(roots.lmstudio_models.string()));
  if (budget)
    std::cout << fmt::format("Machine: {}; model budget {}{}\n", shown_text(machine_text), gib(budget->model_budget_bytes),
                             budget->gpu_limit_bytes ? ", GPU limit " + gib(*budget->gpu_limit_bytes) : "");
  else
    std::cout << "Machine: not detected (give --ram and --arch to see what fits)\n";
  if (rows.empty()) return kExitOk;
  std::cout << fmt::format("\n{:<18} {:<60} {:<11} {:<16} {:>10} {:>8} {:>10}  {}\n", "store", "model", "format",
                           "quantization", "on disk", "context", "memory", "fit");
  for (const auto& r : rows) {
    // A GGUF repo holds a file per quantization: the file tells them apart.
    std::string label = r.found->name;
    if (r.found->store != kOllamaStore && r.found->path.extension() == ".gguf") label += " " + r.found->path.filename().string();
    const std::string name = shown_value(label, 60);
    if (!r.info) {
      std::cout << fmt::format("{:<18} {:<60} error: {}\n", r.found->store, name, shown_text(r.error));
      continue;
    }
    std::cout << fmt::format("{:<18} {:<60} {:<11} {:<16} {:>10} {:>8} {:>10}  {}\n", r.found->store, name,
                             r.info->format, shown_value(r.info->file_type.empty() ? "-" : r.info->file_type, 16),
                             gib(static_cast<double>(r.info->file_bytes)), r.context, gib(r.memory->total()),
                             r.verdict.empty() ? "-" : r.verdict);
  }
  std::cout << fmt::format("\nMemory: weights (exact, from the headers) + KV cache ({}) + overhead at the context shown\n"
                           "(a route's default, {} tokens; Ollama models at their num_ctx). A route names one by\n"
                           "the name shown: `model: NAME`.\n",
                           shown_value(a.machine.kv_type), kDefaultRouteContext);
  return kExitOk;
}

}  // namespace planner::cli
