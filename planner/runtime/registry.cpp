// The one table of runtimes: a new engine is its descriptor file (runtime/<engine>.cpp) and one
// line here. Ids are what `routing.R.runtime` accepts (schema/; tests/unit/runtime_test.cpp keeps
// the schema's enum equal to this table).
#include <utility>

#include "runtime/runtime.h"

namespace planner {

extern const Runtime kMlxLm, kLlamaCpp, kOllama, kLmStudio, kVllm;

namespace {

// In this order in launch's "flags checked against" line.
const Runtime* const kRuntimes[] = {
    &kMlxLm,     // runtime/mlx_lm.cpp
    &kLlamaCpp,  // runtime/llama_cpp.cpp
    &kOllama,    // runtime/ollama.cpp
    &kLmStudio,  // runtime/lm_studio.cpp
    &kVllm,      // runtime/vllm.cpp
};

// A format's engine when a route names none: the one each format was made for.
const std::pair<Format, const Runtime*> kDefaults[] = {
    {Format::mlx, &kMlxLm}, {Format::gguf, &kLlamaCpp}, {Format::safetensors, &kVllm}};

}  // namespace

std::span<const Runtime* const> all_runtimes() { return kRuntimes; }

const Runtime* find_runtime(std::string_view id) {
  for (const Runtime* r : kRuntimes)
    if (r->id == id) return r;
  return nullptr;
}

const Runtime& default_runtime(Format f) {
  for (const auto& [format, runtime] : kDefaults)
    if (format == f) return *runtime;
  return kLlamaCpp;  // unreachable: every Format has a row
}

}  // namespace planner
