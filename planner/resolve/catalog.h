#pragma once
// The model catalog (generated from data/models/ at build time): architecture facts per model,
// with sources, plus the seed article's model names mapped to real models (data/seed_names.yaml).
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
  // the seed article's names as JSON ({"seed_names": [...]}); nothing is decoded until asked for.
  Catalog(std::span<const std::string_view> records, std::span<const catalog_data::NameEntry> names, std::string_view seed_names_json);

  // By id, alias, HF repo id or a published conversion's name, case-insensitive; nullptr when
  // unknown.
  const ModelInfo* find(std::string_view name) const;
  // The same, saying which conversion the name designates, if any.
  std::optional<CatalogMatch> lookup(std::string_view name) const;
  const SeedName* seed_name(std::string_view name) const;
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
  // Sized once: pointers into it stay valid; slot i is filled when record i is first asked for.
  mutable std::vector<ModelInfo> models_;
  mutable std::vector<bool> decoded_;
  mutable bool all_decoded_ = false;
  mutable std::optional<std::vector<SeedName>> seed_names_;
};

}  // namespace planner
