#include "check/check.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <filesystem>

#include "check/suppression.h"
#include "core/text.h"
#include "estimate/analysis.h"
#include "rules/rule.h"
#include "validate/schema_check.h"

namespace planner {

bool rule_enabled(const std::string& code, const std::string& name, const CheckOptions& o) {
  auto matches = [&](const std::string& sel) {
    std::string s = to_lower(sel);
    return s == "all" || s == name || to_lower(code).rfind(s, 0) == 0;
  };
  if (!o.select.empty() && std::none_of(o.select.begin(), o.select.end(), matches)) return false;
  return std::none_of(o.ignore.begin(), o.ignore.end(), matches);
}

bool read_config_file(const std::string& path, std::string& text, std::string& error, std::size_t limit) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  text.clear();
  char buf[65536];
  while (text.size() <= limit && in.read(buf, sizeof buf).gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (!in) break;
  }
  if (in.bad()) {
    error = "read error";
    return false;
  }
  return true;
}

FileResult check_text(std::string path, std::string text, const CheckOptions& options) {
  FileResult result;
  result.path = path;
  LoadResult loaded = parse_yaml(std::move(path), std::move(text));
  result.doc = std::move(loaded.doc);
  std::vector<Diagnostic> diags = std::move(loaded.errors);
  if (diags.empty()) {  // loaded: validate, then run the rules
    diags = check_schema(result.doc);
    // Rules read a mapping of sections; an empty file, a bare scalar or a list has been reported
    // by the schema stage and gives them nothing to read.
    std::vector<const Rule*> enabled;
    for (const Rule* rule : all_rules())
      if (rule->check && rule_enabled(rule->code, rule->name, options)) enabled.push_back(rule);
    if (result.doc.root.is_map() && !enabled.empty()) {
      Analysis analysis = analyze(result.doc);
      Reporter reporter(result.doc, diags);
      for (const Rule* rule : enabled) rule->check(analysis, reporter);
    }
    apply_suppressions(result.doc, diags);
  }
  std::erase_if(diags, [&](const Diagnostic& d) { return !rule_enabled(d.code, d.name, options); });
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    return a.code < b.code;
  });
  result.diagnostics = std::move(diags);
  return result;
}

}  // namespace planner
