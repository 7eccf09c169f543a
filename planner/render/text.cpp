#include <fmt/format.h>

#include <algorithm>

#include "render/render.h"

namespace planner {

namespace {

struct Style {
  bool on;
  std::string paint(std::string_view code, std::string_view s) const {
    return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : std::string(s);
  }
};

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::error: return "1;31";
    case Severity::warning: return "1;33";
    case Severity::info: return "1;36";
  }
  return "1";
}

std::string plural(int n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace

void render_text(std::ostream& out, const std::vector<FileResult>& results, bool color) {
  Style st{color};
  for (const auto& r : results) {
    for (const auto& d : r.diagnostics) {
      std::string loc = d.line > 0 ? fmt::format("{}:{}:{}:", d.file, d.line, d.column) : d.file + ":";
      out << st.paint("1", loc) << ' ' << st.paint(severity_color(d.severity), to_string(d.severity)) << ": "
          << d.message << ' ' << st.paint("2", "[" + d.code + "]") << '\n';
      if (d.line > 0) {
        std::string_view src = r.doc.line_text(d.line);
        int column = d.column;
        // Long lines (minified or hostile files) are shown as a window around the column.
        constexpr int kWidth = 100;
        std::string window;
        if (src.size() > static_cast<std::size_t>(kWidth)) {
          std::size_t begin = column > kWidth / 2 ? static_cast<std::size_t>(column - kWidth / 2) : 0;
          begin = std::min(begin, src.size());
          window = std::string(begin > 0 ? "..." : "") + std::string(src.substr(begin, kWidth)) +
                   (begin + kWidth < src.size() ? "..." : "");
          column = column - static_cast<int>(begin) + (begin > 0 ? 3 : 0);
          src = window;
        }
        std::string num = std::to_string(d.line);
        std::string pad(num.size(), ' ');
        out << ' ' << st.paint("34", num + " |") << ' ' << src << '\n';
        // The caret sits under the column; tabs are kept so it lines up in a terminal.
        std::string under;
        for (int i = 1; i < column && static_cast<std::size_t>(i - 1) < src.size(); ++i)
          under += src[static_cast<std::size_t>(i - 1)] == '\t' ? '\t' : ' ';
        out << ' ' << st.paint("34", pad + " |") << ' ' << under << st.paint(severity_color(d.severity), "^") << '\n';
      }
      if (!d.help.empty()) out << "  " << st.paint("1;32", "help") << ": " << d.help << '\n';
      out << '\n';
    }
  }
  Summary s = summarize(results);
  if (s.errors + s.warnings + s.infos == 0) {
    out << fmt::format("No problems found in {}.\n", plural(s.files, "file"));
  } else {
    out << fmt::format("Found {}, {}, {} in {}.\n", plural(s.errors, "error"), plural(s.warnings, "warning"),
                       plural(s.infos, "info"), plural(s.files, "file"));
  }
}

}  // namespace planner
