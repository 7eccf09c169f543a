#include "modelfile/model_dir.h"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "core/text.h"
#include "modelfile/hf_config.h"
#include "modelfile/safetensors.h"

namespace planner {

namespace {

namespace fs = std::filesystem;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Weights mlx-lm drops at load: the vision tower of VLM checkpoints and the multi-token-prediction
// block (mlx-lm mlx_lm/models/qwen3_5.py sanitize(): "vision_tower", "model.visual", "mtp.").
bool dropped_by_mlx_lm(std::string_view name) {
  return starts_with(name, "vision_tower") || starts_with(name, "model.visual") || starts_with(name, "mtp.") ||
         name.find(".mtp.") != std::string_view::npos;
}

// Routed-expert weights: HF `mlp.experts.N.*` / gpt-oss `mlp.experts.gate_up_proj`, and MLX's
// stacked `switch_mlp` (mlx-lm models/switch_layers.py). Shared experts (`shared_expert(s).`)
// are not matched: they run for every token.
bool is_routed_expert(std::string_view name) {
  return name.find(".experts.") != std::string_view::npos || name.find(".switch_mlp.") != std::string_view::npos;
}

// Sums of sizes read from the headers. Each term is bounded by its file's size, but sparse
// shards can claim exabytes, and a wrapped sum would read as a small model: checked.
void add_checked(std::uint64_t& sum, std::uint64_t n, const SafetensorsFile& sh, const SafetensorsTensor& t,
                 const char* what) {
  if (__builtin_add_overflow(sum, n, &sum))
    throw std::runtime_error(sh.path + ": the " + what + " overflows 64 bits at tensor '" + shown_value(t.name) + "'");
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

// A shard name from an index must name a file in the directory itself.
bool plain_file_name(const std::string& s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string::npos && s.find('\\') == std::string::npos &&
         s.find('\0') == std::string::npos;
}

std::vector<fs::path> weight_files(const fs::path& dir, std::optional<SafetensorsIndex>& index) {
  std::vector<fs::path> files;
  const fs::path index_path = dir / "model.safetensors.index.json";
  std::error_code ec;
  if (fs::exists(index_path, ec)) {
    index = read_safetensors_index(index_path);
    std::map<std::string, std::size_t> per_shard;
    for (const auto& [tensor, shard] : index->weight_map) {
      if (!plain_file_name(shard))
        throw std::runtime_error(index_path.string() + ": byte 0: weight_map names shard '" + shown_value(shard) +
                                 "' outside the directory");
      ++per_shard[shard];
    }
    if (per_shard.empty()) throw std::runtime_error(index_path.string() + ": byte 0: weight_map is empty");
    for (const auto& [shard, count] : per_shard) {
      fs::path p = dir / shard;
      if (!fs::is_regular_file(p, ec))
        throw std::runtime_error(index_path.string() + ": shard '" + shown_value(shard) + "' (" + std::to_string(count) +
                                 " tensors) is missing from " + dir.string());
      files.push_back(p);
    }
    return files;
  }
  if (fs::is_regular_file(dir / "model.safetensors", ec)) return {dir / "model.safetensors"};
  // mlx-lm utils.py load_model(): glob("model*.safetensors"); any *.safetensors otherwise.
  std::vector<fs::path> model_star, any;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    std::string n = e.path().filename().string();
    if (!ends_with(n, ".safetensors")) continue;
    (starts_with(n, "model") ? model_star : any).push_back(e.path());
  }
  files = model_star.empty() ? any : model_star;
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error(dir.string() + ": no .safetensors files (and no model.safetensors.index.json)");
  return files;
}

std::string dtype_name(const std::string& d) {
  if (d == "BF16") return "bf16";
  if (d == "F16") return "f16";
  if (d == "F32") return "f32";
  return lower(d);
}

}  // namespace

ModelFileInfo read_model_dir(const fs::path& path_in) {
  std::error_code ec;
  // Messages name the directory as written, less "./" repeats (a route's "./m" beside "./c.yaml"
  // arrives as "././m") and a trailing slash.
  fs::path dir = path_in.lexically_normal();
  if (!dir.has_filename() && dir.has_parent_path()) dir = dir.parent_path();
  if (fs::is_regular_file(dir, ec)) dir = dir.parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec)) throw std::runtime_error(path_in.string() + ": not a directory");
  const fs::path config_path = dir / "config.json";
  if (!fs::is_regular_file(config_path, ec) && dir != path_in)  // a file, named as the model itself
    throw std::runtime_error(path_in.string() + ": not a .gguf file, and no config.json beside it: not a model file");
  if (!fs::is_regular_file(config_path, ec))
    throw std::runtime_error(dir.string() + ": no config.json: not a Hugging Face / MLX model directory");

  HfConfig cfg = read_hf_config(config_path);
  ModelFileInfo out;
  out.path = dir.string();
  out.architecture = cfg.outer_model_type.empty() ? cfg.model_type : cfg.outer_model_type;
  out.model = cfg.model;
  out.model.id = dir.filename().string();
  if (out.model.id.empty()) out.model.id = fs::absolute(dir, ec).filename().string();
  out.warnings = cfg.warnings;

  std::optional<SafetensorsIndex> index;
  std::vector<SafetensorsFile> shards;
  for (const auto& f : weight_files(dir, index)) shards.push_back(read_safetensors_header(f));

  // Every tensor once, with the file it lives in.
  std::unordered_map<std::string, const SafetensorsTensor*> by_name;
  std::unordered_map<std::string, std::size_t> shard_of;
  bool mlx_metadata = false;
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const auto& sh = shards[s];
    if (__builtin_add_overflow(out.file_bytes, sh.file_bytes, &out.file_bytes))
      throw std::runtime_error(sh.path + ": the shards' sizes add up to more than 2^64 bytes");
    for (const auto& w : sh.warnings) out.warnings.push_back(w);
    if (auto it = sh.metadata.find("format"); it != sh.metadata.end() && it->second == "mlx") mlx_metadata = true;
    for (const auto& t : sh.tensors) {
      auto [it, inserted] = by_name.emplace(t.name, &t);
      if (!inserted)
        throw std::runtime_error(sh.path + ": tensor '" + shown_value(t.name) + "' is also in " + shards[shard_of[t.name]].path);
      shard_of[t.name] = s;
    }
  }
  if (index) {
    std::size_t absent = 0, misplaced = 0;
    std::string example;
    for (const auto& [tensor, shard] : index->weight_map) {
      auto it = shard_of.find(tensor);
      if (it == shard_of.end()) {
        ++absent;
        if (example.empty()) example = tensor;
      } else if (fs::path(shards[it->second].path).filename().string() != shard) {
        ++misplaced;
      }
    }
    if (absent > 0)
      out.warnings.push_back(index->path + ": " + std::to_string(absent) + " tensors of the weight_map are in no shard (e.g. '" +
                             shown_value(example) + "')");
    if (misplaced > 0)
      out.warnings.push_back(index->path + ": " + std::to_string(misplaced) + " tensors are in another shard than the weight_map says");
  }

  const HfQuantization& q = cfg.quant;
  std::uint64_t lm_params = 0, expert_params = 0, dropped_params = 0, dropped_bytes = 0;
  std::size_t quantized_tensors = 0, geometry_mismatches = 0, not_u32 = 0;
  std::string not_u32_example;
  std::string mismatch_example;
  bool has_lm_head = false, has_embed = false;
  for (const auto& sh : shards) {
    for (const auto& t : sh.tensors) {
      add_checked(out.weights_bytes, t.bytes(), sh, t, "byte size of the tensors");
      out.bytes_by_type[t.dtype] += t.bytes();
      ++out.tensors_by_type[t.dtype];
      ++out.tensor_count;
      std::string_view name = t.name;
      has_lm_head = has_lm_head || ends_with(name, "lm_head.weight");
      has_embed = has_embed || ends_with(name, "embed_tokens.weight");

      // MLX quantized modules store `weight` (uint32, 32/bits values each) plus per-group
      // `scales` and, in affine mode, `biases` (mlx.nn QuantizedLinear / QuantizedEmbedding).
      // mlx-lm utils.py get_total_parameters() counts weight.size * 32 // bits and not the
      // scales or biases; load_model() quantizes a module when "{path}.scales" exists.
      std::uint64_t params = t.elements;
      auto base_of = [&](std::string_view suffix) { return std::string(name.substr(0, name.size() - suffix.size())); };
      if ((ends_with(name, ".scales") && by_name.count(base_of(".scales") + ".weight")) ||
          (ends_with(name, ".biases") && by_name.count(base_of(".biases") + ".scales"))) {
        params = 0;
      } else if (ends_with(name, ".weight") && by_name.count(base_of(".weight") + ".scales")) {
        const std::string module = base_of(".weight");
        const MlxQuant& mq = q.for_module(module);
        int bits = mq.bits > 0 ? mq.bits : 4;
        if (!q.mlx && quantized_tensors == 0)
          out.warnings.push_back("config.json has no quantization block but tensors carry MLX scales: assuming 4-bit");
        ++quantized_tensors;
        if (t.dtype != "U32") {
          if (not_u32++ == 0) not_u32_example = sh.path + ": quantized tensor '" + shown_value(t.name) + "' is " + t.dtype;
        } else {
          // 32 / bits values in each uint32; t.elements <= the file's bytes / 4, so x 32 fits
          // unless the file claims more than 2^61 bytes.
          if (__builtin_mul_overflow(t.elements, 32, &params))
            throw std::runtime_error(sh.path + ": tensor '" + shown_value(t.name) + "' unpacks to more than 2^64 values");
          params /= static_cast<std::uint64_t>(bits);
          // Cross-check with the scales: unpacked columns == scale columns x group size.
          const SafetensorsTensor* sc = by_name.at(module + ".scales");
          if (!t.shape.empty() && !sc->shape.empty() && mq.group_size > 0 &&
              static_cast<unsigned __int128>(t.shape.back()) * 32 / static_cast<unsigned>(bits) !=
                  static_cast<unsigned __int128>(sc->shape.back()) * static_cast<unsigned>(mq.group_size)) {
            ++geometry_mismatches;
            if (mismatch_example.empty()) mismatch_example = t.name;
          }
        }
      }
      add_checked(out.parameters, params, sh, t, "parameter count");  // the sums below are parts of it
      if (dropped_by_mlx_lm(name)) {
        dropped_params += params;
        dropped_bytes += t.bytes();
      } else {
        lm_params += params;
        if (is_routed_expert(name)) expert_params += params;
      }
    }
  }
  if (not_u32 > 0)  // one warning however many tensors: a header can list 200,000
    out.warnings.push_back(not_u32_example + ", not U32" +
                           (not_u32 > 1 ? " (and " + std::to_string(not_u32 - 1) + " more quantized tensors)" : ""));
  if (geometry_mismatches > 0)
    out.warnings.push_back(std::to_string(geometry_mismatches) + " quantized tensors do not match their scales at the config's bits/group size (e.g. '" +
                           shown_value(mismatch_example) + "')");
  if (dropped_bytes > 0)
    out.warnings.push_back(std::to_string(dropped_bytes) + " bytes (" + std::to_string(dropped_params) +
                           " parameters) are vision-encoder or multi-token-prediction weights, which mlx-lm drops at load");
  if (index && index->total_size > 0 && index->total_size != out.weights_bytes)
    out.warnings.push_back(index->path + ": metadata.total_size is " + std::to_string(index->total_size) + ", the headers add up to " +
                           std::to_string(out.weights_bytes));

  out.model.params_total = static_cast<double>(lm_params);
  out.model.params_active = out.model.params_total;
  if (out.model.is_moe() && out.model.moe->experts_per_token > 0 && expert_params > 0)
    out.model.params_active = static_cast<double>(lm_params - expert_params) +
                              static_cast<double>(expert_params) * out.model.moe->experts_per_token / out.model.moe->experts;
  // The weights decide whether the output projection is shared with the embedding.
  if (has_embed && out.model.tied_embeddings == has_lm_head) {
    out.warnings.push_back(std::string("config.json says tie_word_embeddings ") + (has_lm_head ? "true" : "false") +
                           " but the weights " + (has_lm_head ? "have" : "have no") + " lm_head: following the weights");
    out.model.tied_embeddings = !has_lm_head;
  }

  out.format = q.mlx || mlx_metadata || quantized_tensors > 0 ? "MLX" : "safetensors";
  if (q.mlx) {
    const MlxQuant& g = q.global;
    out.file_type = g.mode == "affine" ? "MLX " + std::to_string(g.bits) + "-bit, group " + std::to_string(g.group_size)
                                       : "MLX " + g.mode + ", group " + std::to_string(g.group_size);
    std::map<int, int> other_bits;
    int kept = 0;
    for (const auto& [module, m] : q.modules) {
      if (!m.quantized) ++kept;
      else if (m.bits != g.bits) ++other_bits[m.bits];
    }
    std::vector<std::string> extras;
    for (const auto& [bits, n] : other_bits) extras.push_back(std::to_string(n) + " modules at " + std::to_string(bits) + "-bit");
    if (kept > 0) extras.push_back(std::to_string(kept) + " modules unquantized");
    for (std::size_t i = 0; i < extras.size(); ++i) out.file_type += (i == 0 ? " (" : ", ") + extras[i];
    if (!extras.empty()) out.file_type += ")";
  } else if (!q.quant_method.empty()) {
    out.file_type = q.quant_method + (q.method_bits > 0 ? " " + std::to_string(q.method_bits) + "-bit" : "");
  } else {
    // The dtype holding most of the bytes ("bf16" for a plain Hugging Face checkpoint).
    std::string best;
    std::uint64_t most = 0;
    for (const auto& [dtype, bytes] : out.bytes_by_type)
      if (bytes > most) { most = bytes; best = dtype; }
    out.file_type = best.empty() ? "" : dtype_name(best);
  }
  return out;
}

}  // namespace planner
