#include "cli/suggest.h"

#include <fmt/format.h>

#include <string_view>

#include "core/text.h"

namespace planner::cli {

namespace {

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) out.push_back(sub->get_name());
  return out;
}

std::vector<std::string> flag_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) out.push_back("--" + l);
    for (const auto& s : o->get_snames()) out.push_back("-" + s);
  }
  return out;
}

}  // namespace

std::string closest(const std::string& word, const std::vector<std::string>& names) {
  const std::size_t budget = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 3));
  std::string best;
  std::size_t best_d = budget + 1;
  for (const auto& n : names) {
    const std::size_t d = edit_distance(to_lower(word), to_lower(n));
    if (d < best_d) {
      best_d = d;
      best = n;
    }
  }
  return best;
}

std::string unknown_subcommand(const CLI::App& app, int argc, char** argv) {
  const auto subs = subcommand_names(app);
  for (int i = 1; i < argc; ++i) {
    const std::string_view w = argv[i];
    if (w.empty() || w[0] == '-') continue;
    for (const auto& s : subs)
      if (s == w) return "";
    return std::string(w);
  }
  return "";
}

std::vector<std::string> explain_extras(const CLI::App& app) {
  // The innermost parsed subcommand is whose options a mistyped flag was meant for.
  const CLI::App* where = &app;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (const CLI::App* sub : where->get_subcommands())
      if (sub->parsed()) {
        where = sub;
        deeper = true;
        break;
      }
  }
  std::vector<std::string> lines;
  const std::string cmd = where == &app ? "planner" : "planner " + where->get_name();
  for (const auto& extra : app.remaining(true)) {
    if (extra.empty() || extra[0] != '-' || extra == "-") {
      lines.push_back(fmt::format("unexpected argument '{}' for '{}'", shown_value(extra), cmd));
      continue;
    }
    const std::string flag = extra.substr(0, extra.find('='));
    const std::string guess = closest(flag, flag_names(*where));
    lines.push_back(guess.empty() ? fmt::format("unknown option '{}' for '{}' (see {} --help)", shown_value(flag), cmd, cmd)
                                  : fmt::format("unknown option '{}' for '{}'; did you mean '{}'?", shown_value(flag), cmd, guess));
  }
  return lines;
}

}  // namespace planner::cli
