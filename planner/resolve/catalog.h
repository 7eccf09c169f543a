#pragma once
// The model catalog (generated from data/models/ at build time): architecture facts per model,
// with sources, plus the seed article's model names mapped to real models (data/seed_names.yaml)
// and the real models planner knows by name only, having no config.json to size them
// (data/unsized_models.yaml).
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/model_info.h"
#include "resolve/catalog_data.h"

namespace planner {

struct SeedName {
  std::string name;
  std::string maps_to;
  bool real = true;
  std::string reason;
  std::string source;
};

// A real model the catalog does not hold because no copy of its config.json was found: planner
// can say which model a name means, not size it.
struct UnsizedModel {
  std::string repo;                // the Hugging Face repo id, as the Hub spells it
  std::vector<std::string> names;  // lower case: Ollama tags and spellings beside the repo's own
};

// What an exact catalog name resolves to: the model, and the published conversion the name itself
// designates (an MLX repo, a GGUF repo, an Ollama tag), if it names one.
struct CatalogMatch {
  const ModelInfo* model = nullptr;
  const Artifact* artifact = nullptr;  // nullptr when the name is the model's own (id, repo id, alias)
  std::string format;                  // the artifact's: "mlx", "gguf" (Ollama tags too) or ""
  std::string quant;                   // the quantization the name carries: "4bit", "Q4_K_M"; "" for a GGUF
                                       // repo that holds many files, or the model's own name
};

class Catalog {
 public:
  // The catalog the build generated from data/models/ (planner/embed/catalog_gen.cpp).
  static const Catalog& builtin();
  // A catalog over generated records and their sorted name table (resolve/catalog_data.h), with
  // the seed article's names as JSON ({"seed_names": [...]}) and the unsized models' as JSON
  // ({"unsized_models": [...]}); nothing is decoded until asked for.
  Catalog(std::span<const std::string_view> records, std::span<const catalog_data::NameEntry> names, std::string_view seed_names_json,
          std::string_view unsized_models_json = R"({"unsized_models": []})");

  // By id, alias, HF repo id or a published conversion's name, case-insensitive; nullptr when
  // unknown.
  const ModelInfo* find(std::string_view name) const;
  // The same, saying which conversion the name designates, if any.
  std::optional<CatalogMatch> lookup(std::string_view name) const;
  const SeedName* seed_name(std::string_view name) const;
  // The unsized model a name means, case-insensitive: its repo id or the repo's name (what a
  // conversion's name is reduced to), with or without its org, or one of its names; with a
  // trailing `-instruct` taken off too. nullptr when the name means none.
  const UnsizedModel* unsized(std::string_view name) const;
  const std::vector<UnsizedModel>& unsized_models() const;
  // Every model, decoded (for the commands that list or choose among them).
  const std::vector<ModelInfo>& models() const;
  std::size_t size() const { return records_.size(); }
  // Every model's own names and the seed article's, for "did you mean" suggestions.
  std::vector<std::string> all_names() const;

 private:
  const ModelInfo& model(std::size_t record) const;

  std::span<const std::string_view> records_;
  std::span<const catalog_data::NameEntry> names_;
  std::string_view seed_names_json_;
  std::string_view unsized_models_json_;
  // Sized once: pointers into it stay valid; slot i is filled when record i is first asked for.
  mutable std::vector<ModelInfo> models_;
  mutable std::vector<bool> decoded_;
  mutable bool all_decoded_ = false;
  mutable std::optional<std::vector<SeedName>> seed_names_;
  mutable std::optional<std::vector<UnsizedModel>> unsized_;
};

}  // namespace planner
