// planner: lints and plans local LLM inference configs. Each subcommand is a cmd_*.cpp file;
// this file only lists them, parses the command line and maps failures to exit codes.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/suggest.h"
#include "core/text.h"

int main(int argc, char** argv) {
  using namespace planner::cli;
  // `planner --version` answers before any subcommand is declared: scripts and packagers call it.
  if (argc == 2 && (std::string_view(argv[1]) == "--version" || std::string_view(argv[1]) == "-V")) {
    std::cout << "planner " PLANNER_VERSION "\n";
    return kExitOk;
  }
  CLI::App app{"planner: lint and plan local LLM inference configs (local-inference-config.yaml)", "planner"};
  app.set_version_flag("-V,--version", "planner " PLANNER_VERSION);
  app.require_subcommand(1);

  const std::vector<Command> commands = {add_check(app), add_rules(app), add_explain(app), add_schema(app), add_models(app), add_inspect(app), add_plan(app), add_fix(app), add_launch(app), add_script(app), add_detect(app), add_route(app), add_init(app), add_completion(app), add_man(app), add_lsp(app)};

  if (const std::string typo = unknown_subcommand(app, argc, argv); !typo.empty()) {
    std::vector<std::string> names;
    for (const auto& c : commands) names.push_back(c.app->get_name());
    const std::string guess = closest(typo, names);
    std::cerr << "planner: error: unknown command '" << planner::shown_value(typo) << "'"
              << (guess.empty() ? std::string("; see planner --help") : "; did you mean '" + guess + "'?") << '\n';
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError&) {
    for (const auto& line : explain_extras(app)) std::cerr << "planner: error: " << line << '\n';
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  try {
    for (const auto& c : commands)
      if (c.app->parsed()) return c.run();
  } catch (const std::exception& e) {
    // A bug, not a finding: say so plainly rather than crash.
    std::cerr << "planner: internal error: " << planner::shown_text(e.what()) << '\n';
    return 3;
  }
  return kExitUsage;
}
