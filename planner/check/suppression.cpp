#include "check/suppression.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "core/text.h"

namespace planner {

namespace {

struct LineSuppression {
  bool all = false;
  std::set<std::string> codes;  // lower-case codes or names
};

// `# planner: ignore` or `# planner: ignore[CODES]` in a line: where the comment starts, and the
// text between the brackets when there are any. (Hand-written: libstdc++'s std::regex recursed
// once per character of `[^\]]*` and overflowed the stack on a long line.)
struct Marker {
  std::size_t position = 0;
  bool listed = false;
  std::string list;
};

std::optional<Marker> find_marker(std::string_view text) {
  for (std::size_t hash = text.find('#'); hash != std::string_view::npos; hash = text.find('#', hash + 1)) {
    std::size_t p = hash + 1;
    auto skip_space = [&] {
      while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p]))) ++p;
    };
    skip_space();
    if (text.substr(p, 8) != "planner:") continue;
    p += 8;
    skip_space();
    if (text.substr(p, 6) != "ignore") continue;
    p += 6;
    Marker m;
    m.position = hash;
    if (p < text.size() && text[p] == '[')
      if (std::size_t close = text.find(']', p + 1); close != std::string_view::npos) {
        m.listed = true;
        m.list = std::string(text.substr(p + 1, close - p - 1));
      }
    return m;
  }
  return std::nullopt;
}

}  // namespace

void apply_suppressions(const Document& doc, std::vector<Diagnostic>& diagnostics) {
  if (doc.text.find("planner:") == std::string::npos) return;
  std::map<int, LineSuppression> by_line;
  for (std::size_t i = 0; i < doc.line_starts.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    std::string_view text = doc.line_text(line);
    std::optional<Marker> m = find_marker(text);
    if (!m) continue;
    LineSuppression s;
    if (!m->listed) {
      s.all = true;
    } else {
      const std::string& list = m->list;
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
    const bool alone = text.find_first_not_of(" \t") == m->position;
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
