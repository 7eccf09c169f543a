#include "modelfile/lmstudio_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/text.h"
#include "modelfile/store_json.h"

namespace planner {

namespace fs = std::filesystem;

namespace {

// Folders of a models tree: publishers and repos, hundreds at most.
constexpr std::size_t kMaxFolderEntries = 100'000;

bool plain_name(std::string_view s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string_view::npos &&
         s.find('\\') == std::string_view::npos && s.find('\0') == std::string_view::npos;
}

std::vector<fs::path> subdirs(const fs::path& d) {
  std::vector<fs::path> v;
  std::error_code ec;
  std::size_t seen = 0;
  for (fs::directory_iterator it(d, ec), end; !ec && it != end && seen < kMaxFolderEntries; it.increment(ec), ++seen) {
    std::error_code e2;
    if (it->is_directory(e2) && it->path().filename().string()[0] != '.') v.push_back(it->path());
  }
  std::sort(v.begin(), v.end());
  return v;
}

std::optional<fs::path> child(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  if (fs::is_directory(dir / name, ec)) return dir / name;
  std::optional<fs::path> found;
  for (const auto& d : subdirs(dir))
    if (iequals(d.filename().string(), name)) {
      if (found) return std::nullopt;
      found = d;
    }
  return found;
}

}  // namespace

fs::path lmstudio_home(const fs::path& home) {
  const fs::path pointer = home / ".lmstudio-home-pointer";
  if (file_problem(pointer).empty()) {
    try {
      std::string s = read_small_file(pointer, 4096, "the LM Studio home pointer");
      // readFileSync(...).trim(): JavaScript's trim removes whitespace at both ends.
      const auto b = s.find_first_not_of(" \t\r\n\v\f");
      const auto e = s.find_last_not_of(" \t\r\n\v\f");
      if (b != std::string::npos) return s.substr(b, e - b + 1);
    } catch (const std::exception&) {
      // Unreadable pointer: LM Studio would fail; the default below is as good a guess as any.
    }
  }
  std::error_code ec;
  if (fs::exists(home / ".cache" / "lm-studio", ec)) return home / ".cache" / "lm-studio";
  return home / ".lmstudio";
}

fs::path lmstudio_models_dir(const fs::path& lms_home) {
  const fs::path settings = lms_home / "settings.json";
  if (file_problem(settings).empty()) {
    try {
      const nlohmann::json j = read_store_json(settings, 1ULL << 20, "settings.json");
      if (auto it = j.find("downloadsFolder"); j.is_object() && it != j.end() && it->is_string() &&
                                               !it->get<std::string>().empty())
        return it->get<std::string>();
    } catch (const std::exception&) {
      // lms: "Could not parse LM Studio configuration file, using default path".
    }
  }
  return lms_home / "models";
}

std::optional<fs::path> find_lmstudio_repo(const fs::path& models_dir, std::string_view name) {
  const auto slash = name.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string pub(name.substr(0, slash)), repo(name.substr(slash + 1));
  if (!plain_name(pub) || !plain_name(repo)) return std::nullopt;
  auto p = child(models_dir, pub);
  return p ? child(*p, repo) : std::nullopt;
}

std::vector<fs::path> list_lmstudio_repos(const fs::path& models_dir) {
  std::vector<fs::path> out;
  for (const auto& pub : subdirs(models_dir))
    for (const auto& repo : subdirs(pub)) out.push_back(repo);
  return out;
}

std::optional<std::string> lmstudio_name_of(const fs::path& models_dir, const fs::path& path) {
  std::error_code ec;
  const fs::path base = fs::weakly_canonical(models_dir, ec);
  if (ec) return std::nullopt;
  const fs::path p = fs::weakly_canonical(path, ec);
  if (ec) return std::nullopt;
  const fs::path rel = p.lexically_relative(base);
  std::vector<std::string> parts;
  for (const auto& part : rel) parts.push_back(part.string());
  if (parts.size() < 2 || parts[0] == ".." || parts[0] == ".") return std::nullopt;
  return parts[0] + "/" + parts[1];
}

}  // namespace planner
