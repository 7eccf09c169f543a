#pragma once
// Stage 3b: each route resolved against the catalog and the inference defaults: which model,
// which file format and runtime, quantization, context and KV cache type it really gets.
#include <deque>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "modelfile/local_stores.h"
#include "modelfile/model_file.h"
#include "resolve/catalog.h"
#include "resolve/config.h"
#include "resolve/quant.h"
#include "runtime/runtime.h"
#include "runtime/serving.h"

namespace planner {

// The context of a route when neither it nor `inference:` sets max_context_tokens.
inline constexpr long long kDefaultRouteContext = 4096;

struct ResolvedRoute {
  const RouteConfig* cfg = nullptr;
  const ModelInfo* model = nullptr;  // nullptr: unknown model
  const SeedName* seed = nullptr;    // set when the name is one of the seed article's names
  Format format = Format::gguf;
  const Node* format_node = nullptr;       // route.format or inference.preferred_format
  // The engine that serves it: route.runtime when that loads `format` (LI026 reports one that
  // cannot), else the format's default runtime. Never nullptr once resolved.
  const Runtime* runtime = nullptr;
  std::string quant_name;
  const Node* quant_node = nullptr;        // route.quantization or inference.quantization
  WeightQuant quant;
  long long context = 0;
  const Node* context_node = nullptr;      // route.max_context_tokens or inference.max_context_tokens
  std::string kv_type = "f16";
  // The mean of the K and V caches' bytes per element: kv_cache_bytes(..., kv_bytes_per_element)
  // is then exact for per-head K/V. `serving` holds each apart.
  double kv_bytes_per_element = 2;
  Serving serving;  // slots, offload, K/V types, flash attention (resolve/serving.h)
  std::string task;                        // code, reasoning, general, quick_qa, creative, ...
  const ModelFileInfo* file = nullptr;     // `model:` named a file or directory that was read
  std::string file_error;                  // `model:` named a path that could not be read
  // What the name in `model:` itself says (resolve/model_name.h): `-Q4_K_M.gguf`, `-4bit`, `-GGUF`.
  // Set only where it is applied: it wins over the route's and inference's quantization and format.
  std::string name_quant;
  std::optional<Format> name_format;
  const LocalModel* local = nullptr;       // `model:` is a name found in a model store (resolve/local_model.h)
};

// A `models:` entry whose `config:` file could not be read (reported by LI042).
struct ModelConfigError {
  std::string model;              // the name under models:
  const Node* node = nullptr;     // the config: value
  std::string message;
};

struct Resolution {
  std::deque<ModelInfo> user_models;  // deque: routes point into it
  std::vector<ModelConfigError> model_config_errors;
  std::deque<ModelFileInfo> files;    // models read from disk, for routes that name a path
  std::deque<LocalModel> local_models;  // names found in a model store (HF cache, Ollama, LM Studio)
  std::vector<ResolvedRoute> routes;
  // Route name -> index in `routes` (and in Analysis::routes, which follows it one to one): rules
  // look routes up by name, and a file may hold tens of thousands.
  std::unordered_map<std::string, std::size_t> route_index;
  const ResolvedRoute* route(std::string_view name) const;
  std::size_t route_at(std::string_view name) const;  // npos when absent
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

// `base_dir` is the config file's directory: relative model paths are read from there.
Resolution resolve_routes(const Config& cfg, const Catalog& catalog, const QuantTables& quant,
                          const std::string& base_dir = ".");

// The task kind of a route: its `task:` key, else its name when that is a known kind.
std::string task_kind(const RouteConfig& r);

}  // namespace planner
