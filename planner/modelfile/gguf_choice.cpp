#include "modelfile/gguf_choice.h"

#include <algorithm>
#include <system_error>

#include "core/text.h"

namespace planner {

namespace fs = std::filesystem;

namespace {

// A folder of a GGUF repo lists tens of files; this bounds a hostile one.
constexpr std::size_t kMaxEntries = 10'000;

bool is_gguf_name(const std::string& n) {
  return n.size() > 5 && to_lower(n.substr(n.size() - 5)) == ".gguf" && to_lower(n).find("mmproj") == std::string::npos;
}

// "Qwen3-14B-Q4_K_M.gguf" holds "q4_k_m" as a word: after the start or '-', '.', '_', and before
// '-', '.' or the end ('_' may not follow: Q4_K is not Q4_K_M).
bool holds_quant(std::string_view name_lower, std::string_view q) {
  for (std::size_t at = name_lower.find(q); at != std::string_view::npos; at = name_lower.find(q, at + 1)) {
    const bool start = at == 0 || name_lower[at - 1] == '-' || name_lower[at - 1] == '.' || name_lower[at - 1] == '_' ||
                       name_lower[at - 1] == '/';
    const std::size_t end = at + q.size();
    const bool stop = end == name_lower.size() || name_lower[end] == '-' || name_lower[end] == '.' || name_lower[end] == '/';
    if (start && stop) return true;
  }
  return false;
}

bool is_shard(std::string_view name_lower) { return name_lower.find("-of-0") != std::string_view::npos; }

void collect(const fs::path& dir, const std::string& prefix, int depth, std::vector<std::string>& out) {
  std::error_code ec;
  std::size_t seen = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end && seen < kMaxEntries; it.increment(ec), ++seen) {
    const std::string n = it->path().filename().string();
    std::error_code e2;
    if (depth == 0 && it->is_directory(e2) && !it->is_symlink(e2)) collect(it->path(), prefix + n + "/", 1, out);
    else if (is_gguf_name(n) && it->is_regular_file(e2)) out.push_back(prefix + n);
  }
}

}  // namespace

bool has_gguf_files(const fs::path& dir) {
  std::error_code ec;
  std::size_t seen = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end && seen < kMaxEntries; it.increment(ec), ++seen)
    if (is_gguf_name(it->path().filename().string())) return true;
  return false;
}

GgufChoice choose_gguf(const fs::path& dir, std::string_view quant) {
  GgufChoice c;
  collect(dir, "", 0, c.files);
  std::sort(c.files.begin(), c.files.end());
  auto listed = [&] { return shown_value(join(c.files, ", "), 300); };
  if (c.files.empty()) {
    c.error = dir.string() + ": no .gguf files";
    return c;
  }
  std::vector<std::string> picked;
  const std::string q = to_lower(quant);
  if (!q.empty())
    for (const auto& f : c.files)
      if (holds_quant(to_lower(f), q)) picked.push_back(f);
  // "Q4_K_M" also matches "UD-Q4_K_M" (Unsloth's dynamic mix of the same name): the plain file wins.
  if (picked.size() > 1 && q.rfind("ud-", 0) != 0) {
    std::vector<std::string> plain;
    for (const auto& f : picked)
      if (!holds_quant(to_lower(f), "ud-" + q)) plain.push_back(f);
    if (!plain.empty()) picked = plain;
  }
  if (picked.empty() && c.files.size() == 1) picked = c.files;  // one file: nothing to choose
  if (picked.empty()) {
    c.error = dir.string() + ": no .gguf file for quantization '" + shown_value(quant) + "'; files: " + listed();
    return c;
  }
  if (picked.size() > 1) {
    const bool shards = std::all_of(picked.begin(), picked.end(), [](const std::string& f) { return is_shard(to_lower(f)); });
    c.error = dir.string() + ": " +
              (shards ? "quantization '" + shown_value(quant) + "' is split into " + std::to_string(picked.size()) +
                            " files (" + shown_value(join(picked, ", "), 200) +
                            "); planner reads single-file GGUFs only"
                      : "several .gguf files match '" + shown_value(quant) + "': " + shown_value(join(picked, ", "), 300) +
                            "; name one by its path");
    return c;
  }
  if (is_shard(to_lower(picked.front()))) {
    c.error = dir.string() + ": " + shown_value(picked.front()) + " is one shard of a split GGUF; planner reads single-file GGUFs only";
    return c;
  }
  c.file = dir / picked.front();
  return c;
}

}  // namespace planner
