#include "modelfile/load_model.h"

#include <fmt/format.h>

#include <fstream>

#include "core/errno_text.h"
#include "modelfile/gguf.h"
#include "modelfile/gguf_choice.h"
#include "modelfile/gguf_model.h"
#include "modelfile/hf_cache.h"
#include "modelfile/local_stores.h"
#include "modelfile/model_dir.h"
#include "model/quant_tables.h"
#include "model/weight_quant.h"

namespace planner {

namespace {

namespace fs = std::filesystem;

// The file's first four bytes are GGUF's magic (ggml/src/gguf.cpp GGUF_MAGIC "GGUF"): an Ollama
// blob (sha256-<hex>) has no extension, and a renamed file keeps its format.
bool has_gguf_magic(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == "GGUF";
}

// The name of Ollama's sha256-<64 hex> blobs (manifest/paths.go:40-61@fb30760).
bool is_blob_name(std::string_view n) {
  if (n.size() != 71 || n.substr(0, 7) != "sha256-") return false;
  for (char c : n.substr(7))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

ModelLoad load_gguf(const fs::path& path) {
  ModelLoad out;
  gguf::ReadResult r = gguf::read_file(path.string());
  if (!r.ok()) {
    out.error = r.has_offset ? fmt::format("{} (offset {})", r.error, r.error_offset) : r.error;
    return out;
  }
  out.gguf_version = static_cast<int>(r.file.version);
  try {
    out.info = model_info_from_gguf(r.file, path.string());
  } catch (const GgufModelError& e) {
    out.error = fmt::format("{} (offset {})", e.what(), e.offset);
  }
  return out;
}

ModelLoad load_dir_or_file(const fs::path& path) {
  ModelLoad out;
  std::error_code ec;
  fs::path target = path;
  if (fs::is_directory(path, ec)) {
    try {
      // A Hugging Face cache repo folder: its files are in the snapshot refs/main names.
      if (auto place = hf_place_of(path); place && place->is_repo_dir) target = hf_snapshot(path).dir;
    } catch (const std::exception& e) {
      out.error = e.what();
      return out;
    }
    // A GGUF repo's snapshot (or LM Studio folder) holds .gguf files and no config.json.
    if (!fs::exists(target / "config.json", ec) && has_gguf_files(target)) {
      GgufChoice c = choose_gguf(target, "");
      if (c.file.empty()) {
        out.error = c.error;
        return out;
      }
      return load_gguf(c.file);
    }
  } else if (path.string().ends_with(".gguf") || path.string().ends_with(".GGUF") ||
             (fs::is_regular_file(path, ec) && has_gguf_magic(path))) {  // never open a FIFO: it would block
    return load_gguf(path);  // a .gguf without the magic gets the reader's "not a GGUF file" error
  }
  try {
    out.info = read_model_dir(target);
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace

bool looks_like_model_path(std::string_view m) {
  const std::string_view base = m.substr(m.find_last_of('/') == std::string_view::npos ? 0 : m.find_last_of('/') + 1);
  return m.ends_with(".gguf") || m.ends_with(".GGUF") || m.rfind("./", 0) == 0 || m.rfind("../", 0) == 0 ||
         m.rfind("/", 0) == 0 || m.rfind("~/", 0) == 0 || is_blob_name(base) || base.rfind("models--", 0) == 0;
}

ModelLoad load_model_file(const fs::path& path) {
  ModelLoad out;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    out.error = ec ? error_text(ec) : "No such file or directory";
    return out;
  }
  out = load_dir_or_file(path);
  // A file in a store is named by a hash (sha256-..., snapshots/<sha>): show the store's name.
  if (out.info)
    if (auto name = store_name_of_path(path)) {
      out.info->model.id = *name;
      if (hf_place_of(path)) out.info->model.hf_repo = *name;
    }
  return out;
}

WeightQuant file_weight_quant(const ModelFileInfo& info) {
  WeightQuant q;
  q.known = true;
  q.requested = info.file_type;
  q.label = info.file_type.empty() ? "as stored in the file" : info.file_type;
  q.bpw = info.parameters ? 8.0 * static_cast<double>(info.weights_bytes) / static_cast<double>(info.parameters) : 0;
  // The bit class the task policy reads: the recipe's when the file names one (general.file_type),
  // else the whole bits of the stored weights (MLX 4-bit, group 64 = 4.5 -> 4).
  if (const GgufRecipe* r = QuantTables::builtin().recipe(info.file_type)) q.bits_class = r->bits_class;
  // Checked before the cast: headers with few parameters and many bytes (scales, sparse shards)
  // give any bpw, and every class above 16 reads the same (f16) efficiency.
  else q.bits_class = q.bpw < 64 ? static_cast<int>(q.bpw) : 64;
  return q;
}

}  // namespace planner
