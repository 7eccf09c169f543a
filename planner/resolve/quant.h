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

 private:
  std::vector<GgufType> types_;
  std::vector<GgufRecipe> recipes_;
  std::vector<KvCacheType> kv_;
  std::vector<TaskPolicy> policy_;
  std::vector<GgufAlias> aliases_;
  std::vector<MlxEquivalent> mlx_modes_;
  std::vector<DynamicQuant> dynamic_;
  std::vector<std::pair<std::string, MlxEquivalent>> to_mlx_;
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
  std::string mlx_mode = "affine";  // or "mxfp4" / "nvfp4" / "mxfp8" (mlx_lm.convert --q-mode)
  std::string gguf_recipe;  // the name the GGUF files carry on GGUF routes ("Q4_K_M", "UD-Q4_K_XL", "MXFP4")
  // What sizes it: the llama-quantize recipe simulated (gguf_recipe when empty) and a factor on
  // its bytes (an Unsloth dynamic quant: a published-size ratio, so the figure is an estimate).
  std::string size_recipe;
  double size_factor = 1;
  std::string estimate_note;  // why the size is an estimate; "" when it is computed
};

// MLX width names: "4bit", "4-bit", "mlx-4bit", "4bit-g32" -> (bits, group size or 0).
std::optional<std::pair<int, int>> parse_mlx_name(std::string_view name);

// MLX's own mode names as mlx-community repos carry them: "mxfp4", "nvfp4", "mxfp8" -> the mode;
// "bf16", "fp16" -> "16" (unquantized). nullopt for anything else.
std::optional<std::string> parse_mlx_mode(std::string_view name);

WeightQuant resolve_quant(const QuantTables& tables, std::string_view name, Format format);

}  // namespace planner
