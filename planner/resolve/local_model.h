#pragma once
// Routes whose `model:` is a name already downloaded: a Hugging Face repo id in the hub cache, an
// Ollama name in its store, a publisher/repo in LM Studio's folder. Such a route is read from
// disk like a route that names a path (exact tensor bytes, the file's own architecture), and
// remembers where the model was found. The environment (HOME, HF_HUB_CACHE, OLLAMA_MODELS...) is
// read here, in the resolve stage, once per resolution and only when a route needs it.
#include <optional>
#include <string>
#include <unordered_map>

#include "modelfile/local_stores.h"
#include "modelfile/model_file.h"

namespace planner {

struct Resolution;
struct ResolvedRoute;
struct RouteConfig;

// This process's store variables.
StoreEnv store_env_from_process();

// What one resolution has looked up already: a config may name one model in thousands of routes.
struct LocalLookups {
  std::optional<StoreRoots> roots;  // set on first use (from the process, unless a test sets it)
  struct Done {
    const LocalModel* found = nullptr;  // into Resolution::local_models; nullptr: not in any store
    const ModelFileInfo* file = nullptr;
    std::string error;
  };
  std::unordered_map<std::string, Done> by_name;  // key: quantization + '\n' + name
};

// When `r` has no model file yet (a catalog name, or unknown) and its name is found in a store:
// sets r.local, and r.file / r.model (read from disk) or r.file_error. A route whose name the
// config's models: section defines is left alone. `quant` is the route's quantization name: it
// picks the file of a GGUF repo.
void use_local_model(const RouteConfig& rc, const std::string& quant, Resolution& res, ResolvedRoute& r,
                     LocalLookups& lookups);

}  // namespace planner
