// `planner check [FILES|DIRS|-]`: the pipeline of check/check.h over each input, rendered in the
// chosen format to stdout or --output-file (written atomically, never replacing a file without
// --force, and not written at all when no input could be read: an empty "clean" report for a run
// that failed would read as a pass).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "check/check.h"
#include "check/settings.h"
#include "cli/check_inputs.h"
#include "cli/commands.h"
#include "core/atomic_write.h"
#include "core/text.h"
#include "render/render.h"
#include "rules/rule.h"

namespace planner::cli {

namespace {
// A set, non-empty value that is not "0" (force-color.org; CLICOLOR_FORCE as BSD's ls reads it).
bool env_forces(const char* name) {
  const char* v = std::getenv(name);
  return v && *v && std::string_view(v) != "0";
}
}  // namespace

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");  // https://no-color.org: any non-empty value
  if (no_color && *no_color) return false;
  if (env_forces("FORCE_COLOR") || env_forces("CLICOLOR_FORCE")) return true;
  return isatty(STDOUT_FILENO) != 0;
}

namespace {
struct CheckArgs {
  std::vector<std::string> files, includes;
  std::string format = "text", color = "auto", stdin_filename, output_file;
  bool strict = false, quiet = false, exit_zero = false, statistics = false, force = false;
  bool isolated = false, show_settings = false;
  CheckOptions options;
  // Whether the flag was given (it then overrides the settings file).
  const CLI::Option *format_flag = nullptr, *select_flag = nullptr, *ignore_flag = nullptr;
};

// The flags over the settings file over the defaults; `from` says where each value came from.
struct Effective {
  std::string format;
  bool strict = false;
  CheckOptions options;
  std::string format_from, strict_from, select_from, ignore_from;
};

Effective merge(const CheckArgs& a, const Settings& s) {
  Effective e;
  const std::string file = s.path.empty() ? "default" : shown_text(s.path);
  auto pick = [&](bool flag_given, const auto& flag_value, const auto& setting, auto fallback, auto& value, std::string& from) {
    if (flag_given) value = flag_value, from = "command line";
    else if (setting) value = *setting, from = file;
    else value = fallback, from = "default";
  };
  pick(a.format_flag->count() > 0, a.format, s.format, std::string("text"), e.format, e.format_from);
  pick(a.strict, true, s.strict, false, e.strict, e.strict_from);
  pick(a.select_flag->count() > 0, a.options.select, s.select, std::vector<std::string>{}, e.options.select, e.select_from);
  pick(a.ignore_flag->count() > 0, a.options.ignore, s.ignore, std::vector<std::string>{}, e.options.ignore, e.ignore_from);
  return e;
}

std::string listed(const std::vector<std::string>& v) { return v.empty() ? "(all)" : shown_text(join(v, ",")); }

void show_settings(const Settings& s, const Effective& e) {
  std::cout << "settings file: " << (s.path.empty() ? "none (no " + std::string(kSettingsFileName) + " here or above)" : shown_text(s.path)) << '\n';
  std::cout << fmt::format("format: {}  ({})\n", e.format, e.format_from);
  std::cout << fmt::format("strict: {}  ({})\n", e.strict ? "true" : "false", e.strict_from);
  std::cout << fmt::format("select: {}  ({})\n", listed(e.options.select), e.select_from);
  std::cout << fmt::format("ignore: {}  ({})\n", e.options.ignore.empty() ? "(none)" : listed(e.options.ignore), e.ignore_from);
  std::cout << "per-file-ignores:" << (s.per_file_ignores.empty() ? " (none)" : "") << '\n';
  for (const auto& [glob, rules] : s.per_file_ignores)
    std::cout << fmt::format("  {}: {}\n", shown_text(glob), shown_text(join(rules, ",")));
}

// `--statistics`: one line per rule, most frequent first (ruff's layout): count, code, name.
void render_statistics(std::ostream& out, const std::vector<FileResult>& results) {
  std::map<std::string, int> counts;
  for (const auto& r : results)
    for (const auto& d : r.diagnostics) ++counts[d.code];
  std::vector<std::pair<std::string, int>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [code, n] : rows) {
    const Rule* rule = find_rule(code);
    out << fmt::format("{:>5}  {:<6} {}\n", n, shown_text(code), rule ? rule->name : std::string());
  }
}

int run_check(const CheckArgs& args) {
  Settings settings;
  if (!args.isolated)
    if (const std::string path = find_settings(); !path.empty()) {
      std::vector<std::string> errors;
      if (!load_settings(path, settings, errors)) {
        for (const auto& e : errors) std::cerr << "planner: error: " << e << '\n';
        return kExitUsage;
      }
    }
  const Effective effective = merge(args, settings);
  if (args.show_settings) {
    show_settings(settings, effective);
    return kExitOk;
  }
  CheckArgs a = args;
  a.format = effective.format;
  a.strict = effective.strict;
  a.options = effective.options;
  if (a.statistics && a.format != "text") {
    std::cerr << "planner: error: --statistics prints a text table: drop --format " << a.format << '\n';
    return kExitUsage;
  }
  std::vector<CheckInput> inputs;
  std::string error;
  if (!collect_inputs({a.files, a.stdin_filename, a.includes, {}}, inputs, error)) {
    std::cerr << "planner: error: " << error << '\n';
    return kExitUsage;
  }
  std::vector<FileResult> results;
  std::vector<InputFailure> failures;
  bool unreadable = false;
  for (const auto& in : inputs) {
    std::string text;
    const bool ok = in.from_stdin ? read_config_fd(STDIN_FILENO, text, error)
                                  : read_config_file(in.path, text, error);
    if (!ok) {
      const std::string why = fmt::format("cannot read '{}': {}", shown_text(in.path), shown_text(error));
      std::cerr << "planner: error: " << why << '\n';
      failures.push_back({in.path, why});
      unreadable = true;
      continue;
    }
    CheckOptions options = a.options;
    for (auto& rule : per_file_ignores_for(settings, in.path)) options.ignore.push_back(std::move(rule));
    results.push_back(check_text(in.path, std::move(text), options));
  }
  // Nothing could be read: the errors above say why; "No problems found in 0 files", or a report
  // file saying so, would not.
  // Nor a SARIF file when any input could not be read: a log that lacks a file, uploaded to code
  // scanning, would close that file's open alerts. On stdout the log says the run failed.
  if (unreadable && a.format == "sarif" && !a.output_file.empty()) {
    std::cerr << fmt::format("planner: error: no SARIF log written to '{}': the run failed\n", shown_text(a.output_file));
    return kExitUsage;
  }
  if (results.empty() && unreadable && (a.format == "text" || !a.output_file.empty())) return kExitUsage;

  std::ostringstream rendered;
  std::ostream& out = a.output_file.empty() ? static_cast<std::ostream&>(std::cout) : rendered;
  const bool color = a.output_file.empty() && use_color(a.color);
  if (a.statistics) render_statistics(out, results);
  else if (a.format == "json") render_json(out, results);
  else if (a.format == "sarif") render_sarif(out, results, failures);
  else if (a.format == "github") render_github(out, results);
  else render_text(out, results, color, !a.quiet);
  if (!a.output_file.empty()) {
    WriteOptions write;
    write.replace = a.force;
    write.force = a.force;
    if (std::string why = atomic_write(a.output_file, rendered.str(), write); !why.empty()) {
      std::cerr << fmt::format("planner: error: cannot write '{}': {}\n", shown_text(a.output_file), shown_text(why));
      return kExitUsage;
    }
  }
  std::cout.flush();
  if (unreadable) return kExitUsage;
  if (a.exit_zero) return kExitOk;
  Summary s = summarize(results);
  return s.errors > 0 || (a.strict && s.warnings > 0) ? kExitFindings : kExitOk;
}
}  // namespace

Command add_check(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand("check", "check config files against the schema, the hardware and the pitfall rules");
  cmd->add_option("files", args->files,
                  "config files, directories (searched for local-inference-config*.yaml) or - for stdin "
                  "(default: the local-inference-config.yaml found upward from here)");
  args->format_flag = cmd->add_option("--format", args->format, "output format (default: the settings file's, else text)")
                          ->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  cmd->add_flag("--strict", args->strict, "warnings also fail (exit 1)");
  args->select_flag = cmd->add_option("--select", args->options.select, "only these rules (codes, code prefixes or names, comma-separated)")
                          ->delimiter(',')
                          ->allow_extra_args(false);
  args->ignore_flag = cmd->add_option("--ignore", args->options.ignore, "skip these rules (codes, code prefixes or names, comma-separated)")
                          ->delimiter(',')
                          ->allow_extra_args(false);
  cmd->add_option("--color", args->color, "colored text output (auto honours NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--stdin-filename", args->stdin_filename,
                  "the name of what - reads: shown in findings, and model paths are relative to it");
  cmd->add_option("--include", args->includes, "in a directory, also check files matching this glob (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("-q,--quiet", args->quiet, "findings only: no summary line");
  cmd->add_flag("--exit-zero", args->exit_zero, "exit 0 even when there are findings (2 still means unreadable input)");
  cmd->add_flag("--statistics", args->statistics, "count the findings per rule instead of listing them");
  cmd->add_option("-o,--output-file", args->output_file, "write the report to this file (atomically; never replaces one without --force)");
  cmd->add_flag("--force", args->force, "let --output-file replace an existing file");
  cmd->add_flag("--isolated", args->isolated, "ignore .planner.yaml (the project settings file)");
  cmd->add_flag("--show-settings", args->show_settings, "print the settings in effect and where each comes from, then exit");
  return {cmd, [args] { return run_check(*args); }};
}

}  // namespace planner::cli
