// planner's SARIF against the official SARIF 2.1.0 JSON Schema (tests/data/sarif/, with its
// source), for the seed, every example and awkward file names. valijson checks the schema but
// not "format": "uri" / "uri-reference", so those are checked here against RFC 3986.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "check/check.h"
#include "render/render.h"

using namespace planner;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const valijson::Schema& sarif_schema() {
  static const valijson::Schema* schema = [] {
    static const json doc = json::parse(read_file(fs::path(PLANNER_SOURCE_DIR) / "tests/data/sarif/sarif-schema-2.1.0.json"));
    auto* s = new valijson::Schema;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    parser.populateSchema(adapter, *s);
    return s;
  }();
  return *schema;
}

// Every schema violation, one per line, with the JSON pointer-ish context valijson reports.
std::string violations(const json& log) {
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(log);
  if (validator.validate(sarif_schema(), adapter, &results)) return "";
  std::string out;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    std::string where;
    for (const auto& c : e.context) where += c;
    out += where + ": " + e.description + "\n";
  }
  return out.empty() ? "invalid (no detail)" : out;
}

// RFC 3986 URI-reference: allowed characters, well-formed %XX, and a first segment without ':'
// unless it is a scheme. An absolute URI (format "uri") must have the scheme.
bool uri_reference(const std::string& s, bool absolute) {
  static const std::regex chars(R"(^([A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*$)");
  static const std::regex scheme(R"(^[A-Za-z][A-Za-z0-9+.\-]*:)");
  if (!std::regex_match(s, chars)) return false;
  const bool has_scheme = std::regex_search(s, scheme);
  if (absolute) return has_scheme;
  if (has_scheme) return true;
  const std::string first = s.substr(0, s.find_first_of("/?#"));
  return first.find(':') == std::string::npos;
}

void check_uris(const json& j, std::vector<std::string>& bad) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (v.is_string() && (k == "uri" || k == "$schema" || k == "informationUri")) {
        if (!uri_reference(v.get<std::string>(), k != "uri")) bad.push_back(k + "=" + v.get<std::string>());
      }
      check_uris(v, bad);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) check_uris(v, bad);
  }
}

json sarif_for(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<FileResult> results;
  for (const auto& [path, text] : files) results.push_back(check_text(path, text));
  std::ostringstream out;
  render_sarif(out, results);
  return json::parse(out.str());
}

void require_valid(const json& log) {
  INFO(log.dump(1).substr(0, 3000));
  CHECK(violations(log) == "");
  std::vector<std::string> bad;
  check_uris(log, bad);
  CHECK(bad == std::vector<std::string>{});
}

}  // namespace

TEST_CASE("The schema rejects what it should (the validator is live)", "[sarif]") {
  json log = sarif_for({{"c.yaml", read_file(fs::path(PLANNER_SOURCE_DIR) / "examples/seed/local-inference-config.yaml")}});
  REQUIRE(violations(log) == "");
  json no_version = log;
  no_version.erase("version");
  CHECK(violations(no_version) != "");
  json bad_level = log;
  bad_level["runs"][0]["results"][0]["level"] = "fatal";
  CHECK(violations(bad_level) != "");
  json bad_line = log;
  bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  CHECK(violations(bad_line) != "");
  CHECK_FALSE(uri_reference("dir/a b.yaml", false));
  CHECK(uri_reference("c:x.yaml", false));  // the scheme "c": well-formed, though not a path
  CHECK_FALSE(uri_reference("x.yaml", true));
  CHECK_FALSE(uri_reference("50%.yaml", false));
  CHECK(uri_reference("dir/a%20b.yaml", false));
}

TEST_CASE("SARIF for the seed and every example is valid SARIF 2.1.0", "[sarif]") {
  const fs::path src(PLANNER_SOURCE_DIR);
  std::vector<std::pair<std::string, std::string>> all;
  std::vector<fs::path> files = {src / "examples/seed/local-inference-config.yaml", src / "tests/cli/clean.yaml"};
  for (const char* dir : {"examples/broken", "examples/decision-matrix"})
    for (const auto& e : fs::directory_iterator(src / dir))
      if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 8);
  for (const auto& f : files) {
    const std::string rel = fs::relative(f, src).generic_string();
    SECTION(rel) {
      json log = sarif_for({{rel, read_file(f)}});
      require_valid(log);
      // Every result names a rule that the driver lists, at the index it claims.
      const auto& rules = log["runs"][0]["tool"]["driver"]["rules"];
      for (const auto& r : log["runs"][0]["results"]) {
        REQUIRE(r["ruleIndex"].get<std::size_t>() < rules.size());
        CHECK(rules[r["ruleIndex"].get<std::size_t>()]["id"] == r["ruleId"]);
      }
    }
    all.emplace_back(rel, read_file(f));
  }
  // All of them in one log, as `planner check --format sarif a.yaml b.yaml ...` writes it.
  json log = sarif_for(all);
  require_valid(log);
  CHECK(log["runs"][0]["results"].size() > 10);
}

TEST_CASE("SARIF artifact URIs are URI references even for awkward file names", "[sarif]") {
  const std::string seed = read_file(fs::path(PLANNER_SOURCE_DIR) / "examples/seed/local-inference-config.yaml");
  for (const std::string name : {"my configs/local-inference-config.yaml", "/tmp/abs dir/config #1.yaml",
                                 "c:config.yaml", "50%/caf\xc3\xa9?.yaml"}) {
    SECTION(name) {
      json log = sarif_for({{name, seed}});
      require_valid(log);
      const std::string uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
      if (name[0] == '/') CHECK(uri.rfind("file:///tmp/", 0) == 0);
      else CHECK(uri.find(':') == std::string::npos);
    }
  }
  json log = sarif_for({{"my configs/local-inference-config.yaml", seed}});
  CHECK(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "my%20configs/local-inference-config.yaml");
}

TEST_CASE("A YAML syntax error and an empty file give valid SARIF too", "[sarif]") {
  require_valid(sarif_for({{"broken.yaml", "hardware:\n  total_ram_gb: [16\n"}}));
  require_valid(sarif_for({{"empty.yaml", ""}}));
  require_valid(sarif_for({}));
}
