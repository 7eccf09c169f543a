// Every published conversion in the catalog that has a size (model.yaml `artifacts`: MLX repos,
// GGUF files) held against planner's own weight estimate for that quantization and format: the
// two agree within 2 %, or the artifact's `size_note` says why they do not, with a source (a
// vision tower in the download that the runtime drops at load, an older conversion recipe...).
// A note on an artifact that does agree is stale and fails too (issue 17, item 2). A `not_loaded`
// vision tower must be the gap: the resident estimate plus the tower counted from vision_config.
#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "estimate/budget.h"
#include "estimate/memory.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"

using namespace planner;
namespace fs = std::filesystem;

namespace {

const fs::path kModels = fs::path(PLANNER_SOURCE_DIR) / "data" / "models";

// Half a unit in the last place of the figure as model.yaml writes it: "2.0" (GiB) stands for
// anything from 1.95 to 2.05, so a figure is matched within 2 % of the nearest value it can be
// rounded from. size_bytes are exact (0).
double rounding_of(const YAML::Node& a) {
  if (!a["size_gib"]) return 0;
  const std::string text = a["size_gib"].Scalar();
  const auto dot = text.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(text.size() - dot - 1);
  return 0.5 * std::pow(10.0, -decimals);
}

// The rounding of every artifact's figure, by "ORG/NAME mlx|gguf index", from the model.yaml text
// (the catalog keeps only the number).
std::map<std::string, double> roundings() {
  std::map<std::string, double> out;
  for (const auto& org : fs::directory_iterator(kModels))
    for (const auto& name : fs::directory_iterator(org.path())) {
      const YAML::Node y = YAML::LoadFile((name.path() / "model.yaml").string());
      const std::string repo = org.path().filename().string() + "/" + name.path().filename().string();
      for (const char* kind : {"mlx", "gguf"}) {
        if (!y["artifacts"] || !y["artifacts"][kind]) continue;
        int i = 0;
        for (const auto& a : y["artifacts"][kind]) out[repo + " " + kind + " " + std::to_string(i++)] = rounding_of(a);
      }
    }
  return out;
}

// Gaps more than 2 % that no source explains yet, found when this test was written: each stays
// listed until a reason (size_note / not_loaded, with its source) or an estimator fix closes it;
// a listed gap that closes fails as stale, and a gap not listed fails. "model repo | artifact | quant".
const std::set<std::string> kOpen = {
#include "published_size_open.inc"
};

}  // namespace

TEST_CASE("every published artifact size is planner's estimate within 2 %, or says why", "[catalog][sizes]") {
  const auto& tables = QuantTables::builtin();
  const auto rounding = roundings();
  int agree = 0, explained = 0, still_open = 0, towers = 0;
  std::vector<std::string> unexplained;
  for (const auto& m : Catalog::builtin().models()) {
    const std::pair<const std::vector<Artifact>*, Format> lists[] = {{&m.mlx, Format::mlx}, {&m.gguf, Format::gguf}};
    for (const auto& [list, format] : lists) {
      const std::string kind = format == Format::mlx ? "mlx" : "gguf";
      for (std::size_t i = 0; i < list->size(); ++i) {
        const Artifact& a = (*list)[i];
        const std::string key = m.hf_repo + " " + kind + " " + std::to_string(i);
        INFO(key << ": " << a.repo << " " << a.quant << ", published " << a.size_gib << " GiB");
        REQUIRE(rounding.count(key) == 1);  // the catalog holds what model.yaml says
        REQUIRE(a.size_gib > 0);
        const WeightQuant q = resolve_quant(tables, a.quant, format);
        // Every name a published file carries is one planner sizes (resolve/quant.cpp).
        REQUIRE(q.known);
        const double estimate = weight_bytes(m, q) / kGiB;
        // The nearest value the published figure can stand for.
        const double r = rounding.at(key);
        const double published = std::clamp(estimate, a.size_gib - r, a.size_gib + r);
        const double gap = estimate / published - 1;
        INFO("planner " << estimate << " GiB, gap " << gap * 100 << " %; size_note: " << a.size_note);
        const bool open = kOpen.count(m.hf_repo + " | " + a.repo + " | " + a.quant) > 0;
        if (a.not_loaded && m.vision_params > 0) {
          // The vision tower the note names is what the download holds beside the resident
          // weights: counted from vision_config, kept in bf16 (mlx-vlm's convert skips vision
          // modules) or quantized with the rest (older conversions), it closes the gap.
          const double bf16 = estimate + m.vision_params * 2 / kGiB;
          const double quantized = estimate + m.vision_params * (a.bits + 0.5) / 8 / kGiB;
          INFO("with the tower: " << bf16 << " GiB in bf16, " << quantized << " GiB at " << a.bits << " bits");
          auto near = [&](double v) { return std::abs(v / std::clamp(v, a.size_gib - r, a.size_gib + r) - 1) <= 0.02; };
          CHECK((near(bf16) || (a.bits > 0 && near(quantized))));
          ++towers;
        }
        CHECK_FALSE((open && !a.size_note.empty()));  // explained now: drop it from the open list
        if (a.size_note.empty() && !open) {
          if (std::abs(gap) > 0.02) unexplained.push_back("\"" + m.hf_repo + " | " + a.repo + " | " + a.quant + "\",");
          ++agree;
        } else {
          CHECK(std::abs(gap) > 0.02);  // a note (or an open entry) on a size that agrees is stale
          ++(open ? still_open : explained);
        }
      }
    }
  }
  std::string list;
  for (const auto& u : unexplained) list += u + "\n";
  INFO("gaps more than 2 % without a reason:\n" << list);
  CHECK(unexplained.empty());
  // Every artifact of every folder was looked at.
  CHECK(static_cast<std::size_t>(agree + explained + still_open) == rounding.size());
  CHECK(static_cast<std::size_t>(still_open) == kOpen.size());  // no entry names an artifact that is gone
  CHECK(agree > explained);
  CHECK(towers >= 20);  // the VLM conversions of Qwen2-VL, Qwen2.5-VL, Qwen3-VL, Qwen3.5 and Mistral-3
}

