#include "validate/schema_check.h"

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "core/context_size.h"
#include "core/embedded.h"
#include "core/text.h"
#include "load/source_extent.h"

namespace planner {

namespace {

using json = nlohmann::json;

const json& schema_document() {
  static const json doc = json::parse(embedded::schema_json());
  return doc;
}

// Compiled once per process and kept for it: valijson schemas are not copyable.
const valijson::Schema* compile_schema(const json& root) {
  auto* s = new valijson::Schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter adapter(root);
  parser.populateSchema(adapter, *s);
  return s;
}

const valijson::Schema& compiled_schema() {
  static const valijson::Schema* schema = compile_schema(schema_document());
  return *schema;
}

// Keys and strings are bounded before the validator sees them: std::regex (valijson's 'pattern')
// recurses once per character, and a 30,000-character route name overflowed the stack. Over the
// bound is an error of its own; the validator gets the first bytes, enough for its messages.
constexpr std::size_t kMaxKeyBytes = 256;      // the schema's longest name is 128 (models:)
constexpr std::size_t kMaxStringBytes = 4096;  // the schema's longest string is 4096 (a path)

struct Overlong {
  const Node* node;
  std::vector<std::string> path;
  bool key;
};

json to_json(const Node& n, std::vector<std::string>& path, std::vector<Overlong>& overlong) {
  auto bounded = [&](const Node& s, std::size_t limit, bool key) {
    if (s.text.size() <= limit) return s.text;
    overlong.push_back({&s, path, key});
    return s.text.substr(0, limit);
  };
  switch (n.kind) {
    case Node::Kind::null: return nullptr;
    case Node::Kind::scalar:
      switch (n.type) {
        case Node::Type::boolean: return n.boolean;
        case Node::Type::integer: return n.integer;
        case Node::Type::floating: return n.number;
        case Node::Type::null: return nullptr;
        case Node::Type::string: return bounded(n, kMaxStringBytes, false);
      }
      return n.text;
    case Node::Kind::sequence: {
      json a = json::array();
      for (std::size_t i = 0; i < n.values.size(); ++i) {
        path.push_back(std::to_string(i));
        a.push_back(to_json(n.values[i], path, overlong));
        path.pop_back();
      }
      return a;
    }
    case Node::Kind::mapping: {
      json o = json::object();
      for (std::size_t i = 0; i < n.keys.size(); ++i) {
        const std::string key = bounded(n.keys[i], kMaxKeyBytes, true);
        path.push_back(key);
        o[key] = to_json(n.values[i], path, overlong);
        path.pop_back();
      }
      return o;
    }
  }
  return nullptr;
}

std::string type_name(const Node& n) {
  switch (n.kind) {
    case Node::Kind::null: return "null";
    case Node::Kind::sequence: return "a list";
    case Node::Kind::mapping: return "a mapping";
    case Node::Kind::scalar: break;
  }
  switch (n.type) {
    case Node::Type::boolean: return "a boolean";
    case Node::Type::integer: return "an integer";
    case Node::Type::floating: return "a number";
    case Node::Type::null: return "null";
    case Node::Type::string: return n.plain ? "a string" : "a quoted string";
  }
  return "a value";
}

// A "$ref" inside `root` ("#/definitions/x"), followed to what it names.
const json* resolve_ref(const json& root, const json* s) {
  for (int hops = 0; s && s->is_object() && s->contains("$ref") && hops < 8; ++hops) {
    std::string ref = (*s)["$ref"].get<std::string>();
    const std::string prefix = "#/definitions/";
    if (ref.rfind(prefix, 0) != 0) return nullptr;
    if (!root.contains("definitions")) return nullptr;
    const json& defs = root["definitions"];
    auto it = defs.find(ref.substr(prefix.size()));
    s = it == defs.end() ? nullptr : &*it;
  }
  return s;
}

// The schema that applies to `key` inside object schema `s`.
const json* child_schema(const json& root, const json* s, const std::string& key) {
  s = resolve_ref(root, s);
  if (!s || !s->is_object()) return nullptr;
  if (auto p = s->find("properties"); p != s->end() && p->contains(key)) return resolve_ref(root, &(*p)[key]);
  if (auto a = s->find("additionalProperties"); a != s->end() && a->is_object()) return resolve_ref(root, &*a);
  if (auto i = s->find("items"); i != s->end() && i->is_object()) return resolve_ref(root, &*i);
  return nullptr;
}

std::string dotted(const std::vector<std::string>& path) { return join(path, "."); }

Diagnostic make(const Document& doc, const char* code, const char* name, const Node& at,
                const std::vector<std::string>& path, std::string message) {
  Diagnostic d;
  d.code = code;
  d.name = name;
  d.severity = Severity::error;
  d.file = doc.path;
  d.line = at.line;
  d.column = at.column;
  set_end(d, doc, at);
  d.path = dotted(path);
  d.message = std::move(message);
  return d;
}

// Where a key's name is written, for a rename: the key itself, or inside its quotes ('modle':
// the new name is a schema key, safe in either quote). None for a key reached through a merge
// (its text is the anchor's) or one whose source is not its text (escapes, line breaks).
std::optional<std::size_t> key_text_at(const Document& doc, const Node& key) {
  if (key.alias || !key.is_scalar()) return std::nullopt;
  if (key.verbatim) return key.offset;
  const std::size_t at = key.offset;
  if (at >= doc.text.size() || (doc.text[at] != '"' && doc.text[at] != '\'')) return std::nullopt;
  const std::string quoted = doc.text[at] + key.text + doc.text[at];
  if (doc.text.compare(at, quoted.size(), quoted) != 0) return std::nullopt;
  return at + 1;
}

void unknown_keys(const Document& doc, const json& root, const Node& n, const json* s, std::vector<std::string>& path,
                  std::vector<Diagnostic>& out) {
  s = resolve_ref(root, s);
  if (!s || !s->is_object()) return;
  if (n.is_map()) {
    auto props = s->find("properties");
    auto addl = s->find("additionalProperties");
    bool closed = addl != s->end() && addl->is_boolean() && !addl->get<bool>();
    std::vector<std::string> known;
    if (props != s->end())
      for (auto it = props->begin(); it != props->end(); ++it) known.push_back(it.key());
    for (std::size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& k = n.keys[i].text;
      bool is_known = std::find(known.begin(), known.end(), k) != known.end();
      if (closed && !is_known) {
        std::string where = path.empty() ? "at the top level" : fmt::format("in '{}'", shown_value(dotted(path)));
        path.push_back(k);
        auto d = make(doc, "LI003", "unknown-key", n.keys[i], path, fmt::format("unknown key '{}' {}", shown_value(k), where));
        std::string near = nearest(k, known);
        if (!near.empty()) {
          d.message += fmt::format("; did you mean '{}'?", near);
          d.help = fmt::format("rename '{}' to '{}'", shown_value(k), near);
          // Renaming a misspelt key keeps the author's intent: a safe fix.
          if (auto at = key_text_at(doc, n.keys[i])) d.fix = Fix{d.help, FixSafety::safe, {{*at, *at + k.size(), near}}};
        } else {
          d.help = fmt::format("valid keys here: {}", join(known, ", "));
        }
        out.push_back(std::move(d));
        path.pop_back();
        continue;
      }
      path.push_back(k);
      unknown_keys(doc, root, n.values[i], child_schema(root, s, k), path, out);
      path.pop_back();
    }
  } else if (n.is_seq()) {
    if (auto items = s->find("items"); items != s->end())
      for (std::size_t i = 0; i < n.values.size(); ++i) {
        path.push_back(std::to_string(i));
        unknown_keys(doc, root, n.values[i], &*items, path, out);
        path.pop_back();
      }
  }
}

// valijson reports each failure once per enclosing schema ("Failed to validate against schema
// associated with property name 'hardware'"); only the innermost one says what is wrong.
bool is_wrapper_message(const std::string& d) {
  return d.rfind("Failed to validate", 0) == 0 || d.find("could not be validated using 'properties'") != std::string::npos;
}

// valijson checks a key against propertyNames as if it were a string value: its maxLength and
// pattern failures say nothing of which key. Route names are checked by is_route_name, model
// names by the key bound above.
bool is_property_name_message(const valijson::ValidationResults::Error& err) {
  const bool names = err.context.size() == 2 && (err.context[1] == "routing" || err.context[1] == "models");
  return names && (err.description.find("regex specified by 'pattern'") != std::string::npos ||
                   err.description.find("characters in length") != std::string::npos);
}

// The one word a value pattern allows ("all" for ^all$); empty for any other pattern or none.
std::string pattern_word(const json& s) {
  const auto p = s.find("pattern");
  if (p == s.end() || !p->is_string()) return "";
  const std::string pat = p->get<std::string>();
  if (pat.size() <= 2 || pat.front() != '^' || pat.back() != '$') return "";
  return pat.substr(1, pat.size() - 2);
}

// " 16", " 'x'", " \"x\"": a scalar as written (its quotes shown), after the type's name; "" for others.
std::string shown_scalar(const Node& value) {
  if (!value.is_scalar()) return "";
  const std::string text = shown_value(value.text);
  if (value.plain && value.type != Node::Type::string) return " " + text;
  return value.plain ? " '" + text + "'" : " \"" + text + "\"";
}

std::string explain(const json& root, const Node& value, const json* s, const std::string& fallback) {
  s = resolve_ref(root, s);
  if (!s) return fallback;
  // ["integer", "string"] (gpu_layers, cpu_moe_layers): a value of neither type.
  if (auto t = s->find("type"); t != s->end() && t->is_array()) {
    const bool integer = value.is_scalar() && value.type == Node::Type::integer;
    const std::string only = pattern_word(*s);
    const std::string word = only.empty() ? "a word" : "'" + only + "'";
    const bool with_string = std::find(t->begin(), t->end(), "string") != t->end();
    if (with_string && !integer && !value.is_string())
      return fmt::format("expected a number or {}, got {}{}", word, type_name(value),
                         value.is_scalar() ? " " + shown_value(value.text) : std::string());
    // ["number", "null"] (planner-run.json's figures): a value of neither type.
    const bool is_null = value.is_null() || (value.is_scalar() && value.type == Node::Type::null);
    auto fits = [&](const std::string& want) {
      return (want == "number" && value.is_number()) || (want == "null" && is_null) ||
             (want == "integer" && value.is_scalar() && value.type == Node::Type::integer) ||
             (want == "string" && value.is_string());
    };
    if (!with_string && std::none_of(t->begin(), t->end(), [&](const json& w) { return w.is_string() && fits(w); })) {
      std::vector<std::string> wants;
      for (const auto& w : *t)
        if (w.is_string()) wants.push_back(w == "null" ? "null" : (w == "integer" ? "an " : "a ") + w.get<std::string>());
      return fmt::format("expected {}, got {}{}", join(wants, " or "), type_name(value), is_null ? "" : shown_scalar(value));
    }
  }
  if (auto t = s->find("type"); t != s->end() && t->is_string()) {
    std::string want = t->get<std::string>();
    bool ok = (want == "string" && value.is_string()) || (want == "number" && value.is_number()) ||
              (want == "integer" && value.is_scalar() && value.type == Node::Type::integer) ||
              (want == "object" && value.is_map()) || (want == "array" && value.is_seq()) ||
              (want == "boolean" && value.is_scalar() && value.type == Node::Type::boolean);
    if (!ok) {
      if (want == "object") want = "mapping";
      if (want == "array") want = "list";
      std::string article = want == "integer" ? "an " : "a ";
      return fmt::format("expected {}{}, got {}{}", article, want, type_name(value), shown_scalar(value));
    }
  }
  if (auto e = s->find("enum"); e != s->end() && value.is_scalar()) {
    std::vector<std::string> options;
    for (const auto& v : *e) options.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    if (std::find(options.begin(), options.end(), value.text) == options.end()) {
      std::string msg = fmt::format("'{}' is not one of: {}", shown_value(value.text), join(options, ", "));
      if (auto n = nearest(value.text, options); !n.empty()) msg += fmt::format("; did you mean '{}'?", n);
      return msg;
    }
  }
  // A count or a word (gpu_layers, cpu_moe_layers: an integer or "all", the word as ^word$).
  if (const std::string only = pattern_word(*s); !only.empty() && value.is_string())
    return fmt::format("expected a number or '{}', got '{}'", only, shown_value(value.text));
  auto num = [&](const char* key) -> std::optional<double> {
    if (auto it = s->find(key); it != s->end() && it->is_number()) return it->get<double>();
    return std::nullopt;
  };
  if (value.is_string()) {
    std::size_t chars = 0;  // code points, as JSON Schema counts maxLength
    for (unsigned char c : value.text) chars += (c & 0xC0) != 0x80;
    if (auto m = num("maxLength"); m && static_cast<double>(chars) > *m)
      return fmt::format("a value of {} characters, above the maximum of {}", chars, *m);
  }
  if (value.is_map()) {
    // An entry that must say something ({} in hardware.gpus): name what it may say.
    if (auto m = num("minProperties"); m && static_cast<double>(value.keys.size()) < *m) {
      std::vector<std::string> keys;
      if (auto props = s->find("properties"); props != s->end() && props->is_object())
        for (const auto& [k, v] : props->items()) keys.push_back(k);
      if (!value.keys.empty() || keys.empty())
        return fmt::format("expected at least {} keys, got {}", *m, value.keys.size());
      return fmt::format("an empty entry: give at least one of {}", join(keys, ", "));
    }
  }
  if (value.is_number()) {
    if (auto m = num("minimum"); m && value.number < *m) return fmt::format("{} is below the minimum {}", shown_value(value.text), *m);
    if (auto m = num("exclusiveMinimum"); m && value.number <= *m) return fmt::format("{} must be greater than {}", shown_value(value.text), *m);
    if (auto m = num("maximum"); m && value.number > *m) return fmt::format("{} is above the maximum {}", shown_value(value.text), *m);
  }
  return fallback;
}

// A number written in quotes ("16" where a number is expected): dropping the quotes is safe,
// the value is the one the user wrote. Only when the source span is exactly the quoted digits.
std::optional<Fix> unquote_number_fix(const json& root, const Document& doc, const Node& value, const json* s) {
  s = resolve_ref(root, s);
  if (!s || !value.is_string() || value.plain) return std::nullopt;
  auto t = s->find("type");
  if (t == s->end() || !t->is_string()) return std::nullopt;
  const std::string want = t->get<std::string>();
  if (want != "number" && want != "integer") return std::nullopt;
  Node probe;
  probe.kind = Node::Kind::scalar;
  probe.text = value.text;
  resolve_core_type(probe);
  const bool fits = want == "integer" ? probe.type == Node::Type::integer : probe.is_number();
  if (!fits || value.alias || value.offset >= doc.text.size()) return std::nullopt;
  const char q = doc.text[value.offset];
  const std::string quoted = q + value.text + q;
  if ((q != '"' && q != '\'') || doc.text.compare(value.offset, quoted.size(), quoted) != 0) return std::nullopt;
  return Fix{fmt::format("write {} without quotes", shown_value(value.text)), FixSafety::safe,
             {{value.offset, value.offset + quoted.size(), value.text}}};
}

// What JSON Schema cannot say about a models: entry: a full-attention position at or past the
// pattern's period would never match any layer, and a token cannot use more experts than exist.
void user_model_relations(const Document& doc, std::vector<Diagnostic>& out) {
  const Node* models = doc.root.get("models");
  if (!models || !models->is_map()) return;
  auto int_at = [](const Node* map, const char* key) -> std::optional<long long> {
    const Node* n = map && map->is_map() ? map->get(key) : nullptr;
    if (!n || !n->is_scalar() || n->type != Node::Type::integer) return std::nullopt;
    return n->integer;
  };
  for (std::size_t i = 0; i < models->keys.size(); ++i) {
    const std::string& name = models->keys[i].text;
    const Node& m = models->values[i];
    if (!m.is_map()) continue;
    if (const Node* lp = m.get("layer_pattern"); lp && lp->is_map()) {
      const auto period = int_at(lp, "period");
      const Node* at = lp->get("full_at");
      if (period && *period >= 1 && at && at->is_seq())
        for (std::size_t k = 0; k < at->values.size(); ++k) {
          const Node& v = at->values[k];
          if (v.is_scalar() && v.type == Node::Type::integer && v.integer >= *period) {
            out.push_back(make(doc, "LI002", "schema-violation", v,
                               {"models", name, "layer_pattern", "full_at", std::to_string(k)},
                               fmt::format("models.{}.layer_pattern.full_at: position {} is not below the period {}: "
                                           "positions count from 0 within one period",
                                           shown_value(name), v.integer, *period)));
            break;
          }
        }
    }
    if (const Node* moe = m.get("moe"); moe && moe->is_map()) {
      const auto e = int_at(moe, "experts"), k = int_at(moe, "experts_per_token");
      if (e && k && *k > *e)
        out.push_back(make(doc, "LI002", "schema-violation", *moe->get("experts_per_token"),
                           {"models", name, "moe", "experts_per_token"},
                           fmt::format("models.{}.moe.experts_per_token: {} is more than the {} experts",
                                       shown_value(name), *k, *e)));
    }
  }
}

// validation.prompts names a file the run script opens and logs on one line: a control character
// (a newline, an escape) in it would split that line or act on the terminal, and no file a user
// meant is named so. The schema's `pattern` cannot say it readably, so it is checked here.
void prompts_path_characters(const Document& doc, std::vector<Diagnostic>& out) {
  const Node* validation = doc.root.get("validation");
  const Node* prompts = validation && validation->is_map() ? validation->get("prompts") : nullptr;
  if (!prompts || !prompts->is_string() || !has_control(prompts->text)) return;
  out.push_back(make(doc, "LI002", "schema-violation", *prompts, {"validation", "prompts"},
                     fmt::format("validation.prompts: '{}' holds a control character: the run script opens "
                                 "and logs this file name, which must be one line of text",
                                 shown_value(prompts->text))));
}

}  // namespace

bool within_schema_range(std::string_view object, std::string_view key, double value) {
  struct Range {
    double lo = -HUGE_VAL, hi = HUGE_VAL;
    bool lo_open = false, hi_open = false;
  };
  static std::unordered_map<std::string, Range> cache;  // one lookup per property and process
  std::string where = fmt::format("{}/properties/{}", object, key);
  auto it = cache.find(where);
  if (it == cache.end()) {
    Range r;
    const json::json_pointer ptr(where);
    if (schema_document().contains(ptr)) {
      const json& p = schema_document()[ptr];
      auto get = [&](const char* k, double& out) {
        if (auto f = p.find(k); f != p.end() && f->is_number()) return out = f->get<double>(), true;
        return false;
      };
      get("minimum", r.lo);
      if (get("exclusiveMinimum", r.lo)) r.lo_open = true;
      get("maximum", r.hi);
      if (get("exclusiveMaximum", r.hi)) r.hi_open = true;
    }
    it = cache.emplace(std::move(where), r).first;
  }
  const Range& r = it->second;
  if (!(value == value)) return false;  // NaN
  return (r.lo_open ? value > r.lo : value >= r.lo) && (r.hi_open ? value < r.hi : value <= r.hi);
}

// routing's propertyNames pattern, ^[A-Za-z][A-Za-z0-9_-]*$ with maxLength 64, checked by hand:
// valijson reports a propertyNames failure only as a wrapper message, which names no key.
// (tests/unit/schema_test.cpp holds this function to the schema's own pattern.)
bool is_route_name(std::string_view s) {
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (s.empty() || s.size() > 64 || !letter(s[0])) return false;
  for (char c : s)
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-') return false;
  return true;
}

const Node* node_at(const Node& root, const std::vector<std::string>& path) {
  const Node* n = &root;
  for (const auto& key : path) {
    if (n->is_map()) {
      n = n->get(key);
    } else if (n->is_seq()) {
      std::size_t idx = 0;
      try {
        idx = std::stoul(key);
      } catch (...) {
        return nullptr;
      }
      n = idx < n->values.size() ? &n->values[idx] : nullptr;
    } else {
      return nullptr;
    }
    if (!n) return nullptr;
  }
  return n;
}

namespace {

// What the config and the settings file share: unknown keys, over-long keys and strings, and
// the validator's errors turned into located findings. `extra` adds a schema's own checks
// between the unknown keys and the validator (they share `out`'s order).
std::vector<Diagnostic> check_against(const Document& doc, const json& root, const valijson::Schema& compiled,
                                      const char* empty_message,
                                      const std::function<void(std::vector<Diagnostic>&)>& extra) {
  std::vector<Diagnostic> out;
  if (!doc.root.is_map()) {
    out.push_back(make(doc, "LI002", "schema-violation", doc.root, {},
                       doc.root.is_null() ? empty_message
                                          : fmt::format("the top level must be a mapping, got {}", type_name(doc.root))));
    out.back().line = std::max(out.back().line, 1);
    out.back().column = std::max(out.back().column, 1);
    return out;
  }
  std::vector<std::string> path;
  unknown_keys(doc, root, doc.root, &root, path, out);

  std::vector<Overlong> overlong;
  json instance = to_json(doc.root, path, overlong);
  for (const auto& o : overlong) {
    const std::size_t limit = o.key ? kMaxKeyBytes : kMaxStringBytes;
    std::string where = o.path.empty() ? "the top level" : fmt::format("'{}'", shown_value(dotted(o.path)));
    out.push_back(make(doc, "LI002", "schema-violation", *o.node, o.path,
                       o.key ? fmt::format("a key of {} bytes in {}; planner reads keys of up to {} bytes",
                                           o.node->text.size(), where, limit)
                             : fmt::format("{}: a value of {} bytes; planner reads values of up to {} bytes",
                                           shown_value(dotted(o.path)), o.node->text.size(), limit)));
  }
  extra(out);
  // One validator for the process: it caches the std::regex of each 'pattern', and compiling the
  // route-name pattern again cost ~17% of every file in a many-file check (bench/README.md).
  static valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(instance);
  validator.validate(compiled, target, &results);

  valijson::ValidationResults::Error err;
  std::vector<std::pair<std::vector<std::string>, std::string>> errors;
  while (results.popError(err)) {
    if (is_wrapper_message(err.description) || is_property_name_message(err)) continue;
    std::vector<std::string> p;
    for (std::size_t i = 1; i < err.context.size(); ++i) {  // [0] is "<root>"
      const std::string& c = err.context[i];
      p.push_back(c.size() >= 2 && c.front() == '[' && c.back() == ']' ? c.substr(1, c.size() - 2) : c);
    }
    errors.emplace_back(std::move(p), err.description);
  }
  // A misspelt required key is reported once, as the unknown key that names it.
  auto suggested = [&](const std::vector<std::string>& parent, const std::string& key) {
    std::string where = dotted(parent);
    return std::any_of(out.begin(), out.end(), [&](const Diagnostic& d) {
      return d.code == "LI003" && d.fix && d.fix->edits.size() == 1 && d.fix->edits[0].text == key &&
             d.path.substr(0, d.path.rfind('.') == std::string::npos ? 0 : d.path.rfind('.')) == where;
    });
  };
  std::vector<std::string> seen;
  for (auto& [p, description] : errors) {
    // "32k" where a context size is expected: rule LI053 (context-shorthand) reports it with the
    // number to write and a safe fix; a second finding here would say less.
    if (!p.empty() && p.back() == "max_context_tokens")
      if (const Node* v = node_at(doc.root, p); v && v->is_string() && context_shorthand(v->text)) continue;
    std::string key = dotted(p) + "\n" + description;
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    const Node* at = node_at(doc.root, p);
    const Node* parent = p.empty() ? nullptr : node_at(doc.root, {p.begin(), p.end() - 1});
    const json* s = &root;
    for (const auto& k : p) s = s ? child_schema(root, s, k) : nullptr;
    std::string message;
    if (description.rfind("Missing required property", 0) == 0) {
      // valijson puts the missing name in the description: "Missing required property 'x'."
      auto q1 = description.find('\'');
      auto q2 = description.rfind('\'');
      std::string missing = q1 != std::string::npos && q2 > q1 ? description.substr(q1 + 1, q2 - q1 - 1) : "?";
      if (suggested(p, missing)) continue;
      message = p.empty() ? fmt::format("missing required key '{}'", missing)
                          : fmt::format("missing required key '{}' in '{}'", missing, shown_value(dotted(p)));
    } else if (at) {
      message = fmt::format("{}: {}", shown_value(dotted(p)), explain(root, *at, s, description));
    } else {
      message = fmt::format("{}: {}", shown_value(dotted(p)), description);
    }
    // Two failures that read the same (a boolean against a string enum fails 'type' and 'enum'):
    // one finding.
    std::string shown = dotted(p) + "\n" + message;
    if (std::find(seen.begin(), seen.end(), shown) != seen.end()) continue;
    seen.push_back(std::move(shown));
    const Node* loc = p.empty() ? &doc.root : (at ? at : parent ? parent : &doc.root);
    // Point a bad value at the value, but a route/section with problems at its key.
    if (at && parent && parent->is_map() && (at->is_map() || at->is_null())) {
      if (const Node* k = parent->key_node(p.back())) loc = k;
    }
    out.push_back(make(doc, "LI002", "schema-violation", *loc, p, std::move(message)));
    if (at) out.back().fix = unquote_number_fix(root, doc, *at, s);
  }
  return out;
}

}  // namespace

std::vector<Diagnostic> check_schema(const Document& doc) {
  return check_against(doc, schema_document(), compiled_schema(),
                       "the file is empty: a config needs hardware, inference and routing",
                       [&](std::vector<Diagnostic>& out) {
                         if (const Node* routing = doc.root.get("routing"); routing && routing->is_map())
                           for (const auto& key : routing->keys)
                             if (key.text.size() <= kMaxKeyBytes && !is_route_name(key.text))
                               out.push_back(make(doc, "LI002", "schema-violation", key, {"routing", key.text},
                                                  fmt::format("route name '{}' is not valid: a letter, then letters, "
                                                              "digits, '_' or '-', at most 64 characters",
                                                              shown_value(key.text))));
                         user_model_relations(doc, out);
                         prompts_path_characters(doc, out);
                       });
}

std::vector<Diagnostic> check_settings_schema(const Document& doc) {
  static const json root = json::parse(embedded::settings_schema_json());
  static const valijson::Schema* compiled = compile_schema(root);
  return check_against(doc, root, *compiled, "the file is empty: give at least one setting", [](auto&) {});
}

std::vector<Diagnostic> check_run_report_schema(const Document& doc) {
  static const json root = json::parse(embedded::run_report_schema_json());
  static const valijson::Schema* compiled = compile_schema(root);
  return check_against(doc, root, *compiled, "the file is empty: a run report is a JSON object", [](auto&) {});
}

}  // namespace planner
