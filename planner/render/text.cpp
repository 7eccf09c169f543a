#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/text.h"
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

// A source line escaped piece by piece: one piece per character (a UTF-8 sequence, or a stray
// byte), as shown_text writes it, with its width in characters.
struct Piece {
  std::string text;
  std::size_t width;
  std::size_t bytes;  // of the source
};
std::vector<Piece> pieces(std::string_view raw) {
  std::vector<Piece> out;
  for (std::size_t i = 0; i < raw.size();) {
    std::size_t j = i + 1;
    while (j < raw.size() && (static_cast<unsigned char>(raw[j]) & 0xC0) == 0x80) ++j;
    std::string text = shown_text(raw.substr(i, j - i), true);
    std::size_t width = 0;
    for (unsigned char c : text) width += (c & 0xC0) != 0x80;
    out.push_back({std::move(text), width, j - i});
    i = j;
  }
  return out;
}

// The source line around `column` (1-based, in bytes) as the excerpt under a diagnostic: at most
// kWidth characters, escaped (an escape is never cut), the column in the middle when the line is
// longer, "..." where the line goes on. `under` gets the blanks that put a caret under the
// column: one per character shown before it, tabs kept as tabs so it lines up in a terminal.
// `span` is how many bytes from the column the finding covers on this line; `span_width` gets the
// characters shown for them (at least 1), so `^~~~` can underline them as gcc does.
std::string excerpt(std::string_view src, int column, std::size_t span, std::string& under, std::size_t& span_width) {
  constexpr std::size_t kWidth = 100;
  // A character is at most 4 bytes, so 4 x kWidth bytes each side always cover kWidth characters.
  constexpr std::size_t kBytes = 4 * kWidth;
  const std::size_t col = std::min(column > 0 ? static_cast<std::size_t>(column - 1) : 0, src.size());
  std::size_t from = col > kBytes ? col - kBytes : 0;
  while (from > 0 && (static_cast<unsigned char>(src[from]) & 0xC0) == 0x80) --from;
  const std::vector<Piece> left = pieces(src.substr(from, col - from));
  const std::size_t right_bytes = std::min(src.size() - col, kBytes);
  const std::vector<Piece> right = pieces(src.substr(col, right_bytes));
  auto total = [](const std::vector<Piece>& v) {
    std::size_t w = 0;
    for (const auto& p : v) w += p.width;
    return w;
  };
  // Half the width each side; a side that needs less leaves the rest to the other.
  const std::size_t left_budget = kWidth - std::min(total(right), kWidth / 2);

  std::size_t first = left.size(), width = 0;
  while (first > 0 && width + left[first - 1].width <= left_budget) width += left[--first].width;
  std::string before = first > 0 || from > 0 ? "..." : "";
  for (std::size_t i = first; i < left.size(); ++i) before += left[i].text;
  const std::size_t right_budget = kWidth - width;
  std::string after;
  std::size_t shown = 0;
  width = 0;
  span_width = 0;
  std::size_t at = 0;  // source bytes past the column
  while (shown < right.size() && width + right[shown].width <= right_budget) {
    if (at < span) span_width += right[shown].width;
    at += right[shown].bytes;
    width += right[shown].width;
    after += right[shown++].text;
  }
  span_width = std::max<std::size_t>(span_width, 1);
  if (shown < right.size() || col + right_bytes < src.size()) after += "...";

  under.clear();
  for (unsigned char c : before)
    if ((c & 0xC0) != 0x80) under += c == '\t' ? '\t' : ' ';
  return before + after;
}

}  // namespace

void render_text(std::ostream& out, const std::vector<FileResult>& results, bool color, bool summary) {
  Style st{color};
  for (const auto& r : results) {
    const std::string file = shown_text(r.path);
    for (const auto& d : r.diagnostics) {
      const std::string dfile = d.file == r.path ? file : shown_text(d.file);
      std::string loc = d.line > 0 ? fmt::format("{}:{}:{}:", dfile, d.line, d.column) : dfile + ":";
      out << st.paint("1", loc) << ' ' << st.paint(severity_color(d.severity), to_string(d.severity)) << ": "
          << shown_value(d.message, kMessageMax) << ' ' << st.paint("2", "[" + shown_text(d.code) + "]") << '\n';
      if (d.line > 0) {
        std::string under;
        const std::string_view line = r.doc.line_text(d.line);
        // The finding's bytes on its first line: to its end, or to the line's end when it goes on.
        std::size_t span = 0;
        if (d.end_line == d.line && d.end_column > d.column) span = static_cast<std::size_t>(d.end_column - d.column);
        else if (d.end_line > d.line && d.column > 0) span = line.size() - std::min(line.size(), static_cast<std::size_t>(d.column - 1));
        std::size_t span_width = 1;
        const std::string src = excerpt(line, d.column, span, under, span_width);
        std::string num = std::to_string(d.line);
        std::string pad(num.size(), ' ');
        out << ' ' << st.paint("34", num + " |") << ' ' << src << '\n';
        out << ' ' << st.paint("34", pad + " |") << ' ' << under
            << st.paint(severity_color(d.severity), "^" + std::string(span_width - 1, '~')) << '\n';
      }
      if (!d.help.empty()) out << "  " << st.paint("1;32", "help") << ": " << shown_value(d.help, kMessageMax) << '\n';
      out << '\n';
    }
  }
  if (!summary) return;
  Summary s = summarize(results);
  if (s.errors + s.warnings + s.infos == 0) {
    out << fmt::format("No problems found in {}.\n", plural(s.files, "file"));
  } else {
    out << fmt::format("Found {}, {}, {} in {}.\n", plural(s.errors, "error"), plural(s.warnings, "warning"),
                       plural(s.infos, "info"), plural(s.files, "file"));
  }
}

}  // namespace planner
