#pragma once
// The Hugging Face hub cache (huggingface_hub ee0a451): where `hf download` and transformers put
// a repo, and how a repo id becomes the snapshot directory that holds its files. Only names and
// small files (refs/main) are read here; the model files themselves go to load_model_file.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planner {

// The cache root from the environment's values ("" = unset): HF_HUB_CACHE, else
// HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub, HF_HOME defaulting to
// ${XDG_CACHE_HOME:-~/.cache}/huggingface (src/huggingface_hub/constants.py:157-182@ee0a451).
// A leading "~/" is the home directory, as Python's expanduser makes it; an empty value counts as
// unset (Python would take it as the current directory).
struct HfCacheEnv {
  std::string hf_hub_cache, huggingface_hub_cache, hf_home, xdg_cache_home, home;
};
std::filesystem::path hf_cache_root(const HfCacheEnv& env);

// Whether `id` is a repo id the hub accepts: "name" or "namespace/name", [A-Za-z0-9_.-], 1-96
// characters a part, not starting or ending in '-' or '.', no "--" or "..", not ending in ".git"
// (utils/_validators.py:28-37,131-148@ee0a451; ASCII only). So a valid id never leaves the
// cache folder when joined to it.
bool valid_hf_repo_id(std::string_view id);

// "Qwen/Qwen3-14B" -> "models--Qwen--Qwen3-14B": repo_folder_name() joins "models" and the id's
// parts with "--" (file_download.py:720-728, constants.py:108 REPO_ID_SEPARATOR@ee0a451).
std::string hf_repo_folder(std::string_view repo_id);
// The inverse: "models--Qwen--Qwen3-14B" -> "Qwen/Qwen3-14B"; nullopt for any other name.
std::optional<std::string> hf_repo_id_of_folder(std::string_view folder);

// The repo's folder in the cache: the exact name, else the one folder whose name matches it
// ignoring case (the hub's ids are case-insensitive, the cache keeps the case the id was
// downloaded with). nullopt when the repo is not in the cache.
std::optional<std::filesystem::path> find_hf_repo_dir(const std::filesystem::path& root, std::string_view repo_id);

struct HfSnapshot {
  std::filesystem::path repo_dir;  // .../models--ORG--NAME
  std::filesystem::path dir;       // .../snapshots/<sha>
  std::string repo_id;             // ORG/NAME
  std::string revision;            // the sha refs/main holds
};
// refs/main -> snapshots/<sha> (try_to_load_from_cache, file_download.py:1541-1565@ee0a451: the
// ref file holds the commit hash, written without a newline at :700-716). Throws
// std::runtime_error (one line) when refs/main is missing, unreadable or names a snapshot that
// is not there.
HfSnapshot hf_snapshot(const std::filesystem::path& repo_dir);

// Where `path` lies in a cache: the repo folder itself, or anything under its snapshots/.
struct HfPlace {
  std::string repo_id;
  std::filesystem::path repo_dir;
  bool is_repo_dir = false;  // `path` is the models--ORG--NAME folder (to follow refs/main)
};
std::optional<HfPlace> hf_place_of(const std::filesystem::path& path);

// Every models--* folder of the cache, sorted by name (datasets--, spaces-- are not models).
std::vector<std::filesystem::path> list_hf_repo_dirs(const std::filesystem::path& root);

}  // namespace planner
