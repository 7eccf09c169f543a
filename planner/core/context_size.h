#pragma once
// Context sizes as people write them: "32k", "128K", "1m". A k is 1024 tokens and an m 1024 k, as
// llama.cpp and the model cards count them: Llama 3.1's "128K" context is max_position_embeddings
// 131072 (data/models.yaml llama-3.1-8b-instruct), Qwen2.5-Coder's 32,768-token config with YaRN
// factor 4 is its "128K" (QwenLM/Qwen2.5-Coder:README.md@d5ead97).
#include <optional>
#include <string_view>

namespace planner {

// The token count a shorthand names: digits (at most 9, an optional fraction) then one k/K/m/M,
// e.g. "32k" -> 32768, "1.5k" -> 1536; nullopt for anything else, or a fraction that leaves part
// of a token.
std::optional<long long> context_shorthand(std::string_view text);

}  // namespace planner
