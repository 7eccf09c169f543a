#pragma once
// A rule's documentation as a page: what `planner explain` prints, what docs/rules/<CODE>.md holds
// (scripts/rule-docs writes them; tests/cli/ci_formats_test.sh fails when they are stale) and
// where SARIF's helpUri points.
#include <string>
#include <string_view>

#include "rules/rule.h"

namespace planner {

// The project's repository: SARIF's informationUri, and the base of every rule page's URL.
inline constexpr std::string_view kRepositoryUrl = "https://github.com/planner/planner";

// "# LI012 kv-exceeds-reserve", the default severity and summary, then Rule::doc.
std::string rule_page_markdown(const Rule& r);
// docs/rules/README.md: a table of every rule, each linking its page.
std::string rules_index_markdown();
// The page's file name inside docs/rules/ ("LI012.md").
std::string rule_page_file(const Rule& r);
// kRepositoryUrl/blob/v<version>/docs/rules/<file>: the page as this version tagged it.
std::string rule_doc_url(const Rule& r);

}  // namespace planner
