#pragma once
// The parameters of a vision-language checkpoint's vision tower and projector, counted from its
// config.json `vision_config`: the weights a VLM download holds beside the language model, which
// llama.cpp keeps in a separate mmproj file and mlx-lm drops at load (its VLM wrappers'
// sanitize()). Sources: vision_tower.cpp, one per tower.
#include <nlohmann/json.hpp>

namespace planner {

// 0 when the config has no vision_config, or a tower this file does not lay out (SigLIP...), or a
// shape field is missing or out of range. `text_hidden` is the language model's width (Pixtral's
// projector maps into it).
double vision_tower_params(const nlohmann::json& root, long long text_hidden);

}  // namespace planner
