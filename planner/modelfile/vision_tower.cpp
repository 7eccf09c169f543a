#include "modelfile/vision_tower.h"

#include <string>

#include "modelfile/limits.h"

namespace planner {

namespace {

using json = nlohmann::json;

// A positive whole number under `limit`, or 0 (the tower is then not counted).
long long dim(const json& o, const char* key, long long limit, long long fallback = 0) {
  auto it = o.find(key);
  if (it == o.end()) return fallback;
  if (!it->is_number_integer()) return 0;
  const long long v = it->get<long long>();
  return v > 0 && v <= limit ? v : 0;
}

// Qwen2-VL: transformers models/qwen2_vl/modeling_qwen2_vl.py. The patch Conv3d has no bias
// (in_chans x temporal_patch_size x patch_size^2 x embed_dim); each of `depth` blocks has two
// LayerNorms (weight and bias), qkv and proj with biases and a plain MLP of mlp_ratio x embed_dim
// (fc1, fc2 with biases); PatchMerger is a LayerNorm and two Linears with biases: embed_dim x
// merge^2 -> itself -> hidden_size (the language model's width).
double qwen2_vl(const json& v) {
  const long long e = dim(v, "embed_dim", limits::kWidth), ratio = dim(v, "mlp_ratio", 64, 4),
                  depth = dim(v, "depth", limits::kLayers), p = dim(v, "patch_size", 1024),
                  tp = dim(v, "temporal_patch_size", 64, 2), c = dim(v, "in_chans", 64, 3),
                  merge = dim(v, "spatial_merge_size", 64, 2), out = dim(v, "hidden_size", limits::kWidth);
  if (!e || !ratio || !depth || !p || !tp || !c || !merge || !out) return 0;
  const double E = e, F = static_cast<double>(e) * ratio, m = static_cast<double>(e) * merge * merge;
  const double block = 4 * E + (3 * E * E + 3 * E) + (E * E + E) + (E * F + F) + (F * E + E);
  const double merger = 2 * E + (m * m + m) + (m * out + out);
  return static_cast<double>(c) * tp * p * p * E + depth * block + merger;
}

// Qwen2.5-VL: transformers models/qwen2_5_vl/modeling_qwen2_5_vl.py. Qwen2_5_VisionPatchEmbed is
// a Conv3d without bias (in_chans x temporal_patch_size x patch_size^2 x hidden); each of `depth`
// blocks has two RMSNorms, qkv and proj with biases, and a gated MLP (gate_proj, up_proj,
// down_proj with biases); Qwen2_5_VLPatchMerger has an RMSNorm (ln_q) and two Linears with
// biases: hidden x merge^2 -> itself -> out_hidden_size.
double qwen2_5_vl(const json& v) {
  const long long h = dim(v, "hidden_size", limits::kWidth), ff = dim(v, "intermediate_size", limits::kWidth),
                  depth = dim(v, "depth", limits::kLayers), p = dim(v, "patch_size", 1024),
                  tp = dim(v, "temporal_patch_size", 64, 2), c = dim(v, "in_chans", 64, 3),
                  merge = dim(v, "spatial_merge_size", 64, 2), out = dim(v, "out_hidden_size", limits::kWidth);
  if (!h || !ff || !depth || !p || !tp || !c || !merge || !out) return 0;
  const double H = h, F = ff, m = static_cast<double>(h) * merge * merge;
  const double block = 2 * H + (3 * H * H + 3 * H) + (H * H + H) + 2 * (H * F + F) + (F * H + H);
  const double merger = H + (m * m + m) + (m * out + out);
  return static_cast<double>(c) * tp * p * p * H + depth * block + merger;
}

// Qwen3-VL and Qwen3.5: transformers models/qwen3_vl/modeling_qwen3_vl.py (Qwen3_5 reuses it).
// The patch Conv3d has a bias; a learned position embedding of num_position_embeddings x hidden;
// each block has two LayerNorms (weight and bias), qkv and proj with biases and a plain MLP
// (linear_fc1, linear_fc2 with biases); the merger is a LayerNorm over hidden and two Linears
// (hidden x merge^2 -> itself -> out_hidden_size); each deepstack merger the same, its LayerNorm
// over hidden x merge^2.
double qwen3_vl(const json& v) {
  const long long h = dim(v, "hidden_size", limits::kWidth), ff = dim(v, "intermediate_size", limits::kWidth),
                  depth = dim(v, "depth", limits::kLayers), p = dim(v, "patch_size", 1024),
                  tp = dim(v, "temporal_patch_size", 64, 2), c = dim(v, "in_channels", 64, 3),
                  merge = dim(v, "spatial_merge_size", 64, 2), out = dim(v, "out_hidden_size", limits::kWidth),
                  positions = dim(v, "num_position_embeddings", 1 << 20);
  if (!h || !ff || !depth || !p || !tp || !c || !merge || !out || !positions) return 0;
  long long deepstack = 0;
  if (auto it = v.find("deepstack_visual_indexes"); it != v.end() && it->is_array()) deepstack = static_cast<long long>(it->size());
  const double H = h, F = ff, m = static_cast<double>(h) * merge * merge;
  const double block = 4 * H + (3 * H * H + 3 * H) + (H * H + H) + (H * F + F) + (F * H + H);
  const double projections = (m * m + m) + (m * out + out);
  const double patch = static_cast<double>(c) * tp * p * p * H + H;
  return patch + static_cast<double>(positions) * H + depth * block + (2 * H + projections) +
         deepstack * (2 * m + projections);
}

// Pixtral in Mistral-3: transformers models/pixtral/modeling_pixtral.py (patch_conv Conv2d without
// bias, ln_pre RMSNorm, per layer two RMSNorms, q/k/v/o without bias and a gated MLP) and
// models/mistral3/modeling_mistral3.py Mistral3MultiModalProjector (an RMSNorm, the patch merger's
// hidden x merge^2 -> hidden Linear without bias, linear_1 hidden -> text hidden and linear_2 text
// hidden -> text hidden, with biases when multimodal_projector_bias).
double pixtral(const json& root, const json& v, long long text_hidden) {
  const long long h = dim(v, "hidden_size", limits::kWidth), ff = dim(v, "intermediate_size", limits::kWidth),
                  layers = dim(v, "num_hidden_layers", limits::kLayers), p = dim(v, "patch_size", 1024),
                  c = dim(v, "num_channels", 64, 3), merge = dim(root, "spatial_merge_size", 64, 2);
  if (!h || !ff || !layers || !p || !c || !merge || text_hidden <= 0) return 0;
  bool bias = false;
  if (auto it = root.find("multimodal_projector_bias"); it != root.end() && it->is_boolean()) bias = it->get<bool>();
  const double H = h, F = ff, T = static_cast<double>(text_hidden);
  const double layer = 2 * H + 4 * H * H + 3 * H * F;
  const double projector = H + H * merge * merge * H + (H * T + (bias ? T : 0)) + (T * T + (bias ? T : 0));
  return static_cast<double>(c) * p * p * H + H + layers * layer + projector;
}

}  // namespace

double vision_tower_params(const json& root, long long text_hidden) {
  if (!root.is_object()) return 0;
  auto it = root.find("vision_config");
  if (it == root.end() || !it->is_object()) return 0;
  const json& v = *it;
  std::string type;
  if (auto t = root.find("model_type"); t != root.end() && t->is_string()) type = t->get<std::string>();
  if (type == "qwen2_vl") return qwen2_vl(v);
  if (type == "qwen2_5_vl") return qwen2_5_vl(v);
  if (type == "qwen3_vl" || type == "qwen3_vl_moe" || type == "qwen3_5" || type == "qwen3_5_moe") return qwen3_vl(v);
  if (type == "mistral3") {
    auto vt = v.find("model_type");
    if (vt != v.end() && vt->is_string() && vt->get<std::string>() == "pixtral") return pixtral(root, v, text_hidden);
  }
  return 0;
}

}  // namespace planner
