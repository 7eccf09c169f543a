#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/embedded.h"
#include "core/json_text.h"
#include "core/text.h"
#include "rules/rule.h"
#include "rules/rule_docs.h"

namespace planner::cli {

Command add_rules(CLI::App& app) {
  auto format = std::make_shared<std::string>("text");
  auto* cmd = app.add_subcommand("rules", "list the rules");
  cmd->add_option("--format", *format, "output format (markdown: the index of docs/rules/)")
      ->check(CLI::IsMember({"text", "json", "markdown"}));
  return {cmd, [format] {
            if (*format == "markdown") {
              std::cout << rules_index_markdown();
              return kExitOk;
            }
            if (*format == "json") {
              nlohmann::ordered_json arr = nlohmann::ordered_json::array();
              for (const Rule* r : all_rules())
                arr.push_back({{"code", r->code},
                               {"name", r->name},
                               {"severity", std::string(to_string(r->severity))},
                               {"summary", r->summary}});
              std::cout << json_text(arr) << '\n';
              return kExitOk;
            }
            for (const Rule* r : all_rules())
              std::cout << fmt::format("{}  {:<30} {:<8} {}\n", r->code, r->name, to_string(r->severity), r->summary);
            return kExitOk;
          }};
}

Command add_explain(CLI::App& app) {
  auto code = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("explain", "print a rule's documentation");
  cmd->add_option("code", *code, "rule code or name, e.g. LI012")->required();
  return {cmd, [code] {
            const Rule* r = find_rule(*code);
            if (!r) {
              std::vector<std::string> names;
              for (const Rule* x : all_rules()) {
                names.push_back(x->code);
                names.push_back(x->name);
              }
              std::string near = nearest(*code, names);
              std::cerr << fmt::format("planner: error: no rule '{}'{}; `planner rules` lists them\n", shown_value(*code),
                                       near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near));
              return kExitUsage;
            }
            std::cout << rule_page_markdown(*r);
            return kExitOk;
          }};
}

Command add_schema(CLI::App& app) {
  auto* cmd = app.add_subcommand("schema", "print the JSON Schema of the config format");
  return {cmd, [] {
            std::cout << embedded::schema_json();
            return kExitOk;
          }};
}

}  // namespace planner::cli
