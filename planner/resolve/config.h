#pragma once
// Stage 3a: the typed view of a loaded document. Values keep the node they came from (for
// locations and fixes); a value of the wrong type is treated as absent here, since the schema
// stage has already reported it.
#include <optional>
#include <string>
#include <vector>

#include "load/document.h"
#include "model/format.h"
#include "model/model_info.h"
#include "runtime/serving.h"

namespace planner {

template <typename T>
struct Located {
  T value{};
  const Node* node = nullptr;  // the value's node; nullptr when the value is a default
  bool is_default() const { return node == nullptr; }
};

// A model described under `models:`: by hand, or by a config.json (`config:`) that the keys
// given here override. 0 / absent = not given.
struct UserModel {
  std::string name;
  const Node* key = nullptr;
  double params_b = 0;
  std::optional<double> active_params_b;
  std::optional<Located<std::string>> config;  // path to a config.json, relative to the config file
  int layers = 0, kv_heads = 0, head_dim = 0, attention_heads = 0, hidden_size = 0, vocab = 0, sliding_window = 0;
  long long context_trained = 0;
  std::optional<LayerPattern> pattern;
  std::optional<MoeInfo> moe;
  std::optional<MlaInfo> mla;
  std::optional<LinearAttentionInfo> linear;
  std::string hf_repo, mlx_repo, gguf_repo;
};

struct RouteConfig {
  std::string name;
  const Node* key = nullptr;   // the route's key under routing:
  const Node* node = nullptr;  // the route's mapping
  Located<std::string> model;
  std::optional<Located<double>> min_ram_gb;
  std::optional<Located<Format>> format;  // absent: inference.preferred_format
  std::optional<Located<std::string>> runtime;  // a runtime id (runtime/registry.cpp); absent: the format's
  std::optional<Located<std::string>> task;
  std::optional<Located<std::string>> quantization;
  std::optional<Located<long long>> max_context_tokens;
  std::optional<Located<std::string>> kv_cache_type;
  // How the engine serves it (runtime/serving.h); absent: the runtime's default.
  std::optional<Located<std::string>> kv_cache_type_k, kv_cache_type_v;
  std::optional<Located<long long>> parallel;
  std::optional<Located<bool>> kv_unified;
  std::optional<Located<long long>> gpu_layers;      // kAllLayers for `all`
  std::optional<Located<long long>> cpu_moe_layers;  // kAllLayers for `all`
  std::optional<Located<std::string>> flash_attention;  // on, off, auto
  std::optional<Located<long long>> tensor_parallel;      // vLLM --tensor-parallel-size
  std::optional<Located<double>> gpu_memory_utilization;  // vLLM --gpu-memory-utilization
  // llama.cpp's split over several GPUs (-ts, -sm, -mg; runtime/serving.h SplitMode).
  std::optional<Located<std::vector<double>>> tensor_split;  // node: the sequence
  std::optional<Located<std::string>> split_mode;            // layer, row, none
  std::optional<Located<long long>> main_gpu;
};

// One entry of hardware.gpus (several GPUs in one host, in CUDA's device order): its chip, its
// VRAM, or both; the schema requires one of them.
struct GpuConfig {
  const Node* node = nullptr;  // the entry's mapping
  std::optional<Located<std::string>> chip;
  std::optional<Located<double>> vram_gb;
};

struct Config {
  // hardware
  const Node* hardware = nullptr;
  std::optional<Located<double>> total_ram_gb;
  Located<double> os_reserve_percent{22.0, nullptr};  // default: the seed's 22 %
  std::optional<Located<std::string>> architecture;
  std::optional<Located<std::string>> chip;
  std::optional<Located<double>> gpu_wired_limit_gb;
  std::optional<Located<long long>> macos_version;
  std::optional<Located<double>> gpu_vram_gb;
  // hardware.gpus: several GPUs; empty when absent (then chip / gpu_vram_gb describe one GPU).
  std::vector<GpuConfig> gpus;
  const Node* gpus_node = nullptr;
  // inference
  const Node* inference = nullptr;
  std::optional<Located<Format>> preferred_format;
  std::optional<Located<Format>> fallback_format;
  std::optional<Located<std::string>> quantization;
  std::optional<Located<long long>> max_context_tokens;
  Located<double> kv_cache_reserve_percent{35.0, nullptr};  // default: the seed's 35 %
  Located<std::string> kv_cache_type{"f16", nullptr};
  std::vector<Located<std::string>> resident_routes;
  const Node* resident_routes_node = nullptr;
  // routing
  const Node* routing = nullptr;
  std::vector<RouteConfig> routes;
  // monitoring
  const Node* monitoring = nullptr;
  std::optional<Located<double>> memory_pressure_threshold;
  std::optional<Located<std::string>> action_on_threshold;
  // logging
  std::optional<Located<std::string>> log_output;
  // validation: the user's prompts the run script sends to each route (launch/render_validation.cpp)
  const Node* validation = nullptr;
  std::optional<Located<std::string>> validation_prompts;  // relative to the config's directory
  Located<double> validation_minutes{10.0, nullptr};       // default: the seed's "10-minute validation suite" (pitfall 5)
  Located<long long> validation_max_tokens{256, nullptr};  // default: a reply long enough to hold an answer to check
  std::vector<Located<std::string>> validation_routes;     // empty: every route
  const Node* validation_routes_node = nullptr;
  // user-defined models: those complete and in range; `models_node` holds every name declared,
  // so a route naming one the schema stage rejected is not also called an unknown model.
  std::vector<UserModel> user_models;
  const Node* models_node = nullptr;

  bool apple_silicon() const { return architecture && architecture->value == "apple_silicon"; }
};

Config read_config(const Document& doc);
// The hardware keys of one machine's mapping (`hardware:`, or a cluster host's) into `c`.
void read_hardware(const Node* hardware, Config& c);

}  // namespace planner
