#pragma once
// Hostile GGUF headers, each small (under 4 KiB) and each wrong in one way: the corpus the
// reader must refuse with an error (never a crash, a hang or a huge allocation). The same list
// is committed under tests/data/gguf-hostile/ (written by `planner_tests "[.write-corpus]"`).
#include <string>
#include <utility>
#include <vector>

namespace planner::testing {

// (file name, bytes); every entry must fail to parse.
std::vector<std::pair<std::string, std::string>> hostile_corpus();

// Files that parse but whose metadata planner refuses (model_info_from_gguf): a hyperparameter
// out of its range (modelfile/limits.h), negative, NaN, fractional or of the wrong type. Each
// is the tiny model with one key changed; `message` is the exact error.
struct HostileModel {
  std::string name, bytes, message;
};
std::vector<HostileModel> hostile_models();

// A header with one tensor info written by hand (no checks): for bad shapes, types, offsets.
std::string one_tensor_file(const std::string& name, const std::vector<std::uint64_t>& dims, std::uint32_t type,
                            std::uint64_t offset, std::uint64_t data_bytes);

}  // namespace planner::testing
