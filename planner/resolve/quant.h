#pragma once
// Quantization tables (data/quantization.yaml, embedded) and how a route's quantization name
// resolves for its runtime: GGUF recipes for llama.cpp, bits + group size for MLX.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resolve/config.h"

namespace planner {

struct GgufType {
  std::string name;
  int block_elems = 0;
  int block_bytes = 0;
  int id = -1;  // ggml_type enum value (data/quantization.yaml `ggml_id`), -1 when not listed
  double bpw() const { return block_elems ? 8.0 * block_bytes / block_elems : 0; }
};

struct GgufRecipe {
  std::string name;
  std::string base_type;
  int bits_class = 0;
  double typical_bpw = 0;  // the recipe's promotions, quality and sources stay in data/quantization.yaml
};

struct KvCacheType {
  std::string name;
  double bytes_per_element = 2;
  bool quantized = false;
};

struct TaskPolicy {
  std::string task;
  int min_bits = 0;
  bool error_below = false;
  std::string recommended;
};

class QuantTables {
 public:
  static const QuantTables& builtin();
  static QuantTables parse(std::string_view json_text);  // the JSON form of the data file

  const GgufRecipe* recipe(std::string_view name) const;  // case-insensitive
  const GgufType* type(std::string_view name) const;
  // By ggml_type enum value, as GGUF tensor infos store it; nullptr when not listed.
  const GgufType* type_by_id(int id) const;
  const KvCacheType* kv_type(std::string_view name) const;
  const TaskPolicy* policy(std::string_view task) const;
  // MLX bits for a GGUF recipe name (Q4_K_M -> 4), 0 when unmapped.
  int mlx_bits_for(std::string_view gguf_name) const;
  int mlx_default_group() const { return mlx_group_; }
  int mlx_scale_bias_bits() const { return mlx_scale_bias_bits_; }
  std::vector<std::string> recipe_names() const;

 private:
  std::vector<GgufType> types_;
  std::vector<GgufRecipe> recipes_;
  std::vector<KvCacheType> kv_;
  std::vector<TaskPolicy> policy_;
  std::vector<std::pair<std::string, int>> to_mlx_;
  int mlx_group_ = 64;
  int mlx_scale_bias_bits_ = 32;
};

// A route's weight quantization as its runtime will store it.
struct WeightQuant {
  bool known = false;
  std::string requested;  // as written in the config
  std::string label;      // "Q4_K_M" or "MLX 4-bit, group 64"
  double bpw = 0;         // bits per weight, whole model
  int bits_class = 0;     // 2, 3, 4, 5, 6, 8, 16
  bool mapped = false;    // a GGUF name applied to MLX (or the reverse)
  int mlx_bits = 0;
  int mlx_group = 0;
  std::string gguf_recipe;  // resolved recipe name on GGUF routes
};

// MLX width names: "4bit", "4-bit", "mlx-4bit", "4bit-g32" -> (bits, group size or 0).
std::optional<std::pair<int, int>> parse_mlx_name(std::string_view name);

WeightQuant resolve_quant(const QuantTables& tables, std::string_view name, Format format);

}  // namespace planner
