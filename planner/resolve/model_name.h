#pragma once
// The names people write for a model, reduced to what the catalog knows: an HF repo id in any
// case, a published conversion (MLX, GGUF repos) whether or not the catalog lists it, an Ollama
// tag, a GGUF file name that is no file on disk, an LM Studio key. A name may also carry a
// quantization (`-4bit`, `:14b-q8_0`, `-Q4_K_M.gguf`); it is returned as quant.h names it.
#include <optional>
#include <string>
#include <string_view>

#include "resolve/catalog.h"
#include "resolve/quant.h"

namespace planner {

enum class NameForm {
  catalog,         // an id or alias of the catalog, as written there
  repo_id,         // the model's own Hugging Face repo id (any case), or an LM Studio key
  mlx_conversion,  // an MLX repo (`mlx-community/X-4bit`, `org/X-MLX-8bit`)
  gguf_repo,       // a GGUF repo (`unsloth/X-GGUF`, `bartowski/Org_X-GGUF`), maybe with `:QUANT`
  ollama_tag,      // `qwen3:14b`, `qwen3:latest`, `llama3.1:8b-instruct-q4_K_M`
  gguf_file,       // `X-Q4_K_M.gguf`, `X-UD-Q4_K_XL-00001-of-00003.gguf`, `org/repo/X-Q8_0.gguf`
};

std::string_view to_string(NameForm form);

struct ModelName {
  std::optional<CatalogMatch> match;  // nullopt: the catalog knows no model by this name
  NameForm form = NameForm::catalog;
  std::string quant;     // the quantization the name carries, as quant.h names it ("Q4_K_M", "4bit"); "" if none
  std::string format;    // the runtime format the name implies: "mlx", "gguf", or "" (either)
  std::string reduced;   // the model part of the name (`Qwen3-14B` of `mlx-community/Qwen3-14B-4bit`)
};

// `name` as written in a route's `model:`. Paths (`./x.gguf`, `/models/x`) are not names: nullopt
// match. A quantization the name carries but quant.h does not resolve is left out of `quant`.
ModelName resolve_model_name(const Catalog& catalog, const QuantTables& quant, std::string_view name);

// A model name with case, punctuation, the org prefix and the words that do not tell models apart
// (`instruct`, `it`, `chat`, `hf`, `meta`) taken away, every number kept: `Qwen3 8B Instruct`,
// `qwen-3-8b` and `qwen/Qwen3-8B` give one key, `qwen3-14b` and `qwen3.5-8b` others. Two names
// with one key are spellings of the same model (same family, same size).
std::string spelling_key(std::string_view name);

// Whether `name` is a spelling of `m`: its key is the key of m's id, repo id or an alias.
bool spells_model(const ModelInfo& m, std::string_view name);

}  // namespace planner
