#pragma once
// What a replaced file must keep besides its text: owner and group, extended attributes (ACLs,
// security labels, user.* notes) and mode. Carried from the old file to the temporary one that
// replaces it (core/atomic_write.h).
#include <sys/stat.h>

#include <string>

namespace planner {

// Gives the open file `fd` the owner and group of `old` (owner: as root only), the extended
// attributes of the file at `old_path`, then the mode bits `mode` (last: chown and writes clear
// setuid/setgid bits). Returns "" or a one-line reason; with `force`, what cannot be carried is
// left out and only a failing chmod is an error.
std::string carry_attributes(int fd, const std::string& old_path, const struct stat& old, mode_t mode, bool force);

// Copies every extended attribute of `from` onto `fd`. "" when done, or when the filesystem has
// none; else the reason the first one could not be set (one already there with the same value,
// as a security label the directory gives every new file, counts as set).
std::string copy_xattrs(const std::string& from, int fd);

}  // namespace planner
