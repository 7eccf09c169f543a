#include "check/check.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/suppression.h"
#include "core/errno_text.h"
#include "core/text.h"
#include "estimate/analysis.h"
#include "rules/rule.h"
#include "validate/schema_check.h"

namespace planner {

bool rule_enabled(const std::string& code, const std::string& name, const CheckOptions& o) {
  auto matches = [&](const std::string& sel) {
    std::string s = to_lower(sel);
    return s == "all" || s == name || to_lower(code).rfind(s, 0) == 0;
  };
  if (!o.select.empty() && std::none_of(o.select.begin(), o.select.end(), matches)) return false;
  return std::none_of(o.ignore.begin(), o.ignore.end(), matches);
}

namespace {
std::string not_regular(mode_t mode) {
  return S_ISDIR(mode)    ? "is a directory"
         : S_ISFIFO(mode) ? "not a regular file (a pipe): planner reads config files only"
         : S_ISSOCK(mode) ? "not a regular file (a socket): planner reads config files only"
                          : "not a regular file (a device): planner reads config files only";
}
}  // namespace

bool read_config_file(const std::string& path, std::string& text, std::string& error, std::size_t limit) {
  // A stat before the open: where O_NONBLOCK does not reach the open itself (the WebAssembly
  // build's open goes through node, which blocks on a FIFO with no writer), a pipe or device is
  // refused without being opened.
  if (struct stat pre {}; ::stat(path.c_str(), &pre) == 0 && !S_ISREG(pre.st_mode)) {
    error = not_regular(pre.st_mode);
    return false;
  }
  // O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever. Only regular files are
  // read; the descriptor's own fstat decides, so a path swapped between a check and the open
  // cannot slip a device or a pipe in.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    error = errno_text(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error = errno_text(errno);
    ::close(fd);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    error = not_regular(st.st_mode);
    ::close(fd);
    return false;
  }
  const bool ok = read_config_fd(fd, text, error, limit);
  ::close(fd);
  return ok;
}

bool read_config_fd(int fd, std::string& text, std::string& error, std::size_t limit) {
  text.clear();
  char buf[65536];
  while (text.size() <= limit) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::string("read error: ") + errno_text(errno);
      return false;
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

FileResult check_text(std::string path, std::string text, const CheckOptions& options) {
  FileResult result;
  result.path = path;
  LoadResult loaded = parse_yaml(std::move(path), std::move(text));
  result.doc = std::move(loaded.doc);
  std::vector<Diagnostic> diags = std::move(loaded.errors);
  if (diags.empty()) {  // loaded: validate, then run the rules
    diags = check_schema(result.doc);
    // Rules read a mapping of sections; an empty file, a bare scalar or a list has been reported
    // by the schema stage and gives them nothing to read.
    std::vector<const Rule*> enabled;
    for (const Rule* rule : all_rules())
      if (rule->check && rule_enabled(rule->code, rule->name, options)) enabled.push_back(rule);
    if (result.doc.root.is_map() && !enabled.empty()) {
      Analysis analysis = analyze(result.doc);
      Reporter reporter(result.doc, diags);
      for (const Rule* rule : enabled) rule->check(analysis, reporter);
    }
    apply_suppressions(result.doc, diags);
  }
  std::erase_if(diags, [&](const Diagnostic& d) { return !rule_enabled(d.code, d.name, options); });
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    return a.code < b.code;
  });
  result.diagnostics = std::move(diags);
  return result;
}

}  // namespace planner
