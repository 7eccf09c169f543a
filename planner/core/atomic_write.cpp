#include "core/atomic_write.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "core/errno_text.h"
#include "core/file_attributes.h"

namespace planner {

namespace {
std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::int64_t mtime_ns(const struct stat& st) {
#if defined(__APPLE__)
  const struct timespec& t = st.st_mtimespec;
#else
  const struct timespec& t = st.st_mtim;
#endif
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

bool write_all(int fd, std::string_view text, off_t at) {
  while (!text.empty()) {
    ssize_t n = ::pwrite(fd, text.data(), text.size(), at);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
    at += n;
  }
  return true;
}

// At most `limit` bytes of a regular file; false when it cannot be opened or read.
bool read_prefix(const std::string& path, std::size_t limit, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  out.clear();
  char buf[65536];
  while (out.size() < limit) {
    ssize_t n = ::read(fd, buf, std::min(sizeof buf, limit - out.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return true;
}

// "" when the file at `path` is still the one read (same file, size, time and text).
std::string changed_since(const std::string& path, const ReadStamp& read) {
  const char* changed = "it changed since planner read it (edited meanwhile?); nothing written: run again, or use --force "
                        "to overwrite the change";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "it was removed since planner read it; nothing written";
  if (!S_ISREG(st.st_mode) || st.st_dev != read.device || st.st_ino != read.inode || st.st_size != read.size ||
      mtime_ns(st) != read.mtime_ns)
    return changed;
  std::string now;
  // One byte more than was read: a file that grew shows.
  if (!read_prefix(path, read.text.size() + 1, now) || now != read.text) return changed;
  return "";
}

// Why this user may not replace the file without --force, or "".
std::string refusal(const std::string& path, const struct stat& st) {
  const unsigned mode = st.st_mode & 07777;
  if (::geteuid() == 0) {
    // root may write anything; a file nobody may write was made read-only on purpose.
    if ((st.st_mode & 0222) == 0) return fmt::format("it is read-only (mode {:04o}); use --force to replace it", mode);
    return "";
  }
  if (::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) != 0)
    return errno == EROFS ? "it is on a read-only file system"
                          : fmt::format("it is read-only for you (mode {:04o}); use --force to replace it", mode);
  if (st.st_uid != ::geteuid())
    return fmt::format("it belongs to uid {}, and its replacement would be yours; use --force to replace it", st.st_uid);
  return "";
}

// Signals that would end planner between creating the temporary file and removing or renaming
// it wait until it is done; a write past RLIMIT_FSIZE fails with EFBIG instead of killing it.
class QuietSection {
 public:
  QuietSection() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, s);
    ::sigprocmask(SIG_BLOCK, &set, &old_mask_);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGXFSZ, &ignore, &old_xfsz_);
  }
  ~QuietSection() {
    ::sigaction(SIGXFSZ, &old_xfsz_, nullptr);
    ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
  }
  QuietSection(const QuietSection&) = delete;
  QuietSection& operator=(const QuietSection&) = delete;

 private:
  sigset_t old_mask_;
  struct sigaction old_xfsz_ {};
};

// The temporary file: removed when it goes out of scope unless it was renamed into place.
struct TempFile {
  std::string path;
  int fd = -1;
  bool renamed = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!path.empty() && !renamed) ::unlink(path.c_str());
  }
  std::string fail(const char* what) const { return fmt::format("{}: {}", what, errno_text(errno)); }
};

// A hard-linked file is rewritten in place: a rename would leave the other links on the old text.
// The cost: the write is not atomic (a reader may see it half done), and a crash midway leaves the
// file part new, part old, with the whole new text still beside it in the temporary file. To make
// a failure unlikely the space is reserved first; if a write fails anyway the old text, when
// known, is written back.
std::string rewrite_in_place(const std::string& target, std::string_view text, const std::string* old_text,
                             mode_t mode, const struct stat& st) {
  int fd = ::open(target.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return fmt::format("cannot open it to rewrite it in place (it has other hard links): {}", errno_text(errno));
  std::string why;
#if defined(__linux__)
  if (::fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, static_cast<off_t>(text.size())) != 0 &&
      (errno == ENOSPC || errno == EDQUOT))
    why = fmt::format("no space to rewrite it: {}", errno_text(errno));
#endif
  if (why.empty() && (!write_all(fd, text, 0) || ::ftruncate(fd, static_cast<off_t>(text.size())) != 0)) {
    why = fmt::format("rewriting it in place failed: {}", errno_text(errno));
    const bool restored = old_text && write_all(fd, *old_text, 0) && ::ftruncate(fd, static_cast<off_t>(old_text->size())) == 0;
    why += restored ? "; its old text was written back" : "; it may be partly written";
  }
  if (why.empty() && mode != (st.st_mode & 07777) && ::fchmod(fd, mode) != 0)  // add_exec
    why = fmt::format("cannot set its mode {:04o}: {}", mode, errno_text(errno));
  if (why.empty() && ::fsync(fd) != 0) why = fmt::format("fsync failed: {}", errno_text(errno));
  if (::close(fd) != 0 && why.empty()) why = fmt::format("close failed: {}", errno_text(errno));
  return why;
}

void sync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // best effort: the rename is done either way
  ::close(fd);
}
}  // namespace

std::optional<ReadStamp> stamp_file(const std::string& path, std::string text) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return ReadStamp{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                   static_cast<std::int64_t>(st.st_size), mtime_ns(st), std::move(text)};
}

std::string atomic_write(const std::string& path, std::string_view text, const WriteOptions& options) {
  // Write through a symlink to its target: replacing the link itself would break the user's setup.
  std::string target = path;
  std::vector<char> resolved(PATH_MAX + 1);
  if (::realpath(path.c_str(), resolved.data())) target = resolved.data();

  struct stat st {};
  const bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && !options.replace) return "exists; use --force to replace it";
  if (exists && !S_ISREG(st.st_mode)) return "not a regular file";
  if (!options.force) {
    if (options.read && !exists) return "it was removed since planner read it; nothing written";
    if (exists)
      if (std::string why = refusal(target, st); !why.empty()) return why;
  }
  const bool in_place = exists && st.st_nlink > 1;
  const mode_t mask = ::umask(0);  // umask can only be read by setting it: put it back at once
  ::umask(mask);
  mode_t mode = static_cast<mode_t>(options.new_file_mode) & ~mask & 07777;
  if (exists) mode = st.st_mode & 07777;
  if (exists && options.add_exec) mode |= (mode & 0444) >> 2;

  QuietSection quiet;
  TempFile tmp;
  std::string name = directory_of(target) + "/.planner-XXXXXX";
  std::vector<char> buf(name.begin(), name.end());
  buf.push_back('\0');
  tmp.fd = ::mkstemp(buf.data());
  if (tmp.fd < 0) return tmp.fail("cannot create a temporary file beside it");
  tmp.path = buf.data();

  if (!write_all(tmp.fd, text, 0)) return tmp.fail("write failed");
  if (exists && !in_place) {
    if (std::string why = carry_attributes(tmp.fd, target, st, mode, options.force); !why.empty()) return why;
  } else if (::fchmod(tmp.fd, mode) != 0) {
    return tmp.fail("cannot set permissions");
  }
  if (::fsync(tmp.fd) != 0) return tmp.fail("fsync failed");
  int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0) return tmp.fail("close failed");

  if (options.before_commit) options.before_commit();
  if (options.read && !options.force)
    if (std::string why = changed_since(target, *options.read); !why.empty()) return why;

  if (!options.replace) {
    // link(2) fails if the target appeared meanwhile: no check-then-write race.
    if (::link(tmp.path.c_str(), target.c_str()) != 0) {
      if (errno != EMLINK) return errno == EEXIST ? "exists; use --force to replace it" : tmp.fail("cannot create the file");
      // EMLINK for a file of one link: a file system without hard links, as the WebAssembly
      // build's are (docs/wasm.md). The name is taken with O_EXCL instead, which fails as link(2)
      // does if the target appeared meanwhile, and the temporary file renamed onto it.
      const int taken = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (taken < 0) return errno == EEXIST ? "exists; use --force to replace it" : tmp.fail("cannot create the file");
      ::close(taken);
      if (::rename(tmp.path.c_str(), target.c_str()) != 0) {
        std::string why = tmp.fail("cannot create the file");
        ::unlink(target.c_str());
        return why;
      }
      tmp.renamed = true;
    }
  } else if (in_place) {
    if (std::string why = rewrite_in_place(target, text, options.read ? &options.read->text : nullptr, mode, st);
        !why.empty())
      return why;
  } else {
    if (::rename(tmp.path.c_str(), target.c_str()) != 0) return tmp.fail("cannot replace the file");
    tmp.renamed = true;
  }
  sync_directory(directory_of(target));
  return "";
}

}  // namespace planner
