#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "check/check.h"
#include "cli/commands.h"
#include "core/text.h"
#include "render/render.h"

namespace planner::cli {

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");  // https://no-color.org: any non-empty value
  if (no_color && *no_color) return false;
  return isatty(STDOUT_FILENO) != 0;
}

namespace {
struct CheckArgs {
  std::vector<std::string> files;
  std::string format = "text", color = "auto";
  bool strict = false;
  CheckOptions options;
};

int run_check(const CheckArgs& a) {
  std::vector<std::string> files = a.files;
  if (files.empty()) files.push_back("local-inference-config.yaml");
  std::vector<FileResult> results;
  bool unreadable = false;
  for (const auto& path : files) {
    std::string text, error;
    if (!read_config_file(path, text, error)) {
      std::cerr << fmt::format("planner: error: cannot read '{}': {}\n", shown_text(path), shown_text(error));
      unreadable = true;
      continue;
    }
    results.push_back(check_text(path, std::move(text), a.options));
  }
  // Nothing could be read: the errors above say why, and "No problems found in 0 files" would not.
  if (results.empty() && unreadable && a.format == "text") return kExitUsage;
  if (a.format == "json") render_json(std::cout, results);
  else if (a.format == "sarif") render_sarif(std::cout, results);
  else if (a.format == "github") render_github(std::cout, results);
  else render_text(std::cout, results, use_color(a.color));
  std::cout.flush();
  if (unreadable) return kExitUsage;
  Summary s = summarize(results);
  return s.errors > 0 || (a.strict && s.warnings > 0) ? kExitFindings : kExitOk;
}
}  // namespace

Command add_check(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  auto* cmd = app.add_subcommand("check", "check config files against the schema, the hardware and the pitfall rules");
  cmd->add_option("files", args->files, "config files (default: ./local-inference-config.yaml)");
  cmd->add_option("--format", args->format, "output format")->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  cmd->add_flag("--strict", args->strict, "warnings also fail (exit 1)");
  cmd->add_option("--select", args->options.select, "only these rules (codes, code prefixes or names, comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--ignore", args->options.ignore, "skip these rules (codes, code prefixes or names, comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--color", args->color, "colored text output")->check(CLI::IsMember({"auto", "always", "never"}));
  return {cmd, [args] { return run_check(*args); }};
}

}  // namespace planner::cli
