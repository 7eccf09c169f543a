#pragma once
// Quantization tables (data/quantization.yaml, embedded): GGUF types and llama-quantize recipes,
// their aliases, MLX modes, KV cache types and the task policy. Facts about file formats, read by
// the model-file readers (modelfile/) and by resolve/quant.h, which maps a route's name onto them.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

// A name people write for a recipe (fp16 -> F16, MXFP4 -> MXFP4_MOE); `file_tag` is the spelling
// the published files use, when it is not the recipe's own name.
struct GgufAlias {
  std::string alias;
  std::string recipe;
  std::string file_tag;
};

// An Unsloth dynamic quant (UD-Q4_K_XL): no rule to simulate, so sized as a plain recipe times
// the median published size ratio (data/quantization.yaml `unsloth_dynamic`).
struct DynamicQuant {
  std::string name;
  std::string sized_as;
  double size_factor = 1;
  int pairs = 0;
  double range_lo = 0, range_hi = 0;
  int bits_class = 0;
};

// A GGUF recipe's MLX counterpart (data/quantization.yaml `gguf_to_mlx`).
struct MlxEquivalent {
  int bits = 0;
  int group = 0;      // 0: the MLX default group size
  std::string mode;   // "affine" unless the table names mxfp4 / nvfp4
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

  // Case-insensitive, by the recipe's own name or an alias (fp16, MXFP4, Q4_K).
  const GgufRecipe* recipe(std::string_view name) const;
  const GgufAlias* alias(std::string_view name) const;
  const DynamicQuant* dynamic(std::string_view name) const;  // "UD-Q4_K_XL", case-insensitive
  const GgufType* type(std::string_view name) const;
  // By ggml_type enum value, as GGUF tensor infos store it; nullptr when not listed.
  const GgufType* type_by_id(int id) const;
  const KvCacheType* kv_type(std::string_view name) const;
  const TaskPolicy* policy(std::string_view task) const;
  // MLX bits for a GGUF recipe name (Q4_K_M -> 4), 0 when unmapped.
  int mlx_bits_for(std::string_view gguf_name) const;
  MlxEquivalent mlx_for(std::string_view gguf_name) const;
  // An MLX quantization mode (`mlx.modes`: affine, mxfp4, nvfp4, mxfp8) with its default bits and group.
  const MlxEquivalent* mlx_mode(std::string_view mode) const;
  int mlx_default_group() const { return mlx_group_; }
  int mlx_scale_bias_bits() const { return mlx_scale_bias_bits_; }
  std::vector<std::string> recipe_names() const;
  const std::vector<DynamicQuant>& dynamic_quants() const { return dynamic_; }
  const std::vector<MlxEquivalent>& mlx_modes() const { return mlx_modes_; }
  // The affine widths mlx_lm.convert --q-bits takes (`mlx.affine_bits`).
  const std::vector<int>& mlx_affine_bits() const { return mlx_affine_bits_; }

 private:
  std::vector<GgufType> types_;
  std::vector<GgufRecipe> recipes_;
  std::vector<KvCacheType> kv_;
  std::vector<TaskPolicy> policy_;
  std::vector<GgufAlias> aliases_;
  std::vector<MlxEquivalent> mlx_modes_;
  std::vector<int> mlx_affine_bits_;
  std::vector<DynamicQuant> dynamic_;
  std::vector<std::pair<std::string, MlxEquivalent>> to_mlx_;
  int mlx_group_ = 64;
  int mlx_scale_bias_bits_ = 32;
};

}  // namespace planner
