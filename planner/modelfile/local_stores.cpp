#include "modelfile/local_stores.h"

#include <algorithm>
#include <stdexcept>
#include <system_error>

#include "core/text.h"
#include "modelfile/gguf_choice.h"
#include "modelfile/hf_cache.h"
#include "modelfile/lmstudio_store.h"
#include "modelfile/ollama_store.h"
#include "modelfile/store_json.h"

namespace planner {

namespace fs = std::filesystem;

namespace {

bool has_config(const fs::path& dir) { return file_problem(dir / "config.json").empty(); }

// A folder of model files (an HF snapshot, an LM Studio repo) -> what to read: the folder itself
// when it holds config.json (MLX / transformers), else the .gguf file `quant` picks.
void pick_model(const fs::path& dir, std::string_view quant, LocalModel& m) {
  if (has_config(dir)) {
    m.path = dir;
    return;
  }
  GgufChoice c = choose_gguf(dir, quant);
  if (!c.file.empty()) {
    m.path = c.file;
    m.via += (m.via.empty() ? "" : " -> ") + c.file.filename().string();
  } else if (c.files.empty()) {
    m.error = dir.string() + ": neither config.json nor .gguf files (a partial download?)";
  } else {
    m.error = c.error;
  }
}

LocalModel from_hf(const fs::path& root, const fs::path& repo_dir, std::string_view quant) {
  LocalModel m;
  m.store = kHfStore;
  m.root = root;
  m.name = hf_repo_id_of_folder(repo_dir.filename().string()).value_or(repo_dir.filename().string());
  try {
    const HfSnapshot s = hf_snapshot(repo_dir);
    m.via = "refs/main -> snapshots/" + s.revision;
    pick_model(s.dir, quant, m);
  } catch (const std::exception& e) {
    m.error = e.what();
  }
  return m;
}

LocalModel from_lmstudio(const fs::path& root, const fs::path& repo_dir, std::string_view quant) {
  LocalModel m;
  m.store = kLmStudioStore;
  m.root = root;
  m.name = repo_dir.parent_path().filename().string() + "/" + repo_dir.filename().string();
  pick_model(repo_dir, quant, m);
  return m;
}

LocalModel from_ollama(const fs::path& root, const OllamaName& name, const fs::path& manifest) {
  LocalModel m;
  m.store = kOllamaStore;
  m.root = root;
  m.name = name.display();
  m.via = "manifest " + name.manifest_path().string();
  try {
    OllamaModel om = read_ollama_manifest(root, name, manifest);
    m.path = om.blob;
    m.num_ctx = om.num_ctx;
    m.file_type = om.file_type;
  } catch (const std::exception& e) {
    m.error = e.what();
  }
  return m;
}


// One entry per model file of a folder: the folder (config.json), else each single-file GGUF; a
// split GGUF is one entry with the error choose_gguf gives it.
void list_folder(LocalModel base, const fs::path& dir, std::vector<LocalModel>& out) {
  if (!base.error.empty() || has_config(dir)) {
    if (base.error.empty()) base.path = dir;
    out.push_back(std::move(base));
    return;
  }
  GgufChoice all = choose_gguf(dir, "");
  if (all.files.empty()) {
    base.error = dir.string() + ": neither config.json nor .gguf files (a partial download?)";
    out.push_back(std::move(base));
    return;
  }
  for (const auto& f : all.files) {
    const std::string lf = to_lower(f);
    const bool shard = lf.find("-of-0") != std::string::npos;
    if (shard && lf.find("-00001-of-") == std::string::npos) continue;  // the first shard stands for the set
    LocalModel m = base;
    m.via += (m.via.empty() ? "" : " -> ") + f;
    if (shard) m.error = dir.string() + ": " + shown_value(f) + " is one shard of a split GGUF; planner reads single-file GGUFs only";
    else m.path = dir / f;
    out.push_back(std::move(m));
  }
}

}  // namespace

std::string store_description(std::string_view store) {
  if (store == kHfStore) return "the Hugging Face cache";
  if (store == kOllamaStore) return "Ollama's store";
  if (store == kLmStudioStore) return "LM Studio's models folder";
  return std::string(store);
}

StoreRoots store_roots(const StoreEnv& env) {
  StoreRoots r;
  r.hf_cache = hf_cache_root({env.hf_hub_cache, env.huggingface_hub_cache, env.hf_home, env.xdg_cache_home, env.home});
  r.ollama = ollama_root(env.ollama_models, env.home);
  if (!env.home.empty()) r.lmstudio_models = lmstudio_models_dir(lmstudio_home(env.home));
  return r;
}

std::optional<LocalModel> find_local_model(const StoreRoots& roots, std::string_view name, std::string_view quant) {
  if (!roots.hf_cache.empty() && valid_hf_repo_id(name))
    if (auto dir = find_hf_repo_dir(roots.hf_cache, name)) return from_hf(roots.hf_cache, *dir, quant);
  if (!roots.lmstudio_models.empty())
    if (auto dir = find_lmstudio_repo(roots.lmstudio_models, name)) return from_lmstudio(roots.lmstudio_models, *dir, quant);
  if (!roots.ollama.empty())
    if (auto n = parse_ollama_name(name)) {
      try {
        if (auto om = find_ollama_model(roots.ollama, *n)) return from_ollama(roots.ollama, om->name, om->manifest);
      } catch (const std::exception& e) {
        LocalModel m;
        m.store = kOllamaStore;
        m.root = roots.ollama;
        m.name = n->display();
        m.via = "manifest " + n->manifest_path().string();
        m.error = e.what();
        return m;
      }
    }
  return std::nullopt;
}

std::vector<LocalModel> list_local_models(const StoreRoots& roots) {
  std::vector<LocalModel> out;
  if (!roots.hf_cache.empty())
    for (const auto& dir : list_hf_repo_dirs(roots.hf_cache)) {
      LocalModel base;
      base.store = kHfStore;
      base.root = roots.hf_cache;
      base.name = hf_repo_id_of_folder(dir.filename().string()).value_or(dir.filename().string());
      try {
        const HfSnapshot snap = hf_snapshot(dir);
        base.via = "refs/main -> snapshots/" + snap.revision;
        list_folder(std::move(base), snap.dir, out);
      } catch (const std::exception& e) {
        base.error = e.what();
        out.push_back(std::move(base));
      }
    }
  if (!roots.ollama.empty())
    for (const auto& e : list_ollama_manifests(roots.ollama)) out.push_back(from_ollama(roots.ollama, e.name, e.manifest));
  if (!roots.lmstudio_models.empty())
    for (const auto& dir : list_lmstudio_repos(roots.lmstudio_models)) {
      LocalModel base;
      base.store = kLmStudioStore;
      base.root = roots.lmstudio_models;
      base.name = dir.parent_path().filename().string() + "/" + dir.filename().string();
      list_folder(std::move(base), dir, out);
    }
  return out;
}

std::optional<std::string> store_name_of_path(const fs::path& path) {
  if (auto names = ollama_names_of_blob(path); !names.empty()) return join(names, ", ");
  if (auto place = hf_place_of(path)) return place->repo_id;
  return std::nullopt;
}

}  // namespace planner
