#include "modelfile/load_model.h"

#include <fmt/format.h>

#include "modelfile/gguf.h"
#include "modelfile/gguf_model.h"
#include "modelfile/model_dir.h"
#include "resolve/quant.h"

namespace planner {

bool looks_like_model_path(std::string_view m) {
  auto ends_with = [&](std::string_view suffix) {
    return m.size() >= suffix.size() && m.substr(m.size() - suffix.size()) == suffix;
  };
  return ends_with(".gguf") || ends_with(".GGUF") || m.rfind("./", 0) == 0 || m.rfind("../", 0) == 0 ||
         m.rfind("/", 0) == 0 || m.rfind("~/", 0) == 0;
}

ModelLoad load_model_file(const std::filesystem::path& path) {
  ModelLoad out;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    out.error = "No such file or directory";
    return out;
  }
  if (std::filesystem::is_directory(path, ec) || path.extension() != ".gguf") {
    try {
      out.info = read_model_dir(path);
    } catch (const std::exception& e) {
      out.error = e.what();
    }
    return out;
  }
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
