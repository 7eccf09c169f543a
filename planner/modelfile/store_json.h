#pragma once
// The small JSON files of the model stores (an Ollama manifest or params blob, LM Studio's
// settings.json), read with a size cap and the nesting / value caps of the safetensors reader, so
// that a hostile store (a 1 GB "manifest", 100,000 nested brackets) costs a stat and a scan.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace planner {

// Throws std::runtime_error with one line, "FILE: byte N: what" where an offset is known.
// `what` names the file in messages ("manifest", "params blob").
nlohmann::json read_store_json(const std::filesystem::path& file, std::uint64_t max_bytes, const char* what);

// Reads a short text file whole (a refs/main or pointer file), at most `max_bytes`; throws as above.
std::string read_small_file(const std::filesystem::path& file, std::uint64_t max_bytes, const char* what);

// Why `p` cannot be used as a file: "No such file or directory", "Too many levels of symbolic
// links", "is a directory"; "" when it is a readable regular file (symlinks followed).
std::string file_problem(const std::filesystem::path& p);

}  // namespace planner
