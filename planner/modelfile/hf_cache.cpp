#include "modelfile/hf_cache.h"

#include <algorithm>
#include <stdexcept>
#include <system_error>

#include "core/errno_text.h"
#include "core/text.h"
#include "modelfile/store_json.h"

namespace planner {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kModelsPrefix = "models--";

fs::path expand_home(const std::string& p, const std::string& home) {
  if (p == "~") return home;
  if (p.rfind("~/", 0) == 0 && !home.empty()) return fs::path(home) / p.substr(2);
  return p;
}

bool repo_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

bool valid_part(std::string_view s, std::size_t max_len) {
  if (s.empty() || s.size() > max_len) return false;
  if (!std::all_of(s.begin(), s.end(), repo_char)) return false;
  // \b at both ends of the regex: the first and last characters are word characters.
  auto word = [](char c) { return c != '-' && c != '.'; };
  return word(s.front()) && word(s.back());
}

}  // namespace

fs::path hf_cache_root(const HfCacheEnv& env) {
  if (!env.hf_hub_cache.empty()) return expand_home(env.hf_hub_cache, env.home);
  if (!env.huggingface_hub_cache.empty()) return expand_home(env.huggingface_hub_cache, env.home);
  if (!env.hf_home.empty()) return expand_home(env.hf_home, env.home) / "hub";
  const fs::path cache = env.xdg_cache_home.empty() ? fs::path(env.home) / ".cache" : expand_home(env.xdg_cache_home, env.home);
  return cache / "huggingface" / "hub";
}

bool valid_hf_repo_id(std::string_view id) {
  if (id.find("--") != std::string_view::npos || id.find("..") != std::string_view::npos) return false;
  if (id.size() >= 4 && id.substr(id.size() - 4) == ".git") return false;
  const auto slash = id.find('/');
  if (slash == std::string_view::npos) return valid_part(id, 96);
  // The namespace has no length cap in the regex; 96 keeps a path component short all the same.
  return valid_part(id.substr(0, slash), 96) && valid_part(id.substr(slash + 1), 96);
}

std::string hf_repo_folder(std::string_view repo_id) {
  std::string out(kModelsPrefix);
  for (char c : repo_id) {
    if (c == '/') out += "--";
    else out += c;
  }
  return out;
}

std::optional<std::string> hf_repo_id_of_folder(std::string_view folder) {
  if (folder.substr(0, kModelsPrefix.size()) != kModelsPrefix) return std::nullopt;
  std::string id(folder.substr(kModelsPrefix.size()));
  // "--" cannot occur inside an id, so the first one (if any) separates namespace and name.
  if (auto sep = id.find("--"); sep != std::string::npos) id.replace(sep, 2, "/");
  if (!valid_hf_repo_id(id)) return std::nullopt;
  return id;
}

std::optional<fs::path> find_hf_repo_dir(const fs::path& root, std::string_view repo_id) {
  if (!valid_hf_repo_id(repo_id)) return std::nullopt;
  std::error_code ec;
  const std::string folder = hf_repo_folder(repo_id);
  if (fs::is_directory(root / folder, ec)) return root / folder;
  const std::string want = to_lower(folder);
  std::optional<fs::path> found;
  for (const auto& dir : list_hf_repo_dirs(root))
    if (to_lower(dir.filename().string()) == want) {
      if (found) return std::nullopt;  // two spellings of one id: neither is "the" repo
      found = dir;
    }
  return found;
}

HfSnapshot hf_snapshot(const fs::path& repo_dir) {
  HfSnapshot s;
  s.repo_dir = repo_dir;
  s.repo_id = hf_repo_id_of_folder(repo_dir.filename().string()).value_or(repo_dir.filename().string());
  const fs::path ref = repo_dir / "refs" / "main";
  std::error_code ec;
  if (file_problem(ref) == "No such file or directory" && !fs::is_symlink(ref, ec)) {
    std::vector<std::string> shas;
    for (const auto& e : fs::directory_iterator(repo_dir / "snapshots", ec)) shas.push_back(e.path().filename().string());
    std::sort(shas.begin(), shas.end());
    throw std::runtime_error(repo_dir.string() + ": no refs/main (snapshots: " +
                             (shas.empty() ? std::string("none") : shown_value(join(shas, ", "))) + ")");
  }
  // A commit hash is 40 hex digits; 4 KiB is room for any revision name git allows on a line.
  std::string rev = read_small_file(ref, 4096, "refs/main");
  while (!rev.empty() && (rev.back() == '\n' || rev.back() == '\r' || rev.back() == ' ')) rev.pop_back();
  if (rev.empty() || rev == "." || rev == ".." || rev.find('/') != std::string::npos ||
      rev.find('\\') != std::string::npos || rev.find('\0') != std::string::npos)
    throw std::runtime_error(ref.string() + ": '" + shown_value(rev) + "' is not a snapshot name");
  s.revision = rev;
  s.dir = repo_dir / "snapshots" / rev;
  if (!fs::is_directory(s.dir, ec))
    throw std::runtime_error(ref.string() + ": names snapshot " + shown_value(rev) +
                             ", which is not in snapshots/ (" + (ec && ec != std::errc::no_such_file_or_directory ? error_text(ec) : "a dangling ref") + ")");
  return s;
}

std::optional<HfPlace> hf_place_of(const fs::path& path) {
  const fs::path p = path.lexically_normal();
  std::vector<fs::path> parts(p.begin(), p.end());
  while (!parts.empty() && parts.back().empty()) parts.pop_back();  // a trailing slash
  for (std::size_t i = parts.size(); i-- > 0;) {
    auto id = hf_repo_id_of_folder(parts[i].string());
    if (!id) continue;
    const bool is_repo_dir = i + 1 == parts.size();
    if (!is_repo_dir && parts[i + 1] != "snapshots") return std::nullopt;  // blobs/, refs/: not a model
    fs::path dir;
    for (std::size_t k = 0; k <= i; ++k) dir /= parts[k];
    return HfPlace{*id, dir, is_repo_dir};
  }
  return std::nullopt;
}

std::vector<fs::path> list_hf_repo_dirs(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(kModelsPrefix, 0) == 0 && it->is_directory(ec)) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace planner
