#include "modelfile/ollama_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "core/text.h"
#include "modelfile/limits.h"
#include "modelfile/store_json.h"

namespace planner {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

enum class Part { host, ns, model, tag };

// isValidPart / isValidLen (types/model/name.go:333-373@fb30760).
bool valid_part(Part kind, std::string_view s) {
  if (s.empty() || s.size() > (kind == Part::host ? 350u : 80u)) return false;
  auto alnum_ = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; };
  if (!alnum_(s[0])) return false;
  for (char c : s.substr(1)) {
    if (c == '_' || c == '-' || alnum_(c)) continue;
    if (c == '.' && kind != Part::ns) continue;
    if (c == ':' && kind == Part::host) continue;
    return false;
  }
  return true;
}

// A manifest is a few hundred bytes for a GGUF model; one of Ollama's safetensors format lists a
// layer per tensor (~200 bytes each). 16 MiB is room for ~80,000 tensors.
constexpr std::uint64_t kMaxManifestBytes = 16ULL << 20;
// A params blob holds a handful of options (num_ctx, stop, temperature).
constexpr std::uint64_t kMaxParamsBytes = 1ULL << 20;
// Manifests of a store: `ollama list` of a large machine shows hundreds.
constexpr std::size_t kMaxManifests = 100'000;

// "sha256:<64 hex>" or "sha256-<64 hex>" -> the blob's file name "sha256-<hex>" (manifest/paths.go:40-61
// BlobsPath@fb30760: any other digest is ErrInvalidDigestFormat).
std::optional<std::string> blob_name(std::string_view digest) {
  if (digest.size() != 71 || digest.substr(0, 6) != "sha256" || (digest[6] != ':' && digest[6] != '-')) return std::nullopt;
  for (char c : digest.substr(7))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return std::nullopt;
  return "sha256-" + std::string(digest.substr(7));
}

const json* string_field(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? &*it : nullptr;
}

// The blob a layer points at, checked to exist as a file.
fs::path layer_blob(const fs::path& root, const fs::path& manifest, const json& layer, const char* what) {
  const json* d = string_field(layer, "digest");
  if (!d) throw std::runtime_error(manifest.string() + ": the " + what + " layer has no digest");
  auto name = blob_name(d->get<std::string>());
  if (!name)
    throw std::runtime_error(manifest.string() + ": the " + what + " layer's digest '" + shown_value(d->get<std::string>()) +
                             "' is not sha256:<64 hex digits>");
  fs::path blob = root / "blobs" / *name;
  if (std::string why = file_problem(blob); !why.empty())
    throw std::runtime_error(manifest.string() + ": the " + what + " blob blobs/" + *name + " cannot be read (" + why +
                             (why == "No such file or directory" ? ": an interrupted pull or a pruned store?)" : ")"));
  return blob;
}

}  // namespace

fs::path ollama_root(const std::string& env, const std::string& home) {
  std::string s = env;
  auto trim = [&](std::string_view set) {
    while (!s.empty() && set.find(s.front()) != std::string_view::npos) s.erase(0, 1);
    while (!s.empty() && set.find(s.back()) != std::string_view::npos) s.pop_back();
  };
  trim(" \t\n\r\v\f");  // strings.TrimSpace, then strings.Trim(_, "\"'")
  trim("\"'");
  if (!s.empty()) return s;
  return fs::path(home) / ".ollama" / "models";
}

fs::path OllamaName::manifest_path() const { return fs::path(host) / ns / model / tag; }

std::string OllamaName::display() const {
  std::string out;
  if (to_lower(host) != "registry.ollama.ai") out = host + "/" + ns + "/";
  else if (to_lower(ns) != "library") out = ns + "/";
  return out + model + ":" + tag;
}

std::optional<OllamaName> parse_ollama_name(std::string_view s) {
  if (s.find('@') != std::string_view::npos || s.find("://") != std::string_view::npos) return std::nullopt;
  OllamaName n{"registry.ollama.ai", "library", "", "latest"};
  const auto colon = s.rfind(':'), slash = s.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    n.tag = std::string(s.substr(colon + 1));
    s = s.substr(0, colon);
  }
  auto cut = s.rfind('/');
  n.model = std::string(s.substr(cut == std::string_view::npos ? 0 : cut + 1));
  if (cut != std::string_view::npos) {
    s = s.substr(0, cut);
    cut = s.rfind('/');
    n.ns = std::string(s.substr(cut == std::string_view::npos ? 0 : cut + 1));
    if (cut != std::string_view::npos) n.host = std::string(s.substr(0, cut));
  }
  if (!valid_part(Part::host, n.host) || !valid_part(Part::ns, n.ns) || !valid_part(Part::model, n.model) ||
      !valid_part(Part::tag, n.tag))
    return std::nullopt;
  return n;
}

OllamaModel read_ollama_manifest(const fs::path& root, const OllamaName& name, const fs::path& manifest) {
  OllamaModel m;
  m.name = name;
  m.manifest = manifest;
  const json doc = read_store_json(manifest, kMaxManifestBytes, "manifest");
  if (!doc.is_object()) throw std::runtime_error(manifest.string() + ": byte 0: the manifest is not a JSON object");
  auto layers = doc.find("layers");
  if (layers == doc.end() || !layers->is_array())
    throw std::runtime_error(manifest.string() + ": the manifest has no \"layers\" list");
  // The config blob says how the weights are stored (types/model/config.go:4-27; server/images.go:88-94
  // IsMLX: model_format "safetensors"). It is optional here: GGUF is the default.
  if (auto cfg = doc.find("config"); cfg != doc.end() && cfg->is_object() && string_field(*cfg, "digest")) {
    if (auto n = blob_name((*cfg)["digest"].get<std::string>())) {
      const fs::path blob = root / "blobs" / *n;
      if (file_problem(blob).empty()) {
        const json c = read_store_json(blob, kMaxParamsBytes, "config blob");
        if (c.is_object()) {
          if (const json* f = string_field(c, "model_format")) m.model_format = f->get<std::string>();
          if (const json* f = string_field(c, "file_type")) m.file_type = f->get<std::string>();
        }
      }
    }
  }
  const json* model_layer = nullptr;
  const json* params_layer = nullptr;
  for (const auto& layer : *layers) {
    if (!layer.is_object()) continue;
    const json* t = string_field(layer, "mediaType");
    if (!t) continue;
    // server/images.go:716-770@fb30760: the last model layer is the one ollama runs (each overwrites ModelPath).
    if (*t == "application/vnd.ollama.image.model") model_layer = &layer;
    else if (*t == "application/vnd.ollama.image.params") params_layer = &layer;
  }
  if (m.model_format == "safetensors")
    throw std::runtime_error(manifest.string() + ": " + name.display() +
                             " is stored as safetensors tensors (ollama's MLX format); planner reads its GGUF models only");
  if (!model_layer)
    throw std::runtime_error(manifest.string() + ": the manifest has no application/vnd.ollama.image.model layer");
  m.blob = layer_blob(root, manifest, *model_layer, "model");
  if (params_layer) {
    const fs::path p = layer_blob(root, manifest, *params_layer, "params");
    const json params = read_store_json(p, kMaxParamsBytes, "params blob");
    if (!params.is_object()) throw std::runtime_error(p.string() + ": byte 0: the params blob is not a JSON object");
    if (auto it = params.find("num_ctx"); it != params.end()) {
      // api/types.go:589 NumCtx int `json:"num_ctx"`; 0 means "not set" (omitempty).
      if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > limits::kContext)
        throw std::runtime_error(p.string() + ": num_ctx " + shown_value(it->dump()) +
                                 " is not a whole number of tokens between 0 and " + std::to_string(limits::kContext));
      if (it->get<long long>() > 0) m.num_ctx = it->get<long long>();
    }
  }
  return m;
}

std::vector<OllamaEntry> list_ollama_manifests(const fs::path& root) {
  std::vector<OllamaEntry> out;
  const fs::path manifests = root / "manifests";
  std::error_code ec;
  std::size_t seen = 0;
  // Four levels, host/namespace/model/tag, as filepath.Glob(manifests/*/*/*/*) walks them.
  auto dirs = [&](const fs::path& d) {
    std::vector<fs::path> v;
    for (fs::directory_iterator it(d, ec), end; !ec && it != end && seen < kMaxManifests; it.increment(ec), ++seen) v.push_back(it->path());
    ec.clear();
    std::sort(v.begin(), v.end());
    return v;
  };
  for (const auto& h : dirs(manifests))
    for (const auto& n : dirs(h))
      for (const auto& m : dirs(n))
        for (const auto& t : dirs(m)) {
          std::error_code e2;
          if (fs::is_directory(t, e2)) continue;
          OllamaName name{h.filename().string(), n.filename().string(), m.filename().string(), t.filename().string()};
          if (!valid_part(Part::host, name.host) || !valid_part(Part::ns, name.ns) || !valid_part(Part::model, name.model) ||
              !valid_part(Part::tag, name.tag))
            continue;
          out.push_back({name, t});
        }
  return out;
}

std::optional<OllamaModel> find_ollama_model(const fs::path& root, const OllamaName& name) {
  fs::path manifest = root / "manifests" / name.manifest_path();
  std::error_code ec;
  // A path that exists in any form (even a symlink loop) is this name's manifest: its error is the answer.
  if (!fs::exists(fs::symlink_status(manifest, ec))) {
    std::optional<OllamaEntry> found;
    const std::string want = to_lower(name.manifest_path().string());
    for (const auto& e : list_ollama_manifests(root))
      if (to_lower(e.name.manifest_path().string()) == want) {
        if (found) return std::nullopt;
        found = e;
      }
    if (!found) return std::nullopt;
    return read_ollama_manifest(root, found->name, found->manifest);
  }
  return read_ollama_manifest(root, name, manifest);
}

std::vector<std::string> ollama_names_of_blob(const fs::path& blob) {
  std::vector<std::string> names;
  const fs::path p = blob.lexically_normal();
  if (!blob_name(p.filename().string()) || p.parent_path().filename() != "blobs") return names;
  const fs::path root = p.parent_path().parent_path();
  std::error_code ec;
  if (!fs::is_directory(root / "manifests", ec)) return names;
  for (const auto& e : list_ollama_manifests(root)) {
    try {
      if (read_ollama_manifest(root, e.name, e.manifest).blob.filename() == p.filename()) names.push_back(e.name.display());
    } catch (const std::exception&) {
      // Another model's broken manifest says nothing about this blob.
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace planner
