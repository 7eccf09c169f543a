// Build-time tool: keeps the completion `examples` of the config schema equal to the catalog's
// model ids and the quantization tables' names (resolve/name_examples.h).
//   schema_examples SCHEMA.json           exit 1 and say so when the examples are stale
//   schema_examples --write SCHEMA.json   rewrite them in place
// The committed schema is what the $id URL serves and what editors fetch, so the examples are
// written into it rather than added at build time; ctest's `schema_examples` runs the check.
// Only the `"examples": [...]` arrays of the three keys below change, by text, so the file keeps
// its hand-made layout; the result is parsed back and compared with the original less those
// arrays, so no other byte can change unnoticed.
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/atomic_write.h"
#include "model/quant_tables.h"
#include "resolve/catalog.h"
#include "resolve/name_examples.h"

using namespace planner;
using json = nlohmann::json;

namespace {

struct Target {
  const char* pointer;  // the subschema whose examples are generated
  const std::vector<std::string>* names;
};

// One name per item, wrapped before column 100, indented under the key.
std::string examples_text(const std::vector<std::string>& names, std::size_t indent) {
  const std::string pad(indent + 2, ' ');
  std::string out = "\"examples\": [";
  std::string line = pad;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string item = json(names[i]).dump() + (i + 1 < names.size() ? "," : "");
    if (line.size() > pad.size() && line.size() + 1 + item.size() > 100) {
      out += "\n" + line;
      line = pad;
    }
    line += (line.size() > pad.size() ? " " : "") + item;
  }
  if (line.size() > pad.size()) out += "\n" + line;
  return out + "\n" + std::string(indent, ' ') + "]";
}

std::size_t line_start(const std::string& t, std::size_t at) {
  const std::size_t nl = at == 0 ? std::string::npos : t.rfind('\n', at - 1);
  return nl == std::string::npos ? 0 : nl + 1;
}

// The key of the object an `"examples"` at `at` belongs to: the nearest line above indented two
// less that opens `"KEY": {`; "" when there is none.
std::string owner_key(const std::string& t, std::size_t at) {
  const std::size_t start = line_start(t, at);
  const std::size_t indent = at - start;
  if (indent < 2) return "";
  for (std::size_t ls = start; ls > 0;) {
    ls = line_start(t, ls - 1);
    const std::size_t first = t.find_first_not_of(' ', ls);
    if (first == std::string::npos || first - ls != indent - 2) continue;
    const std::size_t end = t.find('\n', ls);
    const std::string line = t.substr(first, end - first);
    if (line.size() > 4 && line[0] == '"' && line.compare(line.size() - 2, 2, " {") == 0) {
      const std::size_t close = line.find('"', 1);
      if (close != std::string::npos && line.compare(close, 3, "\": ") == 0) return line.substr(1, close - 1);
    }
    return "";  // the enclosing line is something else: not one of ours
  }
  return "";
}

json without_examples(json doc, const std::vector<Target>& targets) {
  for (const Target& t : targets) doc.at(json::json_pointer(t.pointer)).erase("examples");
  return doc;
}

}  // namespace

int main(int argc, char** argv) {
  const bool write = argc == 3 && std::strcmp(argv[1], "--write") == 0;
  if (argc != 2 && !write) {
    std::cerr << "usage: schema_examples [--write] SCHEMA.json\n";
    return 2;
  }
  const std::string path = argv[argc - 1];
  try {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string old_text = ss.str();
    const json old_doc = json::parse(old_text);

    const std::vector<std::string> models = model_name_examples(Catalog::builtin());
    const std::vector<std::string> quants = quantization_examples(QuantTables::builtin());
    const std::vector<Target> targets = {
        {"/properties/inference/properties/quantization", &quants},
        {"/definitions/route/properties/quantization", &quants},
        {"/definitions/route/properties/model", &models},
    };

    std::string text = old_text;
    std::size_t rewritten = 0;
    for (std::size_t at = text.find("\"examples\": ["); at != std::string::npos; at = text.find("\"examples\": [", at + 1)) {
      const std::string key = owner_key(text, at);
      const std::vector<std::string>* names = key == "model" ? &models : key == "quantization" ? &quants : nullptr;
      if (!names) continue;
      const std::size_t close = text.find(']', at);
      if (close == std::string::npos) throw std::runtime_error(path + ": an examples array is not closed");
      const std::string replacement = examples_text(*names, at - line_start(text, at));
      text.replace(at, close + 1 - at, replacement);
      ++rewritten;
    }
    if (rewritten != targets.size())
      throw std::runtime_error(path + ": found " + std::to_string(rewritten) + " examples arrays of model / quantization, want " +
                               std::to_string(targets.size()) + " (each key needs an \"examples\": [...] line of its own)");
    const json new_doc = json::parse(text);
    for (const Target& t : targets)
      if (new_doc.at(json::json_pointer(t.pointer)).value("examples", json()) != json(*t.names))
        throw std::runtime_error(path + ": " + t.pointer + " did not get the generated examples (is its \"examples\" under another key?)");
    if (without_examples(new_doc, targets) != without_examples(old_doc, targets))
      throw std::runtime_error(path + ": rewriting the examples would change something else");

    if (text == old_text) {
      std::cerr << "schema_examples: " << path << ": current (" << models.size() << " models, " << quants.size()
                << " quantizations)\n";
      return 0;
    }
    if (!write) {
      const auto count = [&](const char* p) { return old_doc.at(json::json_pointer(p)).value("examples", json::array()).size(); };
      std::cerr << "schema_examples: " << path << ": the examples are stale (model: " << count(targets[2].pointer) << " in the file, "
                << models.size() << " in the catalog; quantization: " << count(targets[0].pointer) << " in the file, " << quants.size()
                << " in the tables); regenerate them with `build/schema_examples --write " << path << "`\n";
      return 1;
    }
    if (const std::string err = atomic_write(path, text); !err.empty()) throw std::runtime_error(path + ": " + err);
    std::cerr << "schema_examples: " << path << ": wrote " << models.size() << " models, " << quants.size() << " quantizations\n";
  } catch (const std::exception& e) {
    std::cerr << "schema_examples: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
