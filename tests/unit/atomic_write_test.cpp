// core/atomic_write: what a replaced file keeps (mode with its special bits, owner, xattrs, hard
// links, symlinks), what it refuses without force (changed since read, read-only, another
// user's), and that no temporary file is left behind whatever fails.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/xattr.h>
#endif

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/atomic_write.h"

using namespace planner;
namespace fs = std::filesystem;

namespace {
constexpr uid_t kNobody = 65534;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "planner-aw-XXXXXX").string();
    REQUIRE(::mkdtemp(t.data()) != nullptr);
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
  // Files whose name starts with .planner-: what a failed write must not leave behind.
  int temps() const {
    int n = 0;
    for (const auto& e : fs::directory_iterator(path)) n += e.path().filename().string().rfind(".planner-", 0) == 0;
    return n;
  }
};

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
void spit(const std::string& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }
struct stat stat_of(const std::string& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st;
}
unsigned mode_of(const std::string& p) { return stat_of(p).st_mode & 07777; }

// Runs `body` as nobody in a child process when planner runs as root (so that permission checks
// apply), else directly; returns body's result, or -1 when the child could not become nobody.
int as_unprivileged(const std::function<int()>& body) {
  if (::geteuid() != 0) return body();
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) ::_exit(200);
    ::_exit(body());
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 200) return -1;
  return WEXITSTATUS(status);
}
}  // namespace

TEST_CASE("atomic_write: a new file gets the mode asked less the umask; an existing one is not replaced unless asked") {
  TempDir d;
  const mode_t old = ::umask(022);
  WriteOptions script;
  script.new_file_mode = 0777;
  script.replace = false;
  CHECK(atomic_write(d / "run.sh", "#!/bin/bash\n", script) == "");
  CHECK(mode_of(d / "run.sh") == 0755);
  CHECK(atomic_write(d / "run.sh", "other\n", script) == "exists; use --force to replace it");
  CHECK(slurp(d / "run.sh") == "#!/bin/bash\n");
  CHECK(atomic_write(d / "c.yaml", "a: 1\n") == "");
  CHECK(mode_of(d / "c.yaml") == 0644);
  ::umask(old);
  CHECK(d.temps() == 0);
}

TEST_CASE("atomic_write keeps the mode with its setuid, setgid and sticky bits") {
  TempDir d;
  for (unsigned mode : {0640u, 04755u, 02755u, 01644u, 06711u}) {
    const std::string p = d / "f";
    spit(p, "old\n");
    REQUIRE(::chmod(p.c_str(), mode) == 0);
    if (mode_of(p) != mode) {
      WARN("this filesystem does not keep mode " << std::oct << mode << ": skipped");
      continue;
    }
    CHECK(atomic_write(p, "new\n") == "");
    CHECK(slurp(p) == "new\n");
    CHECK(mode_of(p) == mode);
  }
  CHECK(d.temps() == 0);
}

TEST_CASE("atomic_write add_exec: an existing script gains an execute bit for each read bit") {
  TempDir d;
  WriteOptions o;
  o.add_exec = true;
  for (auto [before, after] : {std::pair{0600u, 0700u}, {0644u, 0755u}, {0640u, 0750u}, {0755u, 0755u}, {04600u, 04700u}}) {
    spit(d / "run.sh", "x\n");
    REQUIRE(::chmod((d / "run.sh").c_str(), before) == 0);
    CHECK(atomic_write(d / "run.sh", "y\n", o) == "");
    CHECK(mode_of(d / "run.sh") == after);
  }
}

TEST_CASE("atomic_write as root keeps another user's owner and group") {
  if (::geteuid() != 0) {
    WARN("not root: owner keeping is root-only, skipped");
    return;
  }
  TempDir d;
  spit(d / "f", "old\n");
  REQUIRE(::chown((d / "f").c_str(), kNobody, kNobody) == 0);
  REQUIRE(::chmod((d / "f").c_str(), 04750) == 0);
  CHECK(atomic_write(d / "f", "new\n") == "");
  struct stat st = stat_of(d / "f");
  CHECK(st.st_uid == kNobody);
  CHECK(st.st_gid == kNobody);
  CHECK((st.st_mode & 07777) == 04750);  // chown clears setuid: the mode is set after it
}

TEST_CASE("atomic_write keeps extended attributes") {
#if defined(__linux__)
  TempDir d;
  const std::string p = d / "f";
  spit(p, "old\n");
  if (::setxattr(p.c_str(), "user.planner.note", "kept", 4, 0) != 0) {
    WARN("this filesystem has no user extended attributes (" << std::strerror(errno) << "): skipped");
    return;
  }
  REQUIRE(::setxattr(p.c_str(), "user.planner.empty", "", 0, 0) == 0);
  CHECK(atomic_write(p, "new\n") == "");
  char buf[16] = {};
  CHECK(::getxattr(p.c_str(), "user.planner.note", buf, sizeof buf) == 4);
  CHECK(std::string(buf, 4) == "kept");
  CHECK(::getxattr(p.c_str(), "user.planner.empty", buf, sizeof buf) == 0);
  CHECK(slurp(p) == "new\n");
#else
  WARN("extended attributes are tested on Linux only");
#endif
}

TEST_CASE("atomic_write rewrites a hard-linked file in place: every link sees the new text") {
  TempDir d;
  spit(d / "a.yaml", "old\n");
  REQUIRE(::link((d / "a.yaml").c_str(), (d / "b.yaml").c_str()) == 0);
  const ino_t inode = stat_of(d / "a.yaml").st_ino;
  auto read = stamp_file(d / "a.yaml", "old\n");
  REQUIRE(read);
  WriteOptions o;
  o.read = &*read;
  CHECK(atomic_write(d / "a.yaml", "new, longer text\n", o) == "");
  CHECK(slurp(d / "b.yaml") == "new, longer text\n");
  CHECK(stat_of(d / "a.yaml").st_ino == inode);
  CHECK(stat_of(d / "a.yaml").st_nlink == 2);
  CHECK(atomic_write(d / "b.yaml", "short\n") == "");  // shrinking truncates
  CHECK(slurp(d / "a.yaml") == "short\n");
  CHECK(d.temps() == 0);
}

TEST_CASE("atomic_write writes a symlink's target and keeps the link") {
  TempDir d;
  spit(d / "real.yaml", "old\n");
  REQUIRE(::symlink("real.yaml", (d / "link.yaml").c_str()) == 0);
  CHECK(atomic_write(d / "link.yaml", "new\n") == "");
  CHECK(fs::is_symlink(d / "link.yaml"));
  CHECK(slurp(d / "real.yaml") == "new\n");
}

TEST_CASE("atomic_write refuses a file changed since it was read, unless forced") {
  TempDir d;
  const std::string p = d / "c.yaml";
  spit(p, "a: 1\n");
  auto read = stamp_file(p, "a: 1\n");
  REQUIRE(read);
  WriteOptions o;
  o.read = &*read;
  SECTION("edited in place meanwhile (an editor saving)") {
    o.before_commit = [&] { std::ofstream(p, std::ios::app) << "b: 2\n"; };
    const std::string why = atomic_write(p, "a: 3\n", o);
    CHECK(why.find("it changed since planner read it") == 0);
    CHECK(slurp(p) == "a: 1\nb: 2\n");  // the other edit survives
  }
  SECTION("replaced by another file with the same text (an editor renaming its own temporary file)") {
    o.before_commit = [&] {
      spit(d / "other", "a: 1\n");
      fs::rename(d / "other", p);
    };
    CHECK(atomic_write(p, "a: 3\n", o).find("it changed since") == 0);
    CHECK(slurp(p) == "a: 1\n");
  }
  SECTION("same size, same second: the text still differs") {
    o.before_commit = [&] {
      struct stat st = stat_of(p);
      spit(p, "a: 2\n");
      struct timespec times[2] = {st.st_atim, st.st_mtim};  // put the old modification time back
      ::utimensat(AT_FDCWD, p.c_str(), times, 0);
    };
    CHECK(atomic_write(p, "a: 3\n", o).find("it changed since") == 0);
    CHECK(slurp(p) == "a: 2\n");
  }
  SECTION("removed meanwhile") {
    o.before_commit = [&] { fs::remove(p); };
    CHECK(atomic_write(p, "a: 3\n", o) == "it was removed since planner read it; nothing written");
    CHECK_FALSE(fs::exists(p));
  }
  SECTION("forced: the change is overwritten") {
    o.before_commit = [&] { std::ofstream(p, std::ios::app) << "b: 2\n"; };
    o.force = true;
    CHECK(atomic_write(p, "a: 3\n", o) == "");
    CHECK(slurp(p) == "a: 3\n");
  }
  SECTION("unchanged: written") {
    CHECK(atomic_write(p, "a: 3\n", o) == "");
    CHECK(slurp(p) == "a: 3\n");
  }
  CHECK(d.temps() == 0);
}

TEST_CASE("atomic_write refuses a read-only file unless forced, root included, and keeps its mode when forced") {
  TempDir d;
  const std::string p = d / "c.yaml";
  spit(p, "a: 1\n");
  REQUIRE(::chmod(p.c_str(), 0444) == 0);
  const std::string why = atomic_write(p, "a: 2\n");
  CHECK((why == "it is read-only (mode 0444); use --force to replace it" ||
         why == "it is read-only for you (mode 0444); use --force to replace it"));
  CHECK(slurp(p) == "a: 1\n");
  WriteOptions force;
  force.force = true;
  CHECK(atomic_write(p, "a: 2\n", force) == "");
  CHECK(slurp(p) == "a: 2\n");
  CHECK(mode_of(p) == 0444);
  CHECK(d.temps() == 0);
}

TEST_CASE("atomic_write as an unprivileged user: another user's file, a group it is not in, a directory it cannot write") {
  TempDir d;
  REQUIRE(::chmod(d.path.c_str(), 0777) == 0);
  if (::geteuid() == 0) {
    spit(d / "theirs.yaml", "a: 1\n");  // root's, writable by all: the replacement would be nobody's
    REQUIRE(::chmod((d / "theirs.yaml").c_str(), 0666) == 0);
    spit(d / "mine-root-group.yaml", "a: 1\n");  // nobody's, in group root, which nobody is not in
    REQUIRE(::chown((d / "mine-root-group.yaml").c_str(), kNobody, 0) == 0);
    fs::create_directory(d.path / "locked");
    REQUIRE(::chmod((d / "locked").c_str(), 0755) == 0);  // root's: nobody cannot create in it
    spit(d / "locked/c.yaml", "a: 1\n");
    REQUIRE(::chmod((d / "locked/c.yaml").c_str(), 0666) == 0);
  } else {
    fs::create_directory(d.path / "locked");
    spit(d / "locked/c.yaml", "a: 1\n");
    REQUIRE(::chmod((d / "locked").c_str(), 0555) == 0);
  }
  const int rc = as_unprivileged([&] {
    int failures = 0;
    if (::geteuid() == kNobody) {
      failures += atomic_write(d / "theirs.yaml", "b\n").find("it belongs to uid 0") != 0;
      failures += atomic_write(d / "mine-root-group.yaml", "b\n").find("cannot keep its group (gid 0)") != 0;
    }
    WriteOptions force;
    force.force = true;
    failures += atomic_write(d / "locked/c.yaml", "b\n", force).find("cannot create a temporary file beside it") != 0;
    return failures;
  });
  if (rc == -1) {
    WARN("could not become nobody: skipped");
    return;
  }
  CHECK(rc == 0);
  CHECK(slurp(d / "locked/c.yaml") == "a: 1\n");
  CHECK(d.temps() == 0);
  for (const auto& e : fs::directory_iterator(d.path / "locked")) CHECK(e.path().filename() == "c.yaml");
}

TEST_CASE("atomic_write leaves no temporary file when the write fails (a full disk, a file size limit)") {
  TempDir d;
  spit(d / "c.yaml", "a: 1\n");
  struct rlimit old {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
  struct rlimit small = old;
  small.rlim_cur = 4096;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  const std::string why = atomic_write(d / "c.yaml", std::string(100000, 'x'));  // EFBIG, as ENOSPC would
  ::setrlimit(RLIMIT_FSIZE, &old);
  CHECK(why.rfind("write failed: ", 0) == 0);
  CHECK(slurp(d / "c.yaml") == "a: 1\n");
  CHECK(d.temps() == 0);
}

TEST_CASE("atomic_write leaves no temporary file when the rename is refused (the file became a directory)") {
  TempDir d;
  spit(d / "c.yaml", "a: 1\n");
  WriteOptions o;
  o.before_commit = [&] {
    fs::remove(d / "c.yaml");
    fs::create_directory(d / "c.yaml");
    spit(d / "c.yaml/inside", "x");  // a non-empty directory: rename(2) cannot replace it
  };
  CHECK(atomic_write(d / "c.yaml", "a: 2\n", o).rfind("cannot replace the file: ", 0) == 0);
  CHECK(fs::is_directory(d / "c.yaml"));
  CHECK(d.temps() == 0);
}

namespace {
volatile std::sig_atomic_t g_terms = 0;
void count_term(int) { g_terms = g_terms + 1; }
}  // namespace

TEST_CASE("atomic_write: SIGTERM during the write waits until the temporary file is gone") {
  TempDir d;
  spit(d / "c.yaml", "a: 1\n");
  struct sigaction count {}, old {};
  count.sa_handler = count_term;
  REQUIRE(::sigaction(SIGTERM, &count, &old) == 0);
  g_terms = 0;
  int during = -1, temps_during = -1;
  WriteOptions o;
  o.before_commit = [&] {
    ::raise(SIGTERM);
    during = g_terms;
    temps_during = d.temps();
  };
  CHECK(atomic_write(d / "c.yaml", "a: 2\n", o) == "");
  const int after = g_terms;
  ::sigaction(SIGTERM, &old, nullptr);
  CHECK(temps_during == 1);  // the temporary file existed when the signal came...
  CHECK(during == 0);        // ...and the signal waited
  CHECK(after == 1);         // delivered once the file was in place
  CHECK(d.temps() == 0);
  CHECK(slurp(d / "c.yaml") == "a: 2\n");
}
