#include "detect/collect.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errno_text.h"

namespace planner::detect {

const std::vector<Source>& known_sources() {
  static const std::vector<Source> sources = {
      {"proc-meminfo", {}, "/proc/meminfo"},
      {"nvidia-smi", {"nvidia-smi", "--query-gpu=name,memory.total,memory.used", "--format=csv,noheader,nounits"}, ""},
      {"sysctl-hw.memsize", {"sysctl", "-n", "hw.memsize"}, ""},
      {"sysctl-machdep.cpu.brand_string", {"sysctl", "-n", "machdep.cpu.brand_string"}, ""},
      {"sysctl-iogpu.wired_limit_mb", {"sysctl", "-n", "iogpu.wired_limit_mb"}, ""},
      {"vm_stat", {"vm_stat"}, ""},
  };
  return sources;
}

const Source& source(std::string_view file) {
  for (const auto& s : known_sources())
    if (s.file == file) return s;
  throw std::logic_error("unknown detection source");
}

namespace {

Collected read_limited(const std::string& path, std::size_t max_bytes) {
  Collected c;
  std::ifstream in(path, std::ios::binary);
  if (!in) return c;
  c.present = true;
  std::string buf(max_bytes + 1, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
  buf.resize(static_cast<std::size_t>(in.gcount()));
  if (buf.size() > max_bytes) c.problem = fmt::format("{}: more than {} bytes", path, max_bytes);
  else c.text = std::move(buf);
  return c;
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

}  // namespace

Collected run_command(const std::vector<std::string>& argv, const RunLimits& limits) {
  Collected c;
  if (argv.empty()) return c;
  int out[2], err[2];
  // err carries exec's errno back from the child, so "not installed" is told apart from a failure.
  if (pipe2(out, O_CLOEXEC) != 0) return c.present = true, c.problem = "pipe failed", c;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]), close(out[1]);
    return c.present = true, c.problem = "pipe failed", c;
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(out[0]), close(out[1]), close(err[0]), close(err[1]);
    return c.present = true, c.problem = "fork failed", c;
  }
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) dup2(devnull, 0), dup2(devnull, 2);
    dup2(out[1], 1);
    execvp(args[0], args.data());
    int e = errno;
    ssize_t w = write(err[1], &e, sizeof e);
    (void)w;
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  int exec_errno = 0;
  ssize_t got = read(err[0], &exec_errno, sizeof exec_errno);  // EOF (0) when exec succeeded
  close(err[0]);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    close(out[0]);
    waitpid(pid, nullptr, 0);
    if (exec_errno == ENOENT) return c;  // not installed: the source is absent
    c.present = true;
    c.problem = fmt::format("{}: cannot run: {}", argv[0], errno_text(exec_errno));
    return c;
  }
  c.present = true;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  char buf[4096];
  bool too_big = false, timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      timed_out = r == 0;
      break;
    }
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    c.text.append(buf, static_cast<std::size_t>(n));
    if (c.text.size() > limits.max_bytes) {
      too_big = true;
      break;
    }
  }
  close(out[0]);
  if (timed_out || too_big) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string cmd = command_line(argv);
  if (timed_out) c.problem = fmt::format("{}: no answer within {} ms", cmd, limits.timeout.count());
  else if (too_big) c.problem = fmt::format("{}: more than {} bytes of output", cmd, limits.max_bytes);
  else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    c.problem = WIFEXITED(status) ? fmt::format("{}: exit status {}", cmd, WEXITSTATUS(status))
                                  : fmt::format("{}: killed by signal {}", cmd, WTERMSIG(status));
  if (!c.problem.empty()) c.text.clear();
  return c;
}

Reader machine_reader(const RunLimits& limits) {
  return [limits](const Source& s) {
    if (!s.path.empty()) return read_limited(s.path, limits.max_bytes);
    return run_command(s.argv, limits);
  };
}

Reader directory_reader(std::string dir) {
  return [dir = std::move(dir)](const Source& s) { return read_limited(dir + "/" + s.file, 1 << 20); };
}

}  // namespace planner::detect
