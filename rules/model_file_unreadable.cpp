// LI042 model-file-unreadable: a route's model names a file or directory planner cannot read.
#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_model_file_unreadable(const Analysis& a, Reporter& out);
}

extern const Rule kModelFileUnreadable = {
    "LI042", "model-file-unreadable", Severity::error,
    "a route's model, or a models: entry's config, is a path that cannot be read",
    R"(## What it does
A route's `model:` may name a model on disk instead of a catalog entry: a `.gguf` file, or an
MLX / Hugging Face directory (config.json + safetensors), relative to the config file or
absolute (`./models/qwen2.5-7b-instruct-q4_k_m.gguf`, `~/models/Qwen3-8B-4bit`). planner then
reads its headers (never the weights) and uses the exact tensor bytes and the file's own
architecture. This rule reports a path that does not exist, is not a model, or is damaged: a
truncated download, a wrong magic, a corrupt header. The message names the byte offset. It also
reports a `models:` entry whose `config:` (a config.json) cannot be read or parsed.

## Why is this bad?
The server will fail on the same file, later and less clearly; a truncated GGUF often loads its
header and crashes mid-way through the tensors.

## Example
```yaml
routing:
  code:
    model: ./models/qwen2.5-coder-7b-instruct-q4_k_m.gguf   # download interrupted
```

## Fix
Download the file again (`hf download REPO FILE`), or correct the path. `planner inspect PATH`
shows what planner reads from a model file. A name found in a model store (the Hugging Face
cache, Ollama's store, LM Studio's folder: docs/model-stores.md) whose copy is broken is reported
here too, with the store's file at fault; `planner models --local` lists every store entry.
)",
    check_model_file_unreadable};

namespace {
void check_model_file_unreadable(const Analysis& a, Reporter& out) {
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (r.file_error.empty()) continue;
    auto& d = out.report(kModelFileUnreadable, r.cfg->model.node, route_path(r, "model"),
                         fmt::format("route '{}': cannot read model '{}': {}", shown_value(r.cfg->name),
                                     shown_value(r.cfg->model.value), shown_text(r.file_error)));
    d.help = r.local ? "the store's copy is broken or incomplete: download it again (`ollama pull NAME`, `hf download REPO`), "
                       "or set the route's quantization to a file the repo holds"
                     : "check the path (relative paths start at the config file's directory) or download the file again";
  }
  // A models: entry's config.json (`config: ./path/config.json`).
  for (const auto& e : a.resolution.model_config_errors) {
    auto& d = out.report(kModelFileUnreadable, e.node, fmt::format("models.{}.config", e.model),
                         fmt::format("models.{}: cannot read config '{}': {}", shown_value(e.model),
                                     shown_value(e.node ? e.node->text : ""), shown_text(e.message)));
    d.help = "the path is relative to the config file's directory; without a readable config.json, give layers, "
             "kv_heads and head_dim";
  }
}
}  // namespace

}  // namespace planner
