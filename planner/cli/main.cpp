// planner: lints and plans local LLM inference configs. The commands are thin: each parses its
// options and calls the library.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "check/check.h"
#include "core/embedded.h"
#include "core/text.h"
#include "render/render.h"
#include "rules/rule.h"

namespace {

using namespace planner;

constexpr int kExitOk = 0, kExitFindings = 1, kExitUsage = 2;

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");  // https://no-color.org: any non-empty value
  if (no_color && *no_color) return false;
  return isatty(STDOUT_FILENO) != 0;
}

int run_check(const std::vector<std::string>& files_in, const std::string& format, bool strict,
              const CheckOptions& options, const std::string& color) {
  std::vector<std::string> files = files_in;
  if (files.empty()) files.push_back("local-inference-config.yaml");
  std::vector<FileResult> results;
  int exit_code = kExitOk;
  for (const auto& path : files) {
    std::string text, error;
    if (!read_config_file(path, text, error)) {
      std::cerr << fmt::format("planner: error: cannot read '{}': {}\n", path, error);
      exit_code = kExitUsage;
      continue;
    }
    results.push_back(check_text(path, std::move(text), options));
  }
  if (format == "json") render_json(std::cout, results);
  else if (format == "sarif") render_sarif(std::cout, results);
  else if (format == "github") render_github(std::cout, results);
  else render_text(std::cout, results, use_color(color));
  std::cout.flush();
  if (exit_code == kExitUsage) return exit_code;
  Summary s = summarize(results);
  return s.errors > 0 || (strict && s.warnings > 0) ? kExitFindings : kExitOk;
}

int run_rules(const std::string& format) {
  if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const Rule* r : all_rules())
      arr.push_back({{"code", r->code}, {"name", r->name}, {"severity", std::string(to_string(r->severity))},
                     {"summary", r->summary}});
    std::cout << arr.dump(2) << '\n';
    return kExitOk;
  }
  for (const Rule* r : all_rules())
    std::cout << fmt::format("{}  {:<30} {:<8} {}\n", r->code, r->name, to_string(r->severity), r->summary);
  return kExitOk;
}

int run_explain(const std::string& code) {
  const Rule* r = find_rule(code);
  if (!r) {
    std::vector<std::string> names;
    for (const Rule* x : all_rules()) {
      names.push_back(x->code);
      names.push_back(x->name);
    }
    std::string near = nearest(code, names);
    std::cerr << fmt::format("planner: error: no rule '{}'{}; `planner rules` lists them\n", code,
                             near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near));
    return kExitUsage;
  }
  std::cout << fmt::format("# {} {}\n\nDefault severity: {}. {}.\n\n{}", r->code, r->name, to_string(r->severity),
                           r->summary, r->doc);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"planner: lint and plan local LLM inference configs (local-inference-config.yaml)", "planner"};
  app.set_version_flag("--version", PLANNER_VERSION);
  app.require_subcommand(1);

  auto* check = app.add_subcommand("check", "check config files against the schema, the hardware and the pitfall rules");
  std::vector<std::string> files;
  std::string format = "text", color = "auto";
  bool strict = false;
  CheckOptions options;
  check->add_option("files", files, "config files (default: ./local-inference-config.yaml)");
  check->add_option("--format", format, "output format")->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  check->add_flag("--strict", strict, "warnings also fail (exit 1)");
  check->add_option("--select", options.select, "only these rules (codes, code prefixes or names, comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  check->add_option("--ignore", options.ignore, "skip these rules (codes, code prefixes or names, comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  check->add_option("--color", color, "colored text output")->check(CLI::IsMember({"auto", "always", "never"}));

  auto* rules = app.add_subcommand("rules", "list the rules");
  std::string rules_format = "text";
  rules->add_option("--format", rules_format, "output format")->check(CLI::IsMember({"text", "json"}));

  auto* explain = app.add_subcommand("explain", "print a rule's documentation");
  std::string code;
  explain->add_option("code", code, "rule code or name, e.g. LI012")->required();

  auto* schema = app.add_subcommand("schema", "print the JSON Schema of the config format");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  try {
    if (*check) return run_check(files, format, strict, options, color);
    if (*rules) return run_rules(rules_format);
    if (*explain) return run_explain(code);
    if (*schema) {
      std::cout << embedded::schema_json();
      return kExitOk;
    }
  } catch (const std::exception& e) {
    // A bug, not a finding: say so plainly rather than crash.
    std::cerr << "planner: internal error: " << e.what() << '\n';
    return 3;
  }
  return kExitUsage;
}
