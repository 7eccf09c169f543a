#pragma once
// Each subcommand lives in its own cmd_<name>.cpp: it declares its options on `app` and returns
// the function that runs it. main.cpp lists them; nothing else knows about the others.
#include <CLI/CLI.hpp>

#include <functional>

namespace planner::cli {

constexpr int kExitOk = 0, kExitFindings = 1, kExitUsage = 2;

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_check(CLI::App& app);
Command add_rules(CLI::App& app);
Command add_explain(CLI::App& app);
Command add_schema(CLI::App& app);
Command add_models(CLI::App& app);
Command add_inspect(CLI::App& app);
Command add_plan(CLI::App& app);
Command add_detect(CLI::App& app);
Command add_route(CLI::App& app);
Command add_init(CLI::App& app);
Command add_fix(CLI::App& app);
Command add_launch(CLI::App& app);
Command add_script(CLI::App& app);
Command add_completion(CLI::App& app);
Command add_man(CLI::App& app);
Command add_lsp(CLI::App& app);

// `--color auto|always|never` resolved against NO_COLOR and whether stdout is a terminal.
bool use_color(const std::string& mode);

}  // namespace planner::cli
