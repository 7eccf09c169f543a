#include "core/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

namespace planner {

namespace {
std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}
}  // namespace

std::string atomic_write(const std::string& path, std::string_view text, const WriteOptions& options) {
  // Write through a symlink to its target: replacing the link itself would break the user's setup.
  std::string target = path;
  std::vector<char> resolved(PATH_MAX + 1);
  if (::realpath(path.c_str(), resolved.data())) target = resolved.data();

  struct stat st {};
  const bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && !options.overwrite) return "exists; use --force to replace it";
  if (exists && !S_ISREG(st.st_mode)) return "not a regular file";
  const mode_t mask = ::umask(0);  // umask can only be read by setting it: put it back at once
  ::umask(mask);
  const mode_t mode = exists && options.keep_mode ? (st.st_mode & 07777)
                                                 : (static_cast<mode_t>(options.new_file_mode) & ~mask);

  std::string tmp = directory_of(target) + "/.planner-XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) return std::string("cannot create a temporary file beside it: ") + std::strerror(errno);
  tmp = name.data();

  auto fail = [&](const char* what) {
    std::string reason = std::string(what) + ": " + std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.c_str());
    return reason;
  };
  if (::fchmod(fd, mode) != 0) return fail("cannot set permissions");
  if (exists && ::geteuid() == 0) {
    // root writing someone else's file: keep its owner (a non-root user cannot, and need not).
    if (::fchown(fd, st.st_uid, st.st_gid) != 0) return fail("cannot keep the owner");
  }
  if (!write_all(fd, text)) return fail("write failed");
  if (::fsync(fd) != 0) return fail("fsync failed");
  if (::close(fd) != 0) {
    std::string reason = std::string("close failed: ") + std::strerror(errno);
    ::unlink(tmp.c_str());
    return reason;
  }
  if (!options.overwrite) {
    // link(2) fails if the target appeared meanwhile: no check-then-write race.
    int rc = ::link(tmp.c_str(), target.c_str());
    int err = errno;
    ::unlink(tmp.c_str());
    if (rc != 0) return err == EEXIST ? "exists; use --force to replace it" : std::string("cannot create the file: ") + std::strerror(err);
    return "";
  }
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    std::string reason = std::string("cannot replace the file: ") + std::strerror(errno);
    ::unlink(tmp.c_str());
    return reason;
  }
  return "";
}

}  // namespace planner
