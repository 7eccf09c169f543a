#include "cli/check_inputs.h"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "check/settings.h"
#include "core/errno_text.h"
#include "core/text.h"

namespace planner::cli {

namespace fs = std::filesystem;

namespace {

// A directory argument stops growing the list past this many files: a walk of `/` by mistake
// ends with an error instead of a list that fills memory.
constexpr std::size_t kMaxWalkedFiles = 10000;
constexpr const char* kDefaultName = "local-inference-config.yaml";

bool matches_include(const std::string& rel, const std::string& name, const std::vector<std::string>& includes) {
  for (const auto& glob : includes)
    if (fnmatch(glob.c_str(), rel.c_str(), FNM_PATHNAME) == 0 || fnmatch(glob.c_str(), name.c_str(), 0) == 0)
      return true;
  return false;
}

bool walk(const std::string& dir, const std::vector<std::string>& includes, std::vector<CheckInput>& out,
          std::string& error) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  if (ec) {
    error = fmt::format("cannot read directory '{}': {}", shown_text(dir), shown_text(error_text(ec)));
    return false;
  }
  for (; it != end; it.increment(ec)) {
    if (ec) {
      error = fmt::format("cannot read directory '{}': {}", shown_text(dir), shown_text(error_text(ec)));
      return false;
    }
    const fs::directory_entry& e = *it;
    const std::string name = e.path().filename().string();
    std::error_code sec;
    if (e.is_symlink(sec)) continue;  // a link may lead out of the tree or round in a loop
    if (e.is_directory(sec)) {
      if (!name.empty() && name[0] == '.') it.disable_recursion_pending();
      continue;
    }
    if (!e.is_regular_file(sec)) continue;
    const std::string rel = e.path().lexically_relative(dir).generic_string();
    if (!is_config_file_name(name) && !matches_include(rel, name, includes)) continue;
    if (found.size() == kMaxWalkedFiles) {
      error = fmt::format("more than {} config files under '{}': name the files or a smaller directory",
                          kMaxWalkedFiles, shown_text(dir));
      return false;
    }
    found.push_back(e.path().string());
  }
  if (found.empty()) {
    error = fmt::format("no local-inference-config*.yaml under '{}'{}", shown_text(dir),
                        includes.empty() ? " (--include GLOB adds other names)" : " nor a file matching --include");
    return false;
  }
  std::sort(found.begin(), found.end());
  for (auto& f : found) out.push_back({std::move(f), false});
  return true;
}

// The config in `start` or the nearest parent that has one, as a path relative to `start`
// (so findings read `../local-inference-config.yaml:3:1`).
bool find_config_upward(const std::string& start, std::string& found) {
  std::error_code ec;
  const fs::path from = start.empty() ? fs::current_path(ec) : fs::absolute(start, ec);
  const std::string path = ec ? std::string() : find_upward(from.string(), kDefaultName);
  if (path.empty()) return false;
  found = fs::path(path).lexically_relative(from).string();
  return true;
}

}  // namespace

bool is_config_file_name(const std::string& name) {
  static const std::string stem = "local-inference-config";
  if (name.compare(0, stem.size(), stem) != 0) return false;
  for (const char* ext : {".yaml", ".yml"}) {
    const std::size_t n = std::strlen(ext);
    if (name.size() >= stem.size() + n && name.compare(name.size() - n, n, ext) == 0) return true;
  }
  return false;
}

bool collect_inputs(const InputRequest& request, std::vector<CheckInput>& out, std::string& error) {
  out.clear();
  if (request.args.empty()) {
    std::string found;
    if (!find_config_upward(request.cwd, found)) {
      error = fmt::format("no {} in this directory or any parent: name a file, a directory or - (stdin)", kDefaultName);
      return false;
    }
    // From a subdirectory the file is ../x; in the directory itself it keeps its plain name.
    out.push_back({found, false});
    return true;
  }
  bool stdin_taken = false;
  for (const auto& arg : request.args) {
    if (arg == "-") {
      if (stdin_taken) {
        error = "'-' (standard input) given twice";
        return false;
      }
      stdin_taken = true;
      out.push_back({request.stdin_filename.empty() ? std::string("-") : request.stdin_filename, true});
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      if (!walk(arg, request.includes, out, error)) return false;
      continue;
    }
    out.push_back({arg, false});  // a file, or a path read_config_file reports on
  }
  return true;
}

}  // namespace planner::cli
