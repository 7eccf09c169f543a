#include "core/file_attributes.h"

#include <fmt/format.h>
#include <unistd.h>

#if defined(__linux__) || defined(__APPLE__)
#include <sys/xattr.h>
#endif

#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

#include "core/errno_text.h"
#include "core/text.h"  // shown_value: attribute names are the user's bytes

namespace planner {

namespace {
#if defined(__linux__)
ssize_t list_names(const char* p, char* buf, std::size_t n) { return ::listxattr(p, buf, n); }
ssize_t get_value(const char* p, const char* name, void* buf, std::size_t n) { return ::getxattr(p, name, buf, n); }
ssize_t fget_value(int fd, const char* name, void* buf, std::size_t n) { return ::fgetxattr(fd, name, buf, n); }
int fset_value(int fd, const char* name, const void* v, std::size_t n) { return ::fsetxattr(fd, name, v, n, 0); }
#elif defined(__APPLE__)
ssize_t list_names(const char* p, char* buf, std::size_t n) { return ::listxattr(p, buf, n, 0); }
ssize_t get_value(const char* p, const char* name, void* buf, std::size_t n) { return ::getxattr(p, name, buf, n, 0, 0); }
ssize_t fget_value(int fd, const char* name, void* buf, std::size_t n) { return ::fgetxattr(fd, name, buf, n, 0, 0); }
int fset_value(int fd, const char* name, const void* v, std::size_t n) { return ::fsetxattr(fd, name, v, n, 0, 0); }
#else
ssize_t list_names(const char*, char*, std::size_t) { errno = ENOTSUP; return -1; }
ssize_t get_value(const char*, const char*, void*, std::size_t) { errno = ENOTSUP; return -1; }
ssize_t fget_value(int, const char*, void*, std::size_t) { errno = ENOTSUP; return -1; }
int fset_value(int, const char*, const void*, std::size_t) { errno = ENOTSUP; return -1; }
#endif

// A size query then the read; the attribute may grow in between (ERANGE): ask again, a few times.
template <typename Read>
bool read_sized(Read read, std::vector<char>& out) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    ssize_t n = read(nullptr, 0);
    if (n < 0) return false;
    out.resize(static_cast<std::size_t>(n));
    n = read(out.data(), out.size());
    if (n >= 0) {
      out.resize(static_cast<std::size_t>(n));
      return true;
    }
    if (errno != ERANGE) return false;
  }
  return false;
}
}  // namespace

std::string copy_xattrs(const std::string& from, int fd) {
  std::vector<char> names;
  if (!read_sized([&](char* b, std::size_t n) { return list_names(from.c_str(), b, n); }, names))
    return errno == ENOTSUP || errno == ENOSYS ? "" : fmt::format("cannot list its extended attributes: {}", errno_text(errno));
  for (std::size_t i = 0; i < names.size();) {
    const char* name = names.data() + i;
    const std::size_t len = ::strnlen(name, names.size() - i);
    i += len + 1;
    std::vector<char> value, present;
    if (!read_sized([&](char* b, std::size_t n) { return get_value(from.c_str(), name, b, n); }, value)) {
      if (errno == ENODATA) continue;  // removed since it was listed
      return fmt::format("cannot read its extended attribute '{}': {}", shown_value({name, len}), errno_text(errno));
    }
    if (fset_value(fd, name, value.data(), value.size()) == 0) continue;
    const int err = errno;
    if (read_sized([&](char* b, std::size_t n) { return fget_value(fd, name, b, n); }, present) && present == value)
      continue;
    return fmt::format("cannot keep its extended attribute '{}': {}", shown_value({name, len}), errno_text(err));
  }
  return "";
}

std::string carry_attributes(int fd, const std::string& old_path, const struct stat& old, mode_t mode, bool force) {
  struct stat now {};
  if (::fstat(fd, &now) != 0) return fmt::format("cannot stat the temporary file: {}", errno_text(errno));
  if (::geteuid() == 0) {
    // root writing someone else's file: keep its owner (a rename would make it root's).
    if (::fchown(fd, old.st_uid, old.st_gid) != 0 && !force)
      return fmt::format("cannot keep its owner {}:{}: {}", old.st_uid, old.st_gid, errno_text(errno));
  } else if (now.st_gid != old.st_gid && ::fchown(fd, static_cast<uid_t>(-1), old.st_gid) != 0 && !force) {
    return fmt::format("cannot keep its group (gid {}): {}; use --force to replace it anyway", old.st_gid,
                       errno_text(errno));
  }
  if (std::string why = copy_xattrs(old_path, fd); !why.empty() && !force) return why + "; use --force to replace it anyway";
  if (::fchmod(fd, mode) != 0) return fmt::format("cannot set its mode {:04o}: {}", mode, errno_text(errno));
  // chmod drops setgid silently for a group the user is not in: say so rather than lose it.
  if (::fstat(fd, &now) == 0 && (now.st_mode & 07777) != mode && !force)
    return fmt::format("cannot keep its mode {:04o} (the system allows {:04o}); use --force to replace it anyway", mode,
                       now.st_mode & 07777);
  return "";
}

}  // namespace planner
