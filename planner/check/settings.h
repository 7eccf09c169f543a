#pragma once
// Project settings for `check`: `.planner.yaml`, in the working directory or the nearest parent
// that has one, validated against schema/planner-settings.schema.json. Flags override them.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace planner {

constexpr const char* kSettingsFileName = ".planner.yaml";

struct Settings {
  std::string path;  // the file read; empty when there is none
  std::string dir;   // its directory (absolute): per-file-ignores globs are relative to it
  std::optional<std::vector<std::string>> select, ignore;
  std::optional<bool> strict;
  std::optional<std::string> format;
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;  // glob -> rules
};

// The file `name` in directory `start` (the working directory when empty) or its nearest parent
// that has one, as an absolute path; "" when none has it. Also finds the config for `check`.
std::string find_upward(const std::string& start, const std::string& name);

// The nearest .planner.yaml at or above `start` (the working directory when empty), or "".
inline std::string find_settings(const std::string& start = {}) { return find_upward(start, kSettingsFileName); }

// Reads and validates a settings file. On failure `errors` holds one line per problem,
// "FILE:LINE:COL: message" where the place is known, and `out` is left as it was.
bool load_settings(const std::string& path, Settings& out, std::vector<std::string>& errors);

// The rules per-file-ignores skips for `file` (a path as given on the command line): globs
// match its path relative to the settings file's directory, and a glob without '/' also its name.
std::vector<std::string> per_file_ignores_for(const Settings& settings, const std::string& file);

}  // namespace planner
