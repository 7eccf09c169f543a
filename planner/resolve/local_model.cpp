#include "resolve/local_model.h"

#include <cstdlib>

#include "modelfile/load_model.h"
#include "resolve/routes.h"

namespace planner {

StoreEnv store_env_from_process() {
  auto var = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "");
  };
  StoreEnv e;
  e.home = var("HOME");
  e.hf_hub_cache = var("HF_HUB_CACHE");
  e.huggingface_hub_cache = var("HUGGINGFACE_HUB_CACHE");
  e.hf_home = var("HF_HOME");
  e.xdg_cache_home = var("XDG_CACHE_HOME");
  e.ollama_models = var("OLLAMA_MODELS");
  return e;
}

void use_local_model(const RouteConfig& rc, const std::string& quant, Resolution& res, ResolvedRoute& r,
                     LocalLookups& lookups) {
  const std::string& name = rc.model.value;
  if (r.file || !r.file_error.empty() || (r.model && r.model->user_defined) || looks_like_model_path(name)) return;
  const std::string key = quant + '\n' + name;
  auto done = lookups.by_name.find(key);
  if (done == lookups.by_name.end()) {
    if (!lookups.roots) lookups.roots = store_roots(store_env_from_process());
    LocalLookups::Done d;
    if (std::optional<LocalModel> found = find_local_model(*lookups.roots, name, quant)) {
      res.local_models.push_back(std::move(*found));
      d.found = &res.local_models.back();
      if (!d.found->error.empty()) {
        d.error = d.found->error;
      } else if (ModelLoad load = load_model_file(d.found->path); load.info) {
        load.info->model.id = d.found->name;  // the store's name, not the blob's hash or general.name
        if (d.found->store != kOllamaStore) load.info->model.hf_repo = d.found->name;
        load.info->model.user_defined = true;  // not a catalog entry: no published conversions to suggest
        res.files.push_back(std::move(*load.info));
        d.file = &res.files.back();
      } else {
        d.error = load.error;
      }
    }
    done = lookups.by_name.emplace(key, std::move(d)).first;
  }
  const LocalLookups::Done& d = done->second;
  if (!d.found) return;
  r.local = d.found;
  r.file = d.file;
  r.model = d.file ? &d.file->model : nullptr;
  if (!d.error.empty())
    r.file_error = "found in " + store_description(d.found->store) + ": " + d.error;  // d.error names the file
}

}  // namespace planner
