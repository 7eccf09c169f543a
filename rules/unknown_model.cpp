// LI040 unknown-model: a model name that is not in the catalog nor under `models:`.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/text.h"
#include "resolve/model_name.h"
#include "rules/rule.h"

namespace planner {

namespace {
void check_unknown_model(const Analysis& a, Reporter& out);
std::string unsized_message(const std::string& written, NameForm form, const std::string& quant, const UnsizedModel& u);
}

extern const Rule kUnknownModel = {
    "LI040", "unknown-model", Severity::error,
    "a route's model is not in the catalog and not defined under models:",
    R"(## What it does
Looks each route's model up in the catalog (`planner models` lists it) by the names people write:
an id or alias, a Hugging Face repo id in any case, a published MLX or GGUF conversion
(`mlx-community/X-4bit`, `bartowski/X-GGUF`), an Ollama tag (`qwen3:8b`, `:latest`,
`:8b-instruct-q4_K_M`), a GGUF file name that is no file on disk (`X-Q4_K_M.gguf`), an LM Studio
key; then under the config's own `models:` section. A name found nowhere is an error that says
what planner would need to size it. A name of a real model the catalog cannot hold, because no
copy of its config.json was found (data/unsized_models.yaml: Qwen3.5-2B, Devstral-Small-2505),
is named as that model, with the command that puts it where planner reads it.

## Why is this bad?
Without the model's architecture nothing can be sized: not the weights, not the KV cache. A
typo in a model name also means a failed download later.

## Example
```yaml
routing:
  code: {model: qwen3 8b instruct}
```

## Fix
A suggestion is only ever another spelling of the same model (same family, same size, other
case, punctuation or `-instruct`), and only a model the catalog holds; never a different size or
family (`qwen3:32b` is not `qwen3:8b`). There is no fix, safe or unsafe: planner cannot know that
a name it does not know is the model it resembles, so you write the name. Or give planner the
model itself: a path to a GGUF file or a model directory, a repo in
the local Hugging Face cache, or an entry under `models:` with numbers from its config.json:

```yaml
models:
  my-finetune-7b: {params_b: 7.62, layers: 28, kv_heads: 4, head_dim: 128, context_trained: 32768}
```

A model planner knows by name only (data/unsized_models.yaml) needs its own files: `ollama pull`
of the tag or `hf download` of the repo puts them where planner finds them by the name written,
or a `models:` entry names its config.json, which planner reads as it reads a model directory:

```yaml
models:
  my-model: {params_b: 7.62, config: ./models/my-model/config.json}
```
)",
    check_unknown_model};

namespace {
void check_unknown_model(const Analysis& a, Reporter& out) {
  // The spelling keys of every catalog name, made once, and only when some model is unknown.
  std::vector<std::pair<std::string, const ModelInfo*>> keys;
  auto spellings_of = [&](const std::string& name) {
    if (keys.empty())
      for (const auto& m : a.catalog->models()) {
        keys.emplace_back(spelling_key(m.id), &m);
        if (!m.hf_repo.empty()) keys.emplace_back(spelling_key(m.hf_repo), &m);
        for (const auto& alias : m.aliases) keys.emplace_back(spelling_key(alias), &m);
      }
    const std::string key = spelling_key(name);
    std::vector<const ModelInfo*> same;
    for (const auto& [k, m] : keys)
      if (!key.empty() && k == key && std::find(same.begin(), same.end(), m) == same.end()) same.push_back(m);
    return same;
  };
  for (const auto& ra : a.routes) {
    const auto& r = *ra.route;
    if (r.model || !r.file_error.empty()) continue;  // an unreadable path is LI042's finding
    // Declared under models: but incomplete or out of range: the schema stage said what is wrong.
    if (a.config.models_node && a.config.models_node->get(r.cfg->model.value)) continue;
    const std::string& written = r.cfg->model.value;
    const ModelName name = resolve_model_name(*a.catalog, *a.quant, written);
    // A real model that only lacks its config.json: which one, and what would size it.
    const UnsizedModel* u = a.catalog->unsized(written);
    if (!u && !name.reduced.empty()) u = a.catalog->unsized(name.reduced);
    if (u) {
      auto& d = out.report(kUnknownModel, r.cfg->model.node, route_path(r, "model"), unsized_message(written, name.form, r.quant_name, *u));
      d.help = "data/unsized_models.yaml lists the models planner knows by name only, and where their config.json was looked for";
      continue;
    }
    std::string message = fmt::format("unknown model '{}'", shown_value(written));
    if (name.reduced != written && !name.reduced.empty()) {
      // A repo id whose name is the model's own (`zai-org/GLM-4.5-Air`) is the model, not a
      // conversion of it: only a suffix taken off (`-4bit`, `-GGUF`, `:Q4_K_M`) makes one.
      const auto slash = written.find('/');
      const bool own_repo = name.form == NameForm::repo_id && slash != std::string::npos &&
                            std::string_view(written).substr(slash + 1) == name.reduced;
      message += fmt::format(" ({} of '{}', which the catalog does not hold)",
                             name.form == NameForm::ollama_tag ? "the Ollama tag"
                             : own_repo                        ? "the repo"
                                                               : "a conversion",
                             shown_value(name.reduced));
    }
    // Only another spelling of the same model: a different size or family is a different model.
    // A value longer than any model name (resolve/model_name.cpp) spells none: no keys to make.
    const std::vector<const ModelInfo*> same =
        written.size() > 1024 ? std::vector<const ModelInfo*>{} : spellings_of(name.reduced.empty() ? written : name.reduced);
    std::vector<std::string> ids;
    for (const ModelInfo* m : same) ids.push_back(shown_value(m->id));
    if (ids.size() > 3) ids.resize(3);
    message += ids.empty() ? "; planner needs" : fmt::format("; did you mean '{}'? If not, planner needs", join(ids, "', '"));
    message += " a path to a GGUF file or a model directory, a repo in the local Hugging Face cache, or an entry "
               "under `models:`";
    // No fix, not even for a spelling: planner cannot know that a name it does not know is that model.
    auto& d = out.report(kUnknownModel, r.cfg->model.node, route_path(r, "model"), std::move(message));
    d.help = "`planner models` lists known models; `planner explain LI040` shows a `models:` entry";
  }
}
// Where planner reads a model it cannot size from the catalog: the store the name belongs to (the
// local_model stage finds it there by this very name), a file, or a models: entry.
std::string unsized_message(const std::string& written, NameForm form, const std::string& quant, const UnsizedModel& u) {
  const bool tag = form == NameForm::ollama_tag && written.find(':') != std::string::npos;
  const bool repo = written.find('/') != std::string::npos && (form == NameForm::repo_id || form == NameForm::mlx_conversion ||
                                                               form == NameForm::gguf_repo);
  const std::string what = tag                                   ? "the Ollama tag of"
                           : form == NameForm::mlx_conversion    ? "an MLX conversion of"
                           : form == NameForm::gguf_repo         ? "a GGUF conversion of"
                           : form == NameForm::gguf_file         ? "a GGUF file of"
                                                                 : "the model";
  // A GGUF repo holds a file per quantization: the route's is the one planner picks from the cache.
  const std::string only = form == NameForm::gguf_repo && repo && !quant.empty() ? fmt::format(" --include '*{}*.gguf'", shown_value(quant)) : "";
  const std::string store = tag ? fmt::format("pulled into Ollama's store (`ollama pull {}`)", shown_value(written))
                                : fmt::format("downloaded into the local Hugging Face cache (`hf download {}{}`)",
                                              shown_value(repo ? written.substr(0, written.find(':')) : u.repo), only);
  return fmt::format(
      "unknown model '{}': {} {}, a real model the catalog does not hold (no copy of its config.json was found to build it "
      "from); planner needs the model itself: {}, a path to a GGUF file or a model directory, or an entry under `models:` "
      "with `params_b` and `config:` naming its config.json",
      shown_value(written), what, shown_value(u.repo), store);
}

}  // namespace

}  // namespace planner
