#include "resolve/quant.h"

#include <fmt/format.h>

#include "core/text.h"

namespace planner {

std::optional<std::pair<int, int>> parse_mlx_name(std::string_view name) {
  std::string s = to_lower(name);
  std::string_view v = s;
  if (v.rfind("mlx-", 0) == 0 || v.rfind("mlx_", 0) == 0) v.remove_prefix(4);
  if (v.empty() || v[0] < '2' || v[0] > '8') return std::nullopt;
  int bits = v[0] - '0';
  v.remove_prefix(1);
  if (!v.empty() && (v[0] == '-' || v[0] == '_')) v.remove_prefix(1);
  if (v.rfind("bits", 0) == 0) v.remove_prefix(4);
  else if (v.rfind("bit", 0) == 0) v.remove_prefix(3);
  else return std::nullopt;
  int group = 0;
  if (!v.empty()) {
    if (v.size() < 3 || (v[0] != '-' && v[0] != '_') || v[1] != 'g') return std::nullopt;
    std::string_view g = v.substr(2);
    if (g == "32") group = 32;
    else if (g == "64") group = 64;
    else if (g == "128") group = 128;
    else return std::nullopt;
  }
  return std::make_pair(bits, group);
}

std::optional<std::string> parse_mlx_mode(std::string_view name) {
  const std::string s = to_lower(name);
  std::string_view v = s;
  if (v.rfind("mlx-", 0) == 0 || v.rfind("mlx_", 0) == 0) v.remove_prefix(4);
  // mlx_lm.convert --q-mode choices (convert.py:219) and the dtypes it converts to unquantized
  // (MODEL_CONVERSION_DTYPES); mlx-community repo names end in them (-mxfp4, -bf16).
  if (v == "mxfp4" || v == "nvfp4" || v == "mxfp8") return std::string(v);
  if (v == "bf16" || v == "fp16" || v == "f16" || v == "bfloat16" || v == "float16") return std::string("16");
  return std::nullopt;
}

namespace {

// bits + per-group scale overhead: affine keeps a 16-bit scale and bias per group (32 bits), the
// fp modes one 8-bit scale (e8m0 / e4m3) and no bias (data/quantization.yaml `mlx.modes`).
double mlx_bpw(const QuantTables& t, int bits, int group, std::string_view mode) {
  if (group <= 0) return bits;
  return bits + (mode == "affine" ? static_cast<double>(t.mlx_scale_bias_bits()) : 8.0) / group;
}

WeightQuant resolve_mlx(const QuantTables& t, WeightQuant w, std::string_view name) {
  int bits = 0, group = t.mlx_default_group();
  std::string mode = "affine";
  const std::optional<std::string> own_mode = parse_mlx_mode(name);
  if (auto parsed = parse_mlx_name(name)) {
    bits = parsed->first;
    if (parsed->second) group = parsed->second;
  } else if (own_mode && *own_mode == "16") {
    bits = 16;
  } else if (own_mode) {
    const MlxEquivalent* e = t.mlx_mode(*own_mode);  // mlx_lm defaults_for_mode
    if (!e) return w;
    mode = e->mode;
    bits = e->bits;
    group = e->group;
  } else {
    const GgufRecipe* recipe = t.recipe(name);
    const DynamicQuant* ud = recipe ? nullptr : t.dynamic(name);
    if (!recipe && !ud) return w;
    const MlxEquivalent e = t.mlx_for(recipe ? recipe->name : ud->sized_as);
    if (e.bits == 0) return w;
    bits = e.bits;
    if (e.group > 0) group = e.group;
    mode = e.mode;
    w.mapped = true;
  }
  w.known = true;
  w.mlx_bits = bits;
  w.bits_class = bits;
  if (bits >= 16) {  // unquantized: the model's own bf16/fp16 weights
    w.mlx_group = 0;
    w.bpw = 16;
    w.label = "MLX bf16 (unquantized)";
    return w;
  }
  w.mlx_group = group;
  w.mlx_mode = mode;
  w.bpw = mlx_bpw(t, bits, group, mode);
  w.label = mode == "affine" ? fmt::format("MLX {}-bit, group {}", bits, group) : fmt::format("MLX {}, group {}", mode, group);
  return w;
}

// A Hugging Face checkpoint as vLLM loads it: unquantized bf16 / fp16, FP8, or 4-bit AWQ / GPTQ
// (estimate/hf_recipe.cpp sizes each). A GGUF or MLX name means the nearest of these: 16-bit ->
// bf16, 8-bit -> fp8, 4-bit -> awq; other widths have none (vLLM's AWQ is 4-bit only: awq.py).
WeightQuant resolve_safetensors(const QuantTables& t, WeightQuant w, std::string_view name) {
  const std::string n = to_lower(name);
  std::string kind;
  if (n == "bf16" || n == "bfloat16") kind = "bf16";
  else if (n == "fp16" || n == "f16" || n == "float16") kind = "fp16";
  else if (n == "fp8") kind = "fp8";
  else if (n == "awq" || n == "awq-int4" || n == "int4-awq") kind = "awq";
  else if (n == "gptq" || n == "gptq-int4" || n == "int4-gptq") kind = "gptq";
  if (kind.empty()) {
    int bits = 0;
    if (const GgufRecipe* r = t.recipe(name)) bits = r->bits_class;
    else if (auto parsed = parse_mlx_name(name)) bits = parsed->first;
    else if (auto mode = parse_mlx_mode(name)) bits = *mode == "16" ? 16 : *mode == "mxfp8" ? 8 : 4;
    kind = bits >= 16 ? "bf16" : bits == 8 ? "fp8" : bits == 4 ? "awq" : "";
    if (kind.empty()) return w;
    w.mapped = true;
  }
  w.known = true;
  w.hf_quant = kind;
  if (kind == "bf16" || kind == "fp16") {
    w.bits_class = 16;
    w.bpw = 16;
    w.label = kind + " (unquantized)";
  } else if (kind == "fp8") {
    w.bits_class = 8;
    w.bpw = 8;
    w.label = "FP8";
  } else {
    // The group a checkpoint's quantization_config states is not known before it is read; 128 is
    // the group of the AWQ and GPTQ checkpoints commonly published (an assumption: the plan says so).
    w.hf_group = 128;
    w.bits_class = 4;
    w.bpw = 4 + 20.0 / w.hf_group;  // 4-bit weights, an fp16 scale and a 4-bit zero per group
    w.label = fmt::format("{} int4, group {}", kind == "awq" ? "AWQ" : "GPTQ", w.hf_group);
    w.estimate_note = fmt::format("group size {} assumed (the checkpoint's quantization_config decides); "
                                  "embeddings, lm_head and norms sized at 16 bits",
                                  w.hf_group);
  }
  return w;
}

}  // namespace

WeightQuant resolve_quant(const QuantTables& t, std::string_view name, Format format) {
  WeightQuant w;
  w.requested = std::string(name);
  if (format == Format::mlx) return resolve_mlx(t, std::move(w), name);
  if (format == Format::safetensors) return resolve_safetensors(t, std::move(w), name);

  if (const DynamicQuant* ud = t.dynamic(name)) {
    const GgufRecipe* base = t.recipe(ud->sized_as);
    if (!base) return w;
    w.known = true;
    w.gguf_recipe = ud->name;  // the files are named so: unsloth/X-GGUF/X-UD-Q4_K_XL.gguf
    w.published_only = true;   // llama-quantize has no such type
    w.size_recipe = base->name;
    w.size_factor = ud->size_factor;
    w.bits_class = ud->bits_class;
    w.bpw = base->typical_bpw * ud->size_factor;
    w.label = ud->name;
    w.estimate_note = fmt::format(
        "Unsloth dynamic mix, its per-layer types not published: sized as {} x {:.3f}, the median size ratio of {} "
        "published unsloth repos (range {:.3f}-{:.3f}); an estimate",
        base->name, ud->size_factor, ud->pairs, ud->range_lo, ud->range_hi);
    return w;
  }
  const GgufRecipe* recipe = t.recipe(name);
  if (!recipe) {
    // An MLX name on a GGUF route: the llama-quantize recipe of the same bit class.
    int mlx_bits = 0;
    if (auto parsed = parse_mlx_name(name)) mlx_bits = parsed->first;
    else if (auto mode = parse_mlx_mode(name)) mlx_bits = *mode == "16" ? 16 : *mode == "mxfp8" ? 8 : 4;
    static const std::pair<int, const char*> nearest_recipe[] = {{2, "Q2_K"}, {3, "Q3_K_M"}, {4, "Q4_K_M"},
                                                                 {5, "Q5_K_M"}, {6, "Q6_K"},  {8, "Q8_0"}};
    for (const auto& [bits, rname] : nearest_recipe)
      if (bits == mlx_bits) recipe = t.recipe(rname);
    if (!recipe) return w;
    w.mapped = true;
  }
  w.known = true;
  const GgufAlias* a = t.alias(name);
  w.gguf_recipe = a && !a->file_tag.empty() ? a->file_tag : recipe->name;
  if (w.gguf_recipe != recipe->name) w.size_recipe = recipe->name;
  w.bits_class = recipe->bits_class;
  w.bpw = recipe->typical_bpw;
  w.label = recipe->name;
  return w;
}

}  // namespace planner

namespace planner {

std::vector<std::string> quantization_examples(const QuantTables& tables) {
  std::vector<std::string> out = tables.recipe_names();
  for (const DynamicQuant& d : tables.dynamic_quants()) out.push_back(d.name);
  // parse_mlx_name reads "4bit" as affine 4 bits at the default group.
  for (int bits : tables.mlx_affine_bits()) out.push_back(std::to_string(bits) + "bit");
  for (const MlxEquivalent& m : tables.mlx_modes())
    if (m.mode != "affine") out.push_back(m.mode);
  return out;
}

std::vector<std::string> known_quant_names(const QuantTables& tables, Format format) {
  // vLLM's checkpoint dtypes and quantization methods that resolve_quant sizes (hf_quant).
  if (format == Format::safetensors) return {"bf16", "fp16", "fp8", "awq", "gptq"};
  return quantization_examples(tables);  // the schema's completion list: one list of the names
}

}  // namespace planner
