#include "rules/rule_docs.h"

#include <fmt/format.h>

namespace planner {

std::string rule_page_markdown(const Rule& r) {
  return fmt::format("# {} {}\n\nDefault severity: {}. {}.\n\n{}", r.code, r.name, to_string(r.severity), r.summary,
                     r.doc);
}

std::string rule_page_file(const Rule& r) { return std::string(r.code) + ".md"; }

std::string rule_doc_url(const Rule& r) {
  return fmt::format("{}/blob/v{}/docs/rules/{}", kRepositoryUrl, PLANNER_VERSION, rule_page_file(r));
}

std::string rules_index_markdown() {
  std::string out =
      "# Rules\n\n"
      "Generated from the rules' own documentation (`planner rules --format markdown`, one page per rule\n"
      "from `planner explain CODE`; `scripts/rule-docs` writes them all). Do not edit by hand.\n\n"
      "| Code | Name | Default severity | What it checks |\n"
      "|---|---|---|---|\n";
  for (const Rule* r : all_rules()) {
    std::string summary;
    for (char c : std::string_view(r->summary)) summary += c == '|' ? std::string("\\|") : std::string(1, c);
    out += fmt::format("| [{}]({}) | `{}` | {} | {} |\n", r->code, rule_page_file(*r), r->name, to_string(r->severity),
                       summary);
  }
  return out;
}

}  // namespace planner
