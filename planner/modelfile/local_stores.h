#pragma once
// The model stores of the tools people download with, all in one place: the Hugging Face cache,
// Ollama's store and LM Studio's models folder. Finds a model name written in a config in any of
// them, names a path that lies in one, and lists what they hold. The environment is read by the
// caller (resolve/, cli/) and passed in, so that this code, and its tests, never depend on the
// process's own variables.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planner {

// The variables that place the stores ("" = unset).
struct StoreEnv {
  std::string home;                   // HOME
  std::string hf_hub_cache;           // HF_HUB_CACHE
  std::string huggingface_hub_cache;  // HUGGINGFACE_HUB_CACHE (legacy)
  std::string hf_home;                // HF_HOME
  std::string xdg_cache_home;         // XDG_CACHE_HOME
  std::string ollama_models;          // OLLAMA_MODELS
};

struct StoreRoots {
  std::filesystem::path hf_cache;         // .../huggingface/hub
  std::filesystem::path ollama;           // .../.ollama/models
  std::filesystem::path lmstudio_models;  // .../.lmstudio/models
};
// Reads LM Studio's pointer file and settings.json (small files, when present); nothing else.
StoreRoots store_roots(const StoreEnv& env);

inline constexpr std::string_view kHfStore = "Hugging Face cache";
inline constexpr std::string_view kOllamaStore = "Ollama";
inline constexpr std::string_view kLmStudioStore = "LM Studio";
// "the Hugging Face cache", "Ollama's store", "LM Studio's models folder": for sentences.
std::string store_description(std::string_view store);

// A model found in a store.
struct LocalModel {
  std::string store;                 // kHfStore, kOllamaStore, kLmStudioStore
  std::string name;                  // as the tool names it: "Qwen/Qwen3-14B", "qwen3:14b", "publisher/repo"
  std::filesystem::path root;        // the store's folder
  std::filesystem::path path;        // what to read: a .gguf file or a model directory (empty on error)
  std::string via;                   // how the name led there: "refs/main -> snapshots/<sha>", "manifest ..."
  std::optional<long long> num_ctx;  // Ollama's params layer
  std::string file_type;             // Ollama's config blob (the GGUF says it too)
  std::string error;                 // found, but not readable: one line
};

// Looks `name` up in the Hugging Face cache (a repo id), then LM Studio (publisher/repo), then
// Ollama (name[:tag]). `quant` picks the file of a GGUF repo. nullopt when no store has it.
std::optional<LocalModel> find_local_model(const StoreRoots& roots, std::string_view name, std::string_view quant);

// Everything the stores hold, one entry per model (a GGUF repo: one per .gguf file), sorted by
// store then name. Broken entries come with `error` set.
std::vector<LocalModel> list_local_models(const StoreRoots& roots);

// The name a path has in a store, where the path itself is a hash: an Ollama blob -> "qwen3:14b"
// (every manifest whose model layer it is, ", "-separated), a path in a Hugging Face cache repo
// (models--ORG--NAME/snapshots/<sha>/...) -> "ORG/NAME". nullopt for any other path. (LM Studio's
// paths are publisher/repo/file.gguf already.)
std::optional<std::string> store_name_of_path(const std::filesystem::path& path);

}  // namespace planner
