#pragma once
// LM Studio's models folder (lmstudio-js 6ec11db, lms 07b7252): models/<publisher>/<repo>/<file>,
// a GGUF repo's .gguf files or an MLX repo's config.json + safetensors.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planner {

// LM Studio's home: the path held in ~/.lmstudio-home-pointer (trimmed), else ~/.cache/lm-studio
// when it exists, else ~/.lmstudio (packages/lms-common-server/src/findLMStudioHome.ts:7-34@6ec11db;
// LM Studio writes the pointer file, planner only reads it).
std::filesystem::path lmstudio_home(const std::filesystem::path& home);
// Its models folder: settings.json's downloadsFolder when it is a string, else <home>/models
// (lms src/lmstudioPaths.ts:18, src/subcommands/importCmd.ts:350-397@07b7252). A broken
// settings.json falls back to the default, as lms does.
std::filesystem::path lmstudio_models_dir(const std::filesystem::path& lms_home);

// "publisher/repo" (one '/', each part a plain folder name) -> the folder, when it is there.
// Publisher and repo are matched exactly, then ignoring case.
std::optional<std::filesystem::path> find_lmstudio_repo(const std::filesystem::path& models_dir, std::string_view name);

// Every models/<publisher>/<repo> folder, sorted.
std::vector<std::filesystem::path> list_lmstudio_repos(const std::filesystem::path& models_dir);

// For a path under <models>/<publisher>/<repo>/: "publisher/repo"; nullopt elsewhere.
std::optional<std::string> lmstudio_name_of(const std::filesystem::path& models_dir, const std::filesystem::path& path);

}  // namespace planner
