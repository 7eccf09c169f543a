#include "support/fixture_expect.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <sstream>

#include "check/check.h"
#include "fix/fix.h"
#include "fix/unified_diff.h"

namespace fs = std::filesystem;

namespace planner::testing {

namespace {

const char* const kSyntax = "want 'SEVERITY LI### @COL \"substring\"...' (comma-separated)";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

void skip_space(const std::string& s, std::size_t& i) {
  while (i < s.size() && is_space(s[i])) ++i;
}

// A bare word: up to a space, comma or quote.
std::string word(const std::string& s, std::size_t& i) {
  const std::size_t b = i;
  while (i < s.size() && !is_space(s[i]) && s[i] != ',' && s[i] != '"') ++i;
  return s.substr(b, i - b);
}

// Digits at i; false (i unchanged) when there are none or too many to be a line or column.
bool number(const std::string& s, std::size_t& i, int& out) {
  std::size_t j = i;
  while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && j - i < 9) ++j;
  if (j == i || (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))) return false;
  out = std::stoi(s.substr(i, j - i));
  i = j;
  return true;
}

// A double-quoted fixed string at s[i] == '"'; \" and \\ are the only escapes.
bool quoted(const std::string& s, std::size_t& i, std::string& out, std::string& error) {
  out.clear();
  for (++i; i < s.size(); ++i) {
    if (s[i] == '"') {
      ++i;
      if (out.empty()) error = "empty substring \"\" matches anything";
      return out.size() > 0;
    }
    if (s[i] == '\\') {
      if (i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
        out += s[++i];
        continue;
      }
      error = "unknown escape in a substring (only \\\" and \\\\)";
      return false;
    }
    out += s[i];
  }
  error = "unterminated substring (a missing closing \")";
  return false;
}

// One or more comma-separated expectations for `line`, each with an `@COL` when `with_column`
// (the whole file has none; a sidecar line gives LINE:COL before the list). All or nothing: a
// malformed item drops the comment's other items too.
void parse_list(const std::string& s, int line, bool with_column, const std::string& where,
                std::vector<Expectation>& all, std::vector<std::string>& errors) {
  std::vector<Expectation> out;
  std::size_t i = 0;
  auto fail = [&](const std::string& why) { errors.push_back(where + ": " + why + " in '" + s + "' (" + kSyntax + ")"); };
  for (;;) {
    Expectation e;
    e.line = line;
    e.where = where;
    skip_space(s, i);
    e.severity = word(s, i);
    if (e.severity != "error" && e.severity != "warning" && e.severity != "info")
      return fail("severity '" + e.severity + "' is not error, warning or info");
    skip_space(s, i);
    e.code = word(s, i);
    if (e.code.size() != 5 || e.code.compare(0, 2, "LI") != 0 ||
        !std::all_of(e.code.begin() + 2, e.code.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return fail("'" + e.code + "' is not a rule code LI###");
    skip_space(s, i);
    const bool has_column = i < s.size() && s[i] == '@';
    if (!with_column && has_column) return fail("no '@COL' here (a whole-file finding has none; a sidecar says LINE:COL)");
    if (with_column && (!has_column || !number(s, ++i, e.column))) return fail("missing column '@COL'");
    for (;;) {
      skip_space(s, i);
      if (i >= s.size() || s[i] == ',') break;
      std::vector<std::string>* into = &e.message;
      if (s[i] != '"') {
        const std::string w = word(s, i);
        skip_space(s, i);
        if (w != "help" || i >= s.size() || s[i] != '"') return fail("unexpected '" + w + "'");
        into = &e.help;
      }
      std::string text, why;
      if (!quoted(s, i, text, why)) return fail(why);
      into->push_back(std::move(text));
    }
    if (e.message.empty()) return fail("no message substring (every expectation pins its message)");
    out.push_back(std::move(e));
    if (i >= s.size()) break;
    ++i;  // the comma
  }
  for (auto& e : out) all.push_back(std::move(e));
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string label(const fs::path& p) {
#ifdef PLANNER_SOURCE_DIR
  const fs::path rel = p.lexically_relative(PLANNER_SOURCE_DIR);
  if (!rel.empty() && *rel.begin() != "..") return rel.string();
#endif
  return p.string();
}

std::string quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

bool contains_all(const std::string& text, const std::vector<std::string>& parts) {
  for (const auto& p : parts)
    if (text.find(p) == std::string::npos) return false;
  return true;
}

bool matches(const Expectation& e, const Diagnostic& d) {
  return e.line == d.line && e.column == d.column && e.severity == to_string(d.severity) && e.code == d.code &&
         contains_all(d.message, e.message) && contains_all(d.help, e.help);
}

// Compares one fixed-text sibling with what `fix` produces; `wanted` says whether it must exist.
void check_fixed(const fs::path& sibling, bool wanted, const std::string& input, const FixResult& fixed,
                 const std::string& command, std::vector<std::string>& failures) {
  const std::string name = sibling.filename().string();
  const bool exists = fs::exists(sibling);
  if (!wanted) {
    if (exists) failures.push_back(label(sibling) + ": `" + command + "` changes nothing, so this file must not exist");
    return;
  }
  if (!exists) {
    failures.push_back(label(sibling) + ": missing: the fixture's diagnostics carry a fix; write the text after `" +
                       command + "` there (and read the diff)");
    return;
  }
  if (fixed.text == input) failures.push_back(label(sibling) + ": `" + command + "` offers a fix but changes nothing");
  const std::string expected = slurp(sibling);
  if (expected != fixed.text)
    failures.push_back(label(sibling) + ": differs from `" + command + "` (- expected, + got):\n" +
                       unified_diff(expected, fixed.text, name, "fix output"));
  if (!fixed.converged) failures.push_back(label(sibling) + ": `" + command + "` did not converge");
}

}  // namespace

std::vector<Expectation> parse_inline(const std::string& text, const std::string& file,
                                      std::vector<std::string>& errors) {
  std::vector<Expectation> out;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string where = file + ":" + std::to_string(n);
    // The first `#` followed by the word expect starts the expectation comment.
    std::size_t i = std::string::npos;
    for (std::size_t h = line.find('#'); h != std::string::npos; h = line.find('#', h + 1)) {
      std::size_t j = h + 1;
      skip_space(line, j);
      if (line.compare(j, 6, "expect") == 0) {
        i = j + 6;
        break;
      }
    }
    if (i == std::string::npos) continue;
    int at = n;
    if (line.compare(i, 6, "-file:") == 0) {
      at = 0, i += 6;
    } else if (line.compare(i, 1, ":") == 0) {
      i += 1;
    } else if (line.compare(i, 1, "@") == 0) {
      ++i;
      const int sign = i < line.size() && (line[i] == '+' || line[i] == '-') ? (line[i++] == '+' ? 1 : -1) : 0;
      int k = 0;
      if (!number(line, i, k) || line.compare(i, 1, ":") != 0 || (sign == 0 && k == 0)) {
        errors.push_back(where + ": malformed 'expect@LINE:' (want @12, @+1 or @-1 and a colon)");
        continue;
      }
      ++i;
      at = sign == 0 ? k : n + sign * k;
      if (at < 1) {
        errors.push_back(where + ": 'expect@' points before line 1");
        continue;
      }
    } else {
      errors.push_back(where + ": unknown keyword (want '# expect:', '# expect-file:' or '# expect@LINE:')");
      continue;
    }
    parse_list(line.substr(i), at, at != 0, where, out, errors);
  }
  return out;
}

std::vector<Expectation> parse_sidecar(const std::string& text, const std::string& file,
                                       std::vector<std::string>& errors) {
  std::vector<Expectation> out;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::size_t i = 0;
    skip_space(line, i);
    if (i >= line.size() || line[i] == '#') continue;
    const std::string where = file + ":" + std::to_string(n);
    int at = 0, column = 0;
    if (!number(line, i, at) || line.compare(i, 1, ":") != 0 || !number(line, ++i, column) ||
        line.compare(i, 1, ":") != 0) {
      errors.push_back(where + ": malformed line '" + line + "' (want 'LINE:COL: SEVERITY LI### \"substring\"...')");
      continue;
    }
    if (at == 0 && column != 0) {
      errors.push_back(where + ": a whole-file expectation (line 0) has column 0");
      continue;
    }
    std::vector<Expectation> items;
    parse_list(line.substr(i + 1), at, false, where, items, errors);
    for (auto& e : items) e.line = at, e.column = column, out.push_back(std::move(e));
  }
  return out;
}

std::string describe(const Expectation& e) {
  std::string s = std::to_string(e.line) + ":" + std::to_string(e.column) + " " + e.severity + " " + e.code;
  for (const auto& m : e.message) s += " " + quote(m);
  for (const auto& h : e.help) s += " help " + quote(h);
  return s + "   (" + e.where + ")";
}

std::string describe(const Diagnostic& d) {
  std::string s = std::to_string(d.line) + ":" + std::to_string(d.column) + " " + std::string(to_string(d.severity)) +
                  " " + d.code + ": " + d.message;
  if (!d.help.empty()) s += "\n      help: " + d.help;
  return s;
}

std::string match(const std::vector<Expectation>& expected, const std::vector<Diagnostic>& actual) {
  // Bipartite matching (augmenting paths): substrings may let one expectation fit several
  // diagnostics, and a greedy pairing could then fail where a full one exists.
  std::vector<int> owner(actual.size(), -1);  // diagnostic -> expectation
  std::vector<bool> seen;
  std::function<bool(std::size_t)> assign = [&](std::size_t e) {
    for (std::size_t d = 0; d < actual.size(); ++d) {
      if (seen[d] || !matches(expected[e], actual[d])) continue;
      seen[d] = true;
      if (owner[d] < 0 || assign(static_cast<std::size_t>(owner[d]))) {
        owner[d] = static_cast<int>(e);
        return true;
      }
    }
    return false;
  };
  std::vector<bool> matched(expected.size(), false);
  for (std::size_t e = 0; e < expected.size(); ++e) {
    seen.assign(actual.size(), false);
    matched[e] = assign(e);
  }
  // An augmenting path can move a match, never drop one: recompute from `owner`.
  matched.assign(expected.size(), false);
  for (int o : owner)
    if (o >= 0) matched[static_cast<std::size_t>(o)] = true;

  std::string missing, extra;
  for (std::size_t e = 0; e < expected.size(); ++e)
    if (!matched[e]) missing += "    " + describe(expected[e]) + "\n";
  for (std::size_t d = 0; d < actual.size(); ++d)
    if (owner[d] < 0) extra += "    " + describe(actual[d]) + "\n";
  if (missing.empty() && extra.empty()) return "";
  std::string all;
  for (const auto& d : actual) all += "    " + describe(d) + "\n";
  return "  expected, not reported:\n" + (missing.empty() ? "    (none)\n" : missing) +
         "  reported, not expected:\n" + (extra.empty() ? "    (none)\n" : extra) + "  all diagnostics:\n" +
         (all.empty() ? "    (none)\n" : all);
}

fs::path fixed_path(const fs::path& fixture) {
  return fs::path(fixture).replace_filename(fixture.stem().string() + ".fixed.yaml");
}

fs::path unsafe_fixed_path(const fs::path& fixture) {
  return fs::path(fixture).replace_filename(fixture.stem().string() + ".unsafe-fixed.yaml");
}

bool is_fixed_file(const std::string& filename) {
  auto ends = [&](const std::string& suffix) {
    return filename.size() > suffix.size() && filename.compare(filename.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends(".fixed.yaml") || ends(".unsafe-fixed.yaml");
}

std::vector<std::string> check_fixture(const fs::path& fixture, const Rule& rule, bool bad) {
  std::vector<std::string> failures;
  const std::string rel = label(fixture);
  std::string text, read_error;
  if (!read_config_file(fixture.string(), text, read_error)) return {rel + ": cannot read: " + read_error};

  std::vector<std::string> errors;
  std::vector<Expectation> expected = parse_inline(text, rel, errors);
  const fs::path sidecar = fs::path(fixture).replace_extension(".expect");
  if (fs::exists(sidecar))
    for (auto& e : parse_sidecar(slurp(sidecar), label(sidecar), errors)) expected.push_back(std::move(e));
  for (auto& e : errors) failures.push_back(std::move(e));
  for (const auto& e : expected)
    if (e.code != rule.code)
      failures.push_back(e.where + ": expects " + e.code + ", but only " + rule.code + " runs on this folder's fixtures");
  if (bad && expected.empty() && errors.empty())
    failures.push_back(rel + ": a bad fixture must expect at least one " + rule.code);
  if (!bad && !expected.empty()) failures.push_back(rel + ": a clean fixture must not expect diagnostics");

  CheckOptions options;
  options.select = {rule.code};
  // The real path, so model paths in a fixture resolve from the fixture's own folder.
  const FileResult result = check_text(fixture.string(), text, options);
  const std::string listing = match(expected, result.diagnostics);
  if (!listing.empty())
    failures.push_back(rel + " (" + (bad ? "bad" : "clean") + " fixture, --select " + rule.code + "):\n" + listing);

  bool safe = false, unsafe = false;
  for (const auto& d : result.diagnostics)
    if (d.fix) (d.fix->safety == FixSafety::safe ? safe : unsafe) = true;
  FixOptions fix_options;
  fix_options.check = options;
  const FixResult fixed = fix_text(fixture.string(), text, fix_options);
  fix_options.unsafe = true;
  const FixResult unsafe_fixed = fix_text(fixture.string(), text, fix_options);
  // A later pass may offer a fix the first did not (a fixed value re-checked).
  safe = safe || !fixed.applied.empty();
  for (const auto& a : unsafe_fixed.applied) unsafe = unsafe || a.safety == FixSafety::unsafe;
  const std::string cmd = std::string("planner fix --select ") + rule.code;
  check_fixed(fixed_path(fixture), safe, text, fixed, cmd + " " + fixture.filename().string(), failures);
  check_fixed(unsafe_fixed_path(fixture), unsafe, text, unsafe_fixed,
              cmd + " --unsafe-fixes " + fixture.filename().string(), failures);
  return failures;
}

}  // namespace planner::testing
