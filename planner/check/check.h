#pragma once
// The `check` pipeline for one file: load -> validate -> resolve/estimate -> rules, then inline
// suppressions and --select/--ignore.
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "load/document.h"

namespace planner {

struct CheckOptions {
  std::vector<std::string> select;  // codes, code prefixes ("LI01") or names; empty = all
  std::vector<std::string> ignore;
};

struct FileResult {
  std::string path;
  Document doc;  // for source lines in text output; empty when loading failed early
  std::vector<Diagnostic> diagnostics;  // sorted by line, column, code
};

FileResult check_text(std::string path, std::string text, const CheckOptions& options = {});

// Reads a file for checking: at most limit + 1 bytes (so a huge or endless file costs nothing).
// Returns false with `error` set when the file cannot be read at all.
bool read_config_file(const std::string& path, std::string& text, std::string& error,
                      std::size_t limit = LoadLimits{}.max_bytes);
// The same bounded read from a descriptor already open (standard input for `check -`).
bool read_config_fd(int fd, std::string& text, std::string& error, std::size_t limit = LoadLimits{}.max_bytes);

// Whether `code` is enabled by the options (also used for `planner rules`).
bool rule_enabled(const std::string& code, const std::string& name, const CheckOptions& options);

}  // namespace planner
