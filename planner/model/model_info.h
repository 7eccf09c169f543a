#pragma once
// What planner knows of a model's architecture: the catalog's entries (resolve/catalog.h), a
// model file's metadata (modelfile/) and a config's `models:` section all fill one ModelInfo.
#include <optional>
#include <string>
#include <vector>

namespace planner {

struct LayerPattern {
  int period = 0;             // layer i is full attention when (i % period) is in full_at
  std::vector<int> full_at;
  bool others_linear = false; // the other layers: sliding-window (false) or linear attention (true)
};

struct MoeInfo {
  int experts = 0;
  int experts_per_token = 0;
  int shared_experts = 0;
};

struct MlaInfo {
  int kv_lora_rank = 0;
  int qk_rope_head_dim = 0;
  int qk_nope_head_dim = 0;
  int v_head_dim = 0;
};

struct LinearAttentionInfo {
  int key_heads = 0;
  int value_heads = 0;
  int key_head_dim = 0;
  int value_head_dim = 0;
  int conv_kernel = 0;
  int state_dtype_bytes = 4;
};

struct Artifact {
  std::string repo;
  std::string quant;  // GGUF recipe name, or "4bit"-style for MLX
  int bits = 0;       // MLX bits (0 for GGUF)
  double size_gib = 0;
  std::string source;
  // Why the published size is more than 2 % from planner's estimate, with its source
  // (tests/unit/published_size_test.cpp holds every size against the estimate). model.yaml
  // `not_loaded`: the download holds weights the runtime drops at load (a vision tower): planner
  // sizes what is resident and size_gib stays the download. `size_note`: any other reason.
  std::string size_note;
  bool not_loaded = false;
};

struct ModelInfo {
  std::string id;
  std::string hf_repo;
  std::string family;
  std::vector<std::string> aliases;
  double params_total = 0;
  double params_active = 0;
  int layers = 0;
  int hidden_size = 0;
  int attention_heads = 0;
  int kv_heads = 0;
  int head_dim = 0;
  int vocab = 0;
  long long context_trained = 0;
  bool tied_embeddings = false;
  // Shape facts the per-tensor weight estimate needs (estimate/gguf_recipe.cpp); 0/false when the
  // catalog does not state them, and the estimate then falls back to params x typical bpw.
  int intermediate_size = 0;         // dense FFN width (MoE: of the leading dense layers)
  int moe_intermediate_size = 0;     // one routed expert's FFN width
  int shared_expert_intermediate_size = 0;  // all shared experts of a layer together
  int first_dense_layers = 0;        // DeepSeek first_k_dense_replace: leading layers with a dense FFN
  bool attention_bias = false;       // q/k/v projections carry biases (Qwen2)
  bool qk_norm = false;              // per-head RMS norm on q and k (Qwen3, Gemma-3)
  int sliding_window = 0;  // 0 = none
  bool sliding_window_ignored = false;  // the runtimes keep the full context anyway (Phi-3)
  bool sliding_window_ignored_by_mlx = false;  // mlx-lm keeps a plain cache on every layer (Gemma-2)
  std::optional<LayerPattern> pattern;
  std::optional<MoeInfo> moe;
  std::optional<MlaInfo> mla;
  std::optional<LinearAttentionInfo> linear;
  // A vision-language checkpoint's vision tower and projector, counted from config.json's
  // vision_config (modelfile/vision_tower.cpp); not in params_total, which is the language model
  // planner sizes. 0 for text models and towers not laid out.
  double vision_params = 0;
  std::vector<Artifact> mlx;
  std::vector<Artifact> gguf;
  std::vector<Artifact> ollama;  // Ollama library tags of this model: repo = the tag ("qwen3:14b"), quant = its file type
  std::string notes;
  std::string source;
  bool user_defined = false;

  bool is_moe() const { return moe.has_value() && moe->experts > 1; }
  // Layer kinds: full attention, sliding-window attention, or linear attention (fixed state).
  enum class LayerKind { full, sliding, linear };
  LayerKind layer_kind(int layer) const;
};

}  // namespace planner
