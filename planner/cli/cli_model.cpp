#include "cli/cli_model.h"

#include "rules/rule.h"
#include "select/select.h"

namespace planner::cli {

namespace {

// CLI11 describes an IsMember check as "{a,b,c}" inside the option's type name ("TEXT:{a,b}").
std::vector<std::string> choices_of(const std::string& type_name) {
  std::vector<std::string> out;
  auto open = type_name.find('{'), close = type_name.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return out;
  std::string item;
  for (std::size_t i = open + 1; i <= close; ++i) {
    if (i == close || type_name[i] == ',') {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else {
      item += type_name[i];
    }
  }
  return out;
}

std::vector<std::string> rule_codes() {
  std::vector<std::string> out;
  for (const Rule* r : all_rules()) out.push_back(r->code);
  return out;
}

// Options whose values come from planner's own tables, by the option's name.
std::vector<std::string> completions_of(const std::string& name) {
  if (name == "select" || name == "ignore" || name == "code") return rule_codes();
  if (name == "workload") return workload_names();
  return {};
}

OptionInfo describe(const CLI::Option& o) {
  OptionInfo info;
  for (const auto& l : o.get_lnames()) info.flags.push_back("--" + l);
  for (const auto& s : o.get_snames()) info.flags.push_back("-" + s);
  if (info.flags.empty()) info.positional = o.get_name();
  info.description = o.get_description();
  info.required = o.get_required();
  if (o.get_type_size() != 0) {
    const std::string type = o.get_type_name();
    info.value_name = type.substr(0, type.find(':'));
    info.choices = choices_of(type);
    if (info.choices.empty())
      info.completions = completions_of(o.get_lnames().empty() ? o.get_name(true) : o.get_lnames().front());
    info.repeats = o.get_expected_max() > 1;
  }
  return info;
}

CommandInfo describe_app(const CLI::App& app) {
  CommandInfo c{app.get_name(), app.get_description(), {}};
  const auto options = app.get_options();
  for (const CLI::Option* o : options)
    if (o->nonpositional()) c.options.push_back(describe(*o));
  for (const CLI::Option* o : options)
    if (!o->nonpositional()) c.options.push_back(describe(*o));
  return c;
}

}  // namespace

CommandInfo describe_root(const CLI::App& app) { return describe_app(app); }

std::vector<CommandInfo> describe_subcommands(const CLI::App& app) {
  std::vector<CommandInfo> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    out.push_back(describe_app(*sub));
  return out;
}

}  // namespace planner::cli
