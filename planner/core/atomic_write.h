#pragma once
// Writing a user's file: never leave it half-written. The text goes to a temporary file in the
// same directory (same filesystem, so rename(2) is atomic), is flushed to disk, and replaces the
// target in one step. An existing file keeps its permission bits.
#include <string>
#include <string_view>

namespace planner {

struct WriteOptions {
  // Mode for a file that does not exist yet, less the umask, as open(2) would create it (0777 for
  // a script). An existing file keeps its own.
  unsigned new_file_mode = 0666;
  // false: refuse when the target exists.
  bool overwrite = true;
  // false: an existing file gets new_file_mode too (a generated script must stay executable).
  bool keep_mode = true;
};

// Returns "" on success, else a one-line reason (the target is untouched).
std::string atomic_write(const std::string& path, std::string_view text, const WriteOptions& options = {});

}  // namespace planner
