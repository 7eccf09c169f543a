#pragma once
// A diagnostic is plain data: rules produce it, renderers print it, `fix` applies its edits.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planner {

enum class Severity { info, warning, error };

std::string_view to_string(Severity s);

// A text edit over the source, as ruff's fixes are: replace bytes [begin, end) with `text`.
struct TextEdit {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

// Safe fixes keep the user's intent (a typo, a seed name mapped to the model it meant);
// unsafe ones change behaviour (lower context, other quantization) and need --unsafe-fixes.
enum class FixSafety { safe, unsafe };

struct Fix {
  std::string title;
  FixSafety safety = FixSafety::safe;
  std::vector<TextEdit> edits;
};

struct Diagnostic {
  std::string code;      // stable rule code, e.g. "LI012"
  std::string name;      // kebab-case rule name
  Severity severity = Severity::error;
  std::string message;
  std::string help;      // may be empty
  std::string file;
  int line = 0;          // 1-based; 0 = whole file
  int column = 0;        // 1-based; 0 = whole line
  // Where the finding's source text ends (load/source_extent.h says what a node's text is): the
  // line and the column after its last byte, so [line:column, end_line:end_column) is the span.
  // 0 = unknown (whole-file findings); equal to the start for an empty value (a point).
  int end_line = 0;
  int end_column = 0;
  std::string path;      // YAML key path, e.g. "routing.code.model"
  std::optional<Fix> fix;
};

}  // namespace planner
