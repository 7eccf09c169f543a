#pragma once
// Ollama's model store (ollama fb30760): manifests named after the model, blobs named after their
// sha256. A manifest lists layers by media type; the GGUF is the `application/vnd.ollama.image.model`
// layer and the run-time options (num_ctx) are the `application/vnd.ollama.image.params` layer.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planner {

// $OLLAMA_MODELS (spaces and quotes trimmed, as envconfig.Var does), else ~/.ollama/models
// (envconfig/config.go:110-124,375-377@fb30760).
std::filesystem::path ollama_root(const std::string& ollama_models_env, const std::string& home);

// A model name, {host}/{namespace}/{model}:{tag}, with Ollama's defaults registry.ollama.ai,
// library and latest (types/model/name.go:38-43 DefaultName, :140-178 ParseNameBare@fb30760).
struct OllamaName {
  std::string host, ns, model, tag;
  // The manifest's path under manifests/: host/namespace/model/tag (name.go:292-302 Filepath).
  std::filesystem::path manifest_path() const;
  // As `ollama list` shows it: the host and namespace only where they are not the defaults
  // (name.go:231-251 DisplayShortest): "qwen3:14b", "hf.co/unsloth/Qwen3-8B-GGUF:Q4_K_M".
  std::string display() const;
};
// nullopt unless every part is valid (name.go:262-283 IsValid, :344-373 isValidPart): parts start
// with a letter, digit or '_' and hold only those, '-', '.' (not in a namespace) and ':' (host), so
// a valid name never leaves the manifests folder. A digest ("@sha256:...") is not accepted.
std::optional<OllamaName> parse_ollama_name(std::string_view s);

struct OllamaModel {
  OllamaName name;
  std::filesystem::path manifest;     // the manifest file
  std::filesystem::path blob;         // the GGUF blob
  std::string model_format;           // the config blob's model_format ("" when unstated: GGUF)
  std::string file_type;              // the config blob's file_type ("Q4_K_M"), "" when unstated
  std::optional<long long> num_ctx;   // from the params layer, when it sets one
};

// The model `name` in the store at `root`; nullopt when no manifest has that name (compared
// exactly, then ignoring case, as ollama does for names). Throws std::runtime_error (one line)
// when the manifest is there but broken: not JSON, no model layer, a bad digest, a missing blob,
// a params blob that is not JSON, or a model stored as safetensors tensors.
std::optional<OllamaModel> find_ollama_model(const std::filesystem::path& root, const OllamaName& name);

// Reads one manifest file (as find_ollama_model does, and with its errors).
OllamaModel read_ollama_manifest(const std::filesystem::path& root, const OllamaName& name,
                                 const std::filesystem::path& manifest);

// Every manifest of the store: manifests/*/*/*/* (manifest/manifest.go:175-227 Manifests@fb30760),
// with the name it stands for; files whose path is not a valid name are skipped, as ollama does.
struct OllamaEntry {
  OllamaName name;
  std::filesystem::path manifest;
};
std::vector<OllamaEntry> list_ollama_manifests(const std::filesystem::path& root);

// For a path `.../blobs/sha256-<hex>`: the store root and the names of the manifests whose model
// layer is that blob (sorted). Empty when the path is not a blob of a store.
std::vector<std::string> ollama_names_of_blob(const std::filesystem::path& blob);

}  // namespace planner
