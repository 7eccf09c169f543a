// SARIF 2.1.0 as GitHub code scanning reads it (docs/output-formats.md, "sarif").
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/json_text.h"
#include "core/text.h"
#include "render/render.h"
#include "rules/rule.h"
#include "rules/rule_docs.h"

namespace planner {

namespace {
using ojson = nlohmann::ordered_json;

// The partialFingerprints key; "/v1" changes if what is hashed ever does (docs/output-formats.md).
constexpr const char* kSarifFingerprintKey = "plannerFinding/v1";

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::info: return "note";
  }
  return "warning";
}

// artifactLocation.uri must be a URI reference (RFC 3986): a path is percent-encoded (spaces,
// '%', '#', '?', non-ASCII bytes, and ':' so no first segment reads as a scheme), and an
// absolute path becomes a file:// URI as SARIF §3.4.3 asks; a relative one stays relative to
// the directory planner ran in (the repository root in CI).
std::string artifact_uri(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (c < 0x80 && (std::isalnum(c) || (c != 0 && std::strchr("-._~!$&'()*+,;=@/", c)))) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Diagnostics count columns in bytes; SARIF has no byte columns, so regions are given in UTF-16
// code units (run.columnKind, what GitHub and editors count): the line's bytes before the column,
// recounted. A byte that does not start a well-formed sequence counts as one unit (U+FFFD).
int utf16_column(std::string_view line, int byte_column) {
  if (byte_column < 1) return byte_column;
  const std::size_t prefix = static_cast<std::size_t>(byte_column - 1);
  const std::size_t kept = std::min(prefix, line.size());
  // Past the line's end (or no text kept), each byte counts as one unit.
  return static_cast<int>(1 + utf16_units(line.substr(0, kept)) + (prefix - kept));
}

// partialFingerprints (§3.27.17): what identifies a finding across runs, so GitHub keeps one alert
// when lines move or a figure in the message changes. FNV-1a 64 (a fixed, documented function:
// the value must not change between builds) of code, file, YAML path and occurrence index.
std::string fingerprint(const std::string& code, const std::string& uri, const std::string& path, int occurrence) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a offset basis and prime (FNV spec, 64-bit)
  auto add = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    h = (h ^ 0x1f) * 0x100000001b3ULL;  // a unit separator, so ("ab","c") != ("a","bc")
  };
  add(code);
  add(uri);
  add(path);
  add(std::to_string(occurrence));
  return fmt::format("{:016x}", h);
}

ojson rule_descriptors() {
  ojson rules = ojson::array();
  for (const Rule* r : all_rules())
    rules.push_back({{"id", r->code},
                     {"name", r->name},
                     {"shortDescription", {{"text", r->summary}}},
                     {"fullDescription", {{"text", r->summary}}},
                     {"helpUri", rule_doc_url(*r)},
                     {"help", {{"text", r->doc}, {"markdown", r->doc}}},
                     {"defaultConfiguration", {{"level", sarif_level(r->severity)}}}});
  return rules;
}

ojson region_of(const FileResult& fr, const Diagnostic& d) {
  // GitHub code scanning needs a region; a whole-file finding points at line 1.
  ojson region = {{"startLine", d.line > 0 ? d.line : 1}};
  if (d.column > 0) region["startColumn"] = utf16_column(fr.doc.line_text(d.line), d.column);
  if (d.line > 0 && d.column > 0 && d.end_line > 0 && d.end_column > 0) {
    region["endLine"] = d.end_line;
    region["endColumn"] = utf16_column(fr.doc.line_text(d.end_line), d.end_column);
  }
  return region;
}

ojson result_of(const FileResult& fr, const Diagnostic& d, int rule_index, int occurrence) {
  const std::string uri = artifact_uri(d.file);
  std::string text = d.message;
  if (!d.help.empty()) text += " (help: " + d.help + ")";
  ojson result = {{"ruleId", d.code},
                 {"ruleIndex", rule_index},
                 {"level", sarif_level(d.severity)},
                 {"message", {{"text", text}}},
                 {"locations",
                  ojson::array({{{"physicalLocation",
                                 {{"artifactLocation", {{"uri", uri}}}, {"region", region_of(fr, d)}}}}})},
                 {"partialFingerprints", {{kSarifFingerprintKey, fingerprint(d.code, uri, d.path, occurrence)}}}};
  if (!d.path.empty()) result["properties"] = {{"yamlPath", d.path}};
  if (d.fix) {
    // SARIF 2.1.0 §3.55 fix / §3.57 replacement: byte regions of the file as it was checked.
    ojson replacements = ojson::array();
    for (const auto& e : d.fix->edits)
      replacements.push_back({{"deletedRegion", {{"byteOffset", e.begin}, {"byteLength", e.end - e.begin}}},
                              {"insertedContent", {{"text", e.text}}}});
    result["fixes"] = ojson::array(
        {{{"description", {{"text", d.fix->title + (d.fix->safety == FixSafety::unsafe ? " (unsafe)" : "")}}},
          {"artifactChanges",
           ojson::array({{{"artifactLocation", {{"uri", uri}}}, {"replacements", std::move(replacements)}}})}}});
  }
  return result;
}
}  // namespace

void render_sarif(std::ostream& out, const std::vector<FileResult>& results, const std::vector<InputFailure>& failures) {
  const auto& all = all_rules();
  ojson res = ojson::array();
  for (const auto& fr : results) {
    std::map<std::tuple<std::string, std::string>, int> seen;  // (code, YAML path) -> findings so far
    for (const auto& d : fr.diagnostics) {
      int index = 0;
      for (std::size_t i = 0; i < all.size(); ++i)
        if (d.code == all[i]->code) index = static_cast<int>(i);
      res.push_back(result_of(fr, d, index, seen[{d.code, d.path}]++));
    }
  }
  // §3.20.14 executionSuccessful, §3.20.21 toolExecutionNotifications: an input that could not
  // be read is an error notification with its place, and the run did not succeed.
  ojson invocation = {{"executionSuccessful", failures.empty()}};
  if (!failures.empty()) {
    ojson notes = ojson::array();
    for (const auto& f : failures)
      notes.push_back({{"level", "error"},
                       {"message", {{"text", f.message}}},
                       {"locations", ojson::array({{{"physicalLocation", {{"artifactLocation", {{"uri", artifact_uri(f.path)}}}}}}})}});
    invocation["toolExecutionNotifications"] = std::move(notes);
  }
  ojson run = {{"tool",
               {{"driver",
                 {{"name", "planner"},
                  {"version", PLANNER_VERSION},
                  {"informationUri", kRepositoryUrl},
                  {"rules", rule_descriptors()}}}}},
              {"invocations", ojson::array({std::move(invocation)})},
              {"columnKind", "utf16CodeUnits"}};
  // A run that failed has no `results` (§3.14.23: absent when the tool could not analyse what
  // it was asked to): an empty array would say "analysed, nothing found", and GitHub would close
  // every open alert on upload; upload-sarif refuses a run without `results` instead.
  if (failures.empty()) run["results"] = std::move(res);
  ojson root = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
               {"version", "2.1.0"},
               {"runs", ojson::array({std::move(run)})}};
  out << json_text(root) << '\n';
}

}  // namespace planner
