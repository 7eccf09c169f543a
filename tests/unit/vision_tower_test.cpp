// The vision towers counted from config.json's vision_config (modelfile/vision_tower.cpp), held
// against the Hub's safetensors totals of the catalog's VLM checkpoints: the tower plus the
// language model planner lays out is the whole checkpoint.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "modelfile/vision_tower.h"
#include "resolve/catalog.h"

using namespace planner;
using json = nlohmann::json;

namespace {

const ModelInfo& model(const char* id) {
  const ModelInfo* m = Catalog::builtin().find(id);
  REQUIRE(m != nullptr);
  return *m;
}

}  // namespace

TEST_CASE("Qwen3-VL-8B's tower: 27 blocks, merger and 3 deepstack mergers", "[vision]") {
  // data/models/Qwen/Qwen3-VL-8B-Instruct/config.json vision_config.
  const json root = {{"model_type", "qwen3_vl"},
                     {"vision_config",
                      {{"depth", 27}, {"hidden_size", 1152}, {"intermediate_size", 4304}, {"in_channels", 3},
                       {"patch_size", 16}, {"temporal_patch_size", 2}, {"spatial_merge_size", 2},
                       {"out_hidden_size", 4096}, {"num_position_embeddings", 2304},
                       {"deepstack_visual_indexes", {8, 16, 24}}}}};
  // patch 1536 x 1152 + 1152; positions 2304 x 1152; per block 4 x 1152 + qkv, proj, fc1, fc2 with
  // biases = 15,239,440; merger 4608^2 + 4608 x 4096 + biases + 2 x 1152; each deepstack merger the
  // same with its LayerNorm over 4608.
  const double patch = 1536.0 * 1152 + 1152, positions = 2304.0 * 1152;
  const double block = 4 * 1152.0 + (3 * 1152.0 * 1152 + 3 * 1152) + (1152.0 * 1152 + 1152) + (1152.0 * 4304 + 4304) +
                       (4304.0 * 1152 + 1152);
  const double projections = 4608.0 * 4608 + 4608 + 4608.0 * 4096 + 4096;
  CHECK(vision_tower_params(root, 4096) ==
        Approx(patch + positions + 27 * block + (2 * 1152 + projections) + 3 * (2 * 4608 + projections)));
  CHECK(vision_tower_params(root, 4096) == Approx(576'388'336.0));
  // No vision_config, or a tower not laid out (SigLIP), count nothing.
  CHECK(vision_tower_params(json{{"model_type", "qwen3"}}, 4096) == 0);
  CHECK(vision_tower_params(json{{"model_type", "gemma3"}, {"vision_config", {{"model_type", "siglip_vision_model"}}}}, 2560) == 0);
  // A missing shape counts nothing rather than a wrong figure.
  json partial = root;
  partial["vision_config"].erase("depth");
  CHECK(vision_tower_params(partial, 4096) == 0);
}

TEST_CASE("Tower plus language model is the Hub's checkpoint total", "[vision]") {
  // params_source of each model.yaml (the Hub safetensors totals, llmfit hf_models.json@a3e0eb2 and
  // gimmick@81c06a5): the count planner makes of the text model plus the tower, to the parameter.
  const struct {
    const char* id;
    double hub;
  } cases[] = {{"qwen2-vl-2b-instruct", 2'208'985'600.0}, {"qwen2-vl-7b-instruct", 8'291'375'616.0},
               {"qwen2.5-vl-7b-instruct", 8'292'166'656.0}, {"qwen3-vl-2b-instruct", 2'127'532'032.0},
               {"qwen3-vl-4b-instruct", 4'437'815'808.0},  {"qwen3-vl-8b-instruct", 8'767'123'696.0},
               {"qwen3-vl-32b-instruct", 33'357'390'064.0}, {"qwen3-vl-235b-a22b-instruct", 235'670'022'896.0}};
  for (const auto& c : cases) {
    INFO(c.id);
    const ModelInfo& m = model(c.id);
    CHECK(m.vision_params > 0);
    CHECK(m.params_total + m.vision_params == c.hub);
  }
  // Pixtral in Devstral-Small-2: 24 layers of 1024 (MLP 4096), patch 14, the Mistral-3 projector.
  CHECK(model("devstral-small-2-24b-instruct-2512").vision_params == Approx(438'958'080.0));
}
