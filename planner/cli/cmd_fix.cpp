// `planner fix FILE... [--diff | --write] [--unsafe-fixes]`: applies the findings' fixes.
// Without --diff or --write the fixed text goes to stdout (one file), so `fix` never touches a
// file unless asked. What was fixed, held back and left goes to stderr. Exit 0 when no error is
// left in the fixed text, 1 when some are, 2 when a file cannot be read or written. --write
// refuses a file that changed while fix ran or that is read-only, unless --force
// (core/atomic_write.h: what is kept, hard links, symlinks).
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "check/check.h"
#include "cli/commands.h"
#include "core/atomic_write.h"
#include "fix/fix.h"
#include "fix/unified_diff.h"
#include "render/render.h"

namespace planner::cli {

namespace {
struct FixArgs {
  std::vector<std::string> files;
  bool diff = false, write = false, unsafe = false, force = false;
  FixOptions options;
};

int run_fix(FixArgs& a) {
  if (!a.diff && !a.write && a.files.size() > 1) {
    std::cerr << "planner: error: several files: choose --diff or --write\n";
    return kExitUsage;
  }
  a.options.unsafe = a.unsafe;
  int status = kExitOk;
  for (const auto& path : a.files) {
    std::string text, error;
    if (!read_config_file(path, text, error)) {
      std::cerr << fmt::format("planner: error: cannot read '{}': {}\n", path, error);
      status = kExitUsage;
      continue;
    }
    // Taken now, compared just before the write: an edit made while fix runs is never lost.
    const std::optional<ReadStamp> read = a.write ? stamp_file(path, text) : std::nullopt;
    FixResult r = fix_text(path, text, a.options);
    for (const auto& f : r.applied)
      std::cerr << fmt::format("{}:{}: fixed {} ({}{})\n", path, f.line, f.code, f.title,
                               f.safety == FixSafety::unsafe ? ", unsafe" : "");
    for (const auto& d : r.unsafe_held)
      std::cerr << fmt::format("{}:{}: not fixed {} ({}): unsafe, rerun with --unsafe-fixes\n", path, d.line, d.code,
                               d.fix->title);
    if (!r.converged)
      std::cerr << fmt::format("{}: fixes kept re-triggering; stopped after {} passes\n", path, a.options.max_passes);
    Summary left = summarize({r.after});
    if (left.errors > 0) {
      std::cerr << fmt::format("{}: {} error{} left with no automatic fix: run `planner check {}`\n", path, left.errors,
                               left.errors == 1 ? "" : "s", path);
      if (status == kExitOk) status = kExitFindings;
    }

    if (a.diff) {
      std::cout << unified_diff(text, r.text, path, path);
    } else if (a.write) {
      if (r.text == text) continue;
      WriteOptions write;
      write.read = read ? &*read : nullptr;
      write.force = a.force;
      std::string why = atomic_write(path, r.text, write);
      if (!why.empty()) {
        std::cerr << fmt::format("planner: error: cannot write '{}': {}\n", path, why);
        status = kExitUsage;
      }
    } else {
      std::cout << r.text;
    }
  }
  std::cout.flush();
  return status;
}
}  // namespace

Command add_fix(CLI::App& app) {
  auto args = std::make_shared<FixArgs>();
  auto* cmd = app.add_subcommand("fix", "apply the findings' fixes, keeping comments and layout (stdout, --diff or --write)");
  cmd->add_option("files", args->files, "config files")->required();
  auto* diff = cmd->add_flag("--diff", args->diff, "print a unified diff instead of the fixed text");
  auto* write = cmd->add_flag("--write", args->write,
                              "rewrite the files atomically, keeping mode, owner, xattrs and hard links; refuses a "
                              "file changed meanwhile or read-only")
                    ->excludes(diff);
  cmd->add_flag("--force", args->force, "with --write: replace a file even if read-only, another user's or changed meanwhile")
      ->needs(write);
  cmd->add_flag("--unsafe-fixes", args->unsafe,
                "also apply fixes that change behaviour (shorter context, other quantization or format)");
  cmd->add_option("--select", args->options.check.select, "only these rules' fixes (codes, prefixes or names)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--ignore", args->options.check.ignore, "skip these rules' fixes (codes, prefixes or names)")
      ->delimiter(',')
      ->allow_extra_args(false);
  return {cmd, [args] { return run_fix(*args); }};
}

}  // namespace planner::cli
