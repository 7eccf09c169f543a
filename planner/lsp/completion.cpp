#include "lsp/completion.h"

#include <algorithm>

#include "lsp/diagnostics.h"
#include "resolve/catalog.h"
#include "resolve/quant.h"

namespace planner::lsp {

ValueContext value_context(std::string_view line, std::size_t cursor) {
  cursor = std::min(cursor, line.size());
  std::size_t i = line.find_first_not_of(' ');
  if (i == std::string_view::npos || i >= cursor) return {};
  if (line.compare(i, 2, "- ") == 0) i = line.find_first_not_of(' ', i + 2);  // a sequence item: "- model: x"
  if (i == std::string_view::npos) return {};
  const std::size_t colon = line.find(':', i);
  if (colon == std::string_view::npos || colon >= cursor) return {};
  std::size_t v = colon + 1;
  while (v < cursor && line[v] == ' ') ++v;
  if (v < cursor && (line[v] == '"' || line[v] == '\'')) ++v;  // inside a quoted value: complete its text
  // The value typed so far holds no space or comment: past one, the cursor is not in it.
  if (line.substr(v, cursor - v).find_first_of(" #") != std::string_view::npos) return {};
  return {std::string(line.substr(i, colon - i)), v};
}

namespace {
nlohmann::json item(const std::string& label, int kind, const std::string& detail, const nlohmann::json& range) {
  nlohmann::json j = {{"label", label}, {"kind", kind}, {"textEdit", {{"range", range}, {"newText", label}}}};
  if (!detail.empty()) j["detail"] = detail;
  return j;
}

// Every name the quantization tables know, each once, in the tables' order: GGUF and MLX
// names first, then a safetensors checkpoint's.
std::vector<std::string> quant_names() {
  std::vector<std::string> out;
  for (Format f : {Format::gguf, Format::safetensors})
    for (auto& n : known_quant_names(QuantTables::builtin(), f))
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(std::move(n));
  return out;
}
}  // namespace

nlohmann::json completion(const std::string& text, Position at, Encoding enc) {
  nlohmann::json items = nlohmann::json::array();
  const LineIndex index(text);
  const std::size_t begin = index.line_begin(at.line), cursor = index.offset(at, enc);
  const ValueContext ctx = value_context(std::string_view(text).substr(begin, index.line_end(at.line) - begin), cursor - begin);
  const nlohmann::json range = json_of(byte_range(index, begin + ctx.value_begin, cursor, enc));
  // CompletionItemKind (LSP 3.17): Module 9 for a model, EnumMember 20 for a quantization.
  if (ctx.key == "model") {
    for (const ModelInfo& m : Catalog::builtin().models()) items.push_back(item(m.id, 9, m.hf_repo, range));
  } else if (ctx.key == "quantization") {
    for (const auto& n : quant_names()) items.push_back(item(n, 20, "", range));
  }
  return {{"isIncomplete", false}, {"items", items}};
}

}  // namespace planner::lsp
