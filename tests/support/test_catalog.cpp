#include "support/test_catalog.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace planner::testing {

TestCatalog::TestCatalog(std::string_view models_json) {
  using catalog_data::NameEntry;
  using catalog_data::NameKind;
  const auto root = nlohmann::json::parse(models_json);
  for (const auto& m : root.at("models")) {
    const auto record = static_cast<std::uint32_t>(records_.size());
    records_.push_back(text_.emplace_back(m.dump()));
    auto name = [&](const std::string& n, NameKind kind, std::uint16_t artifact) {
      names_.push_back(NameEntry{text_.emplace_back(to_lower(n)), record, kind, artifact});
    };
    name(m.at("id").get<std::string>(), NameKind::model, 0);
    if (m.contains("hf_repo")) name(m["hf_repo"].get<std::string>(), NameKind::model, 0);
    for (const auto& a : m.value("aliases", nlohmann::json::array())) name(a.get<std::string>(), NameKind::model, 0);
    const auto artifacts = m.value("artifacts", nlohmann::json::object());
    std::uint16_t i = 0;
    for (const auto& a : artifacts.value("mlx", nlohmann::json::array())) name(a.at("repo").get<std::string>(), NameKind::mlx, i++);
    i = 0;
    for (const auto& a : artifacts.value("gguf", nlohmann::json::array())) name(a.at("repo").get<std::string>(), NameKind::gguf, i++);
    i = 0;
    for (const auto& a : m.value("ollama", nlohmann::json::array())) name(a.at("tag").get<std::string>(), NameKind::ollama, i++);
  }
  std::stable_sort(names_.begin(), names_.end(), [](const NameEntry& a, const NameEntry& b) { return a.name < b.name; });
  names_.erase(std::unique(names_.begin(), names_.end(), [](const NameEntry& a, const NameEntry& b) { return a.name == b.name; }),
               names_.end());
  catalog_.emplace(records_, names_, R"({"seed_names": []})");
}

}  // namespace planner::testing
