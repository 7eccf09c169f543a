#include "check/suppression.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "core/text.h"

namespace planner {

namespace {

struct LineSuppression {
  bool all = false;
  std::set<std::string> codes;  // lower-case codes or names
};

}  // namespace

void apply_suppressions(const Document& doc, std::vector<Diagnostic>& diagnostics) {
  if (doc.text.find("planner:") == std::string::npos) return;
  static const std::regex re("#\\s*planner:\\s*ignore(\\[([^\\]]*)\\])?");
  std::map<int, LineSuppression> by_line;
  for (std::size_t i = 0; i < doc.line_starts.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    std::string text(doc.line_text(line));
    std::smatch m;
    if (!std::regex_search(text, m, re)) continue;
    LineSuppression s;
    if (!m[1].matched) {
      s.all = true;
    } else {
      std::string list = m[2];
      std::string item;
      for (char c : list + ",") {
        if (c == ',' || c == ' ') {
          if (!item.empty()) s.codes.insert(to_lower(item));
          item.clear();
        } else {
          item += c;
        }
      }
    }
    // A comment alone on its line applies to the next line; otherwise to its own line.
    const bool alone = text.find_first_not_of(" \t") == static_cast<std::size_t>(m.position(0));
    auto& target = by_line[alone ? line + 1 : line];
    target.all = target.all || s.all;
    target.codes.insert(s.codes.begin(), s.codes.end());
  }
  std::erase_if(diagnostics, [&](const Diagnostic& d) {
    if (d.code == "LI001") return false;  // a file that does not parse cannot suppress anything
    auto it = by_line.find(d.line);
    if (it == by_line.end()) return false;
    return it->second.all || it->second.codes.count(to_lower(d.code)) || it->second.codes.count(d.name);
  });
}

}  // namespace planner
