// Build-time tool: generates the model catalog from data/models/ORG/NAME/{config.json,model.yaml}.
//   catalog_gen MODELS_DIR OUT.cpp
// Every folder is read with the reader that sizes users' model directories and checked
// (embed/catalog_entry.cpp); any error fails the build with the file it is in. The output holds
// one record per model and the sorted table of every name (resolve/catalog_data.h), so looking a
// name up costs a binary search whatever the catalog's size, and only the models a config names
// are ever decoded.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/text.h"
#include "embed/catalog_entry.h"

namespace fs = std::filesystem;
using namespace planner;

namespace {

struct Name {
  std::string name;
  std::uint32_t record;
  int kind;  // catalog_data::NameKind
  std::uint16_t artifact;
  bool derived;
};

// Spellings planner derives from a repo name, when no other model claims them: the name without
// the chat-tuning suffix ("qwen2.5-7b" for Qwen2.5-7B-Instruct, unless the base model is here).
std::vector<std::string> derived_names(const std::string& id) {
  std::vector<std::string> out;
  for (const char* suffix : {"-instruct", "-it", "-chat"}) {
    const std::string s = suffix;
    if (id.size() > s.size() && id.compare(id.size() - s.size(), s.size(), s) == 0) out.push_back(id.substr(0, id.size() - s.size()));
  }
  return out;
}

std::string literal(const std::string& text) {
  const std::string delim = "planner_json";
  if (text.find(")" + delim + "\"") != std::string::npos) throw std::runtime_error("a record holds the literal's delimiter");
  return "R\"" + delim + "(" + text + ")" + delim + "\"";
}

std::string cpp_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: catalog_gen MODELS_DIR OUT.cpp\n";
    return 2;
  }
  try {
    const fs::path root = argv[1];
    std::vector<std::pair<std::string, fs::path>> folders;  // repo id, folder
    for (const auto& org : fs::directory_iterator(root)) {
      if (!org.is_directory()) continue;
      for (const auto& name : fs::directory_iterator(org.path())) {
        if (!name.is_directory()) continue;
        const bool cfg = fs::exists(name.path() / "config.json"), meta = fs::exists(name.path() / "model.yaml");
        if (!cfg || !meta)
          throw std::runtime_error(name.path().string() + ": a model folder holds config.json and model.yaml (missing " +
                                   (cfg ? "model.yaml" : "config.json") + ")");
        folders.emplace_back(org.path().filename().string() + "/" + name.path().filename().string(), name.path());
      }
    }
    std::sort(folders.begin(), folders.end());

    // Every folder's errors at once: one build tells a data change all that is wrong with it.
    std::vector<CatalogEntry> entries;
    int errors = 0;
    for (const auto& [repo, folder] : folders) {
      try {
        entries.push_back(read_catalog_entry(folder, repo));
      } catch (const std::exception& e) {
        std::cerr << "catalog_gen: " << e.what() << '\n';
        ++errors;
      }
    }
    if (errors > 0) throw std::runtime_error(std::to_string(errors) + " of " + std::to_string(folders.size()) + " model folders are not usable");
    if (entries.empty()) throw std::runtime_error(root.string() + " holds no model folder");

    std::vector<Name> names;
    for (std::uint32_t i = 0; i < entries.size(); ++i) {
      const ModelInfo& m = entries[i].model;
      auto own = [&](const std::string& n, bool derived) { names.push_back(Name{n, i, 0, 0, derived}); };
      own(m.id, false);
      own(to_lower(m.hf_repo), false);
      for (const auto& a : entries[i].aliases) own(a, false);
      for (const auto& d : derived_names(m.id)) own(d, true);
      const std::vector<Artifact>* lists[] = {&m.mlx, &m.gguf, &m.ollama};
      for (int k = 0; k < 3; ++k)
        for (std::uint16_t j = 0; j < lists[k]->size(); ++j) names.push_back(Name{to_lower((*lists[k])[j].repo), i, k + 1, j, false});
    }
    // One entry per name. A GGUF repo listed once per quantization names one model; two models
    // claiming one name is a data error; a derived spelling two models share is nobody's.
    std::map<std::string, std::vector<const Name*>> by_name;
    for (const auto& n : names) by_name[n.name].push_back(&n);
    std::vector<const Name*> table;
    for (const auto& [name, claims] : by_name) {
      std::set<std::uint32_t> explicit_owners, derived_owners;
      for (const Name* c : claims) (c->derived ? derived_owners : explicit_owners).insert(c->record);
      if (explicit_owners.size() > 1) {
        auto it = explicit_owners.begin();
        throw std::runtime_error("the name '" + name + "' belongs to " + entries[*it].folder + " and " + entries[*std::next(it)].folder);
      }
      if (explicit_owners.empty() && derived_owners.size() > 1) continue;
      // The model's own name before an artifact's: `qwen3-8b` the model, not one of its files.
      const Name* best = nullptr;
      for (const Name* c : claims)
        if (!c->derived || explicit_owners.empty())
          if (best == nullptr || c->kind < best->kind) best = c;
      table.push_back(best);
    }

    std::string out = "// Generated by planner/embed/catalog_gen.cpp from data/models/; do not edit.\n"
                      "#include \"resolve/catalog_data.h\"\n\nnamespace planner::catalog_data {\n\nnamespace {\n\n"
                      "constexpr std::string_view kRecords[] = {\n";
    // Each view is given its length: without it the compiler measures every literal in constant
    // evaluation, which runs out of steps (-fconstexpr-ops-limit) at ten times today's catalog.
    for (const auto& e : entries) {
      const std::string record = catalog_record(e.model).dump();
      out += "    // " + e.model.hf_repo + "\n    std::string_view{" + literal(record) + ", " + std::to_string(record.size()) + "},\n";
    }
    out += "};\n\nconstexpr NameEntry kNames[] = {\n";
    for (const Name* n : table)
      out += "    {std::string_view{" + cpp_string(n->name) + ", " + std::to_string(n->name.size()) + "}, " + std::to_string(n->record) + ", NameKind{" + std::to_string(n->kind) + "}, " +
             std::to_string(n->artifact) + "},\n";
    out += "};\n\n}  // namespace\n\nstd::span<const std::string_view> records() { return kRecords; }\n"
           "std::span<const NameEntry> names() { return kNames; }\n\n}  // namespace planner::catalog_data\n";
    const std::string tmp = std::string(argv[2]) + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary);
      f << out;
      if (!f) throw std::runtime_error("cannot write " + tmp);
    }
    fs::rename(tmp, argv[2]);
    std::cerr << "catalog: " << entries.size() << " models, " << table.size() << " names\n";
  } catch (const std::exception& e) {
    std::cerr << "catalog_gen: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
