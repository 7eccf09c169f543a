#pragma once
// Writing a user's file: never half-written, never over an edit made meanwhile, and nothing of
// the file lost but its old text. The text goes to a temporary file beside the target (same
// filesystem, so rename(2) is atomic) that takes the target's owner and group (as root), extended
// attributes and mode (setuid, setgid and sticky bits included), is flushed to disk, and replaces
// the target in one step. A hard-linked target is rewritten in place instead, so that every link
// sees the change (atomic_write.cpp says what that costs). A symlink is followed: its target is
// written and the link stays. Whatever fails, the temporary file is removed; SIGINT, SIGTERM,
// SIGHUP and SIGQUIT wait until it is (only SIGKILL or a crash can leave one behind).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace planner {

// A file as planner read it: which file, its size and modification time, and the text read.
struct ReadStamp {
  std::uint64_t device = 0, inode = 0;
  std::int64_t size = 0, mtime_ns = 0;
  std::string text;
};

// The stamp of `path` (symlinks followed) for the `text` just read from it; nullopt when it
// cannot be stat'ed. Taken after the read: an edit in between shows in the text comparison.
std::optional<ReadStamp> stamp_file(const std::string& path, std::string text);

struct WriteOptions {
  // Mode for a file that does not exist yet, less the umask, as open(2) would create it (0777
  // for a script). An existing file keeps its own.
  unsigned new_file_mode = 0666;
  // false: refuse when the target exists (no check-then-write race: link(2) refuses).
  bool replace = true;
  // Replace even a file that is read-only (no write permission for this user; for root, no
  // write bit at all), another user's (it would become this user's), one that changed since it
  // was read, or one whose group, mode bits or extended attributes cannot be carried over.
  bool force = false;
  // An existing file gains an execute bit for each read bit it has (0600 -> 0700, 0644 -> 0755):
  // a generated script must run for whoever may read it.
  bool add_exec = false;
  // The file as it was read: refuse when it is another file now, or its size, modification
  // time or text differ, checked once the new text is ready, just before it replaces the file.
  const ReadStamp* read = nullptr;
  // For tests only: runs once the new text is ready, before that last check.
  std::function<void()> before_commit;
};

// Returns "" on success, else a one-line reason. The target is untouched, except when a
// hard-linked file's in-place rewrite fails midway: the reason then says whether its old text
// was written back.
std::string atomic_write(const std::string& path, std::string_view text, const WriteOptions& options = {});

}  // namespace planner
