#include "resolve/model_name.h"

#include <cctype>
#include <tuple>
#include <vector>

#include "core/text.h"

namespace planner {

std::string_view to_string(NameForm form) {
  switch (form) {
    case NameForm::catalog: return "catalog name";
    case NameForm::repo_id: return "Hugging Face repo id";
    case NameForm::mlx_conversion: return "MLX conversion";
    case NameForm::gguf_repo: return "GGUF repo";
    case NameForm::ollama_tag: return "Ollama tag";
    case NameForm::gguf_file: return "GGUF file name";
  }
  return "";
}

namespace {

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// A token shaped like a quantization name: llama-quantize's (Q4_K_M, IQ3_XXS, TQ1_0, in any case),
// float types and MXFP4. Stripped from a name even when quant.h does not know it, so that the model
// part stays the model's name.
bool looks_like_quant(std::string_view tok) {
  std::string t = to_lower(tok);
  if (t.rfind("ud-", 0) == 0) t = t.substr(3);  // Unsloth's dynamic quants: UD-Q4_K_XL
  if (t.empty()) return false;
  auto digit_at = [&](std::size_t i) { return t.size() > i && std::isdigit(static_cast<unsigned char>(t[i])); };
  if (t[0] == 'q' && digit_at(1)) return true;
  if ((t.rfind("iq", 0) == 0 || t.rfind("tq", 0) == 0) && digit_at(2)) return true;
  return t == "f16" || t == "f32" || t == "fp16" || t == "fp32" || t == "bf16" || t.rfind("mxfp4", 0) == 0;
}

// The suffixes of MLX repos (mlx-lm's convert writes the repo name; the community's spellings):
// `-4bit`, `-8bit`, `-bf16`, `-mxfp4`, after an optional `-MLX`.
bool mlx_suffix(std::string_view tok) {
  if (parse_mlx_name(tok)) return true;
  const std::string t = to_lower(tok);
  return t == "bf16" || t == "fp16" || t == "mxfp4" || t == "mxfp8" || t == "nvfp4";
}

struct Resolver {
  const Catalog& catalog;
  const QuantTables& qt;

  // The quantization `tok` names for `format`, as quant.h resolves it; "" when it does not.
  std::string quant_of(std::string_view tok, Format format) const {
    if (tok.empty()) return "";
    const WeightQuant w = resolve_quant(qt, tok, format);
    if (!w.known) return "";
    if (format == Format::gguf) return w.mapped ? "" : w.gguf_recipe;
    return to_lower(tok);
  }

  // The catalog model that the model part of a conversion's name designates: an id or alias, the
  // name part of the model's own repo (`Qwen3-8B` of Qwen/Qwen3-8B), or bartowski's `Org_Name`.
  const ModelInfo* base_model(std::string_view x) const {
    if (x.empty()) return nullptr;
    // Quantization-aware trained weights (Google's `gemma-3-12b-it-qat`): the model's own shapes.
    if (ends_with_ci(x, "-qat") && x.size() > 4) return base_model(x.substr(0, x.size() - 4));
    if (auto m = catalog.lookup(x)) return m->model;
    for (const auto& m : catalog.models()) {
      const auto slash = m.hf_repo.find('/');
      if (slash != std::string::npos && iequals(std::string_view(m.hf_repo).substr(slash + 1), x)) return &m;
    }
    if (const auto u = x.find('_'); u != std::string_view::npos && u > 0)
      if (auto m = catalog.lookup(std::string(x.substr(0, u)) + "/" + std::string(x.substr(u + 1)))) return m->model;
    return nullptr;
  }

  static ModelName of(const ModelInfo* m, NameForm form, std::string quant, std::string format, std::string reduced) {
    ModelName out;
    if (m) out.match = CatalogMatch{m, nullptr, format, quant};
    out.form = form;
    out.quant = std::move(quant);
    out.format = std::move(format);
    out.reduced = std::move(reduced);
    return out;
  }

  // A name the catalog holds as it is: an id, an alias, a repo id, a conversion it lists.
  std::optional<ModelName> exact(std::string_view n) const {
    auto m = catalog.lookup(n);
    if (!m) return std::nullopt;
    ModelName out;
    const bool tag = n.find(':') != std::string_view::npos && n.find('/') == std::string_view::npos;
    if (m->artifact)
      out.form = m->format == "mlx" ? NameForm::mlx_conversion : tag ? NameForm::ollama_tag : NameForm::gguf_repo;
    else
      out.form = n.find('/') != std::string_view::npos ? NameForm::repo_id : tag ? NameForm::ollama_tag : NameForm::catalog;
    out.format = m->format;
    out.quant = quant_of(m->quant, m->format == "mlx" ? Format::mlx : Format::gguf);
    out.reduced = std::string(n);
    out.match = std::move(m);
    return out;
  }

  // `Qwen3-14B-Q4_K_M.gguf`, `X-UD-Q4_K_XL-00001-of-00003.gguf`, LM Studio's `org/repo/file.gguf`.
  ModelName gguf_file(std::string_view n) const {
    std::vector<std::string_view> parts;
    for (std::size_t at = 0;;) {
      const auto s = n.find('/', at);
      parts.push_back(n.substr(at, s == std::string_view::npos ? std::string_view::npos : s - at));
      if (s == std::string_view::npos) break;
      at = s + 1;
    }
    if (parts.size() != 1 && parts.size() != 3) return of(nullptr, NameForm::gguf_file, "", "gguf", std::string(n));
    std::string_view stem = parts.back().substr(0, parts.back().size() - 5);  // ".gguf"
    // Split files: llama.cpp's gguf-split names them NAME-00001-of-00003.gguf.
    if (stem.size() > 15) {
      const std::string_view tail = stem.substr(stem.size() - 15);
      if (tail[0] == '-' && all_digits(tail.substr(1, 5)) && tail.substr(6, 4) == "-of-" && all_digits(tail.substr(10)))
        stem.remove_suffix(15);
    }
    std::string quant;
    const auto sep = stem.find_last_of("-.");
    if (sep != std::string_view::npos && sep > 0 && looks_like_quant(stem.substr(sep + 1))) {
      const std::string_view tok = stem.substr(sep + 1);
      stem = stem.substr(0, sep);
      if (ends_with_ci(stem, "-ud") || ends_with_ci(stem, ".ud")) {  // Unsloth's dynamic quants: UD-Q4_K_XL
        quant = quant_of("UD-" + std::string(tok), Format::gguf);
        stem.remove_suffix(3);
      } else {
        quant = quant_of(tok, Format::gguf);
      }
    }
    const ModelInfo* m = nullptr;
    if (parts.size() == 3) {
      const std::string repo = std::string(parts[0]) + "/" + std::string(parts[1]);
      if (const ModelName r = resolve(repo); r.match) m = r.match->model;
    }
    if (!m) m = base_model(stem);
    return of(m, NameForm::gguf_file, quant, "gguf", std::string(stem));
  }

  // `org/name`, maybe with `:QUANT` (llama.cpp's and Ollama's `-hf org/X-GGUF:Q4_K_M`).
  ModelName repo(std::string_view n) const {
    std::string tag_quant;
    if (const auto colon = n.rfind(':'); colon != std::string_view::npos && colon > n.find('/')) {
      const std::string_view tag = n.substr(colon + 1);
      if (tag.empty() || !looks_like_quant(tag)) return of(nullptr, NameForm::gguf_repo, "", "gguf", std::string(n));
      tag_quant = quant_of(tag, Format::gguf);
      n = n.substr(0, colon);
      if (auto e = exact(n)) {
        if (!e->match->artifact) e->form = NameForm::repo_id;
        e->quant = tag_quant;
        e->format = "gguf";
        return *e;
      }
    }
    const auto slash = n.find('/');
    const std::string_view org = n.substr(0, slash);
    std::string_view x = n.substr(slash + 1);
    // mlx-community's distilled quantizations (`Qwen3-14B-4bit-DWQ`, `-4bit-DWQ-053125`): mlx-lm's
    // dwq writes the ordinary affine format at the bits before it, so the name without the suffix.
    if (const std::string lx = to_lower(x); lx.size() > 4) {
      std::size_t end = lx.size();
      while (end > 0 && std::isdigit(static_cast<unsigned char>(lx[end - 1]))) --end;
      if (end < lx.size() && end > 0 && lx[end - 1] == '-') --end;  // a date: -053125
      else end = lx.size();
      if (end > 4 && lx.compare(end - 4, 4, "-dwq") == 0) x = x.substr(0, end - 4);
    }
    if (org.empty() || x.empty() || x.find('/') != std::string_view::npos)
      return of(nullptr, NameForm::repo_id, "", "", std::string(n));
    const auto dash = x.rfind('-');
    const std::string_view last = dash == std::string_view::npos ? x : x.substr(dash + 1);
    const std::string_view before = dash == std::string_view::npos ? std::string_view() : x.substr(0, dash);
    if (iequals(last, "gguf"))
      return of(base_model(before), NameForm::gguf_repo, tag_quant, "gguf", std::string(before));
    if (!before.empty() && (mlx_suffix(last) || iequals(last, "mlx"))) {
      std::string_view model = before;
      bool mlx = iequals(org, "mlx-community") || iequals(last, "mlx") || parse_mlx_name(last).has_value();
      if (ends_with_ci(model, "-mlx")) {
        model.remove_suffix(4);
        mlx = true;
      }
      const std::string q = iequals(last, "mlx") ? "" : quant_of(last, mlx ? Format::mlx : Format::gguf);
      return of(base_model(model), mlx ? NameForm::mlx_conversion : NameForm::repo_id, q, mlx ? "mlx" : "",
                std::string(model));
    }
    // An LM Studio key or a repo id spelt as the catalog's alias (`google/gemma-3-4b`): the org
    // must be the model's own, or it may be someone's fine-tune.
    const ModelInfo* m = base_model(x);
    if (m && !starts_with_ci(m->hf_repo, std::string(org) + "/")) m = nullptr;
    return of(m, NameForm::repo_id, tag_quant, tag_quant.empty() ? "" : "gguf", std::string(x));
  }

  // `qwen3:14b`, `qwen3:latest`, `llama3.1:8b-instruct-q4_K_M`.
  ModelName ollama(std::string_view n) const {
    const auto colon = n.find(':');
    const std::string_view name = n.substr(0, colon);
    std::string_view tag = n.substr(colon + 1);
    if (name.empty() || tag.find(':') != std::string_view::npos)
      return of(nullptr, NameForm::ollama_tag, "", "", std::string(n));
    if (iequals(tag, "latest")) {  // Ollama's default tag: the bare name
      auto e = exact(name);
      const ModelInfo* m = e ? e->match->model : nullptr;
      return of(m, NameForm::ollama_tag, "", "", std::string(name));
    }
    std::string quant;
    if (const auto dash = tag.rfind('-'); dash != std::string_view::npos && looks_like_quant(tag.substr(dash + 1))) {
      quant = quant_of(tag.substr(dash + 1), Format::gguf);
      tag = tag.substr(0, dash);
    }
    // gemma3:12b-it-qat: Google's quantization-aware trained weights, the model's own shapes.
    if (ends_with_ci(tag, "-qat") && tag.size() > 4) tag.remove_suffix(4);
    const ModelInfo* m = nullptr;
    std::string format;  // a tag of the library (not only an alias) is a GGUF file Ollama serves
    std::string reduced = std::string(name) + ":" + std::string(tag);
    if (auto e = exact(reduced)) std::tie(m, format) = std::pair{e->match->model, e->format};
    // The library's instruct models are the plain tags: llama3.1:8b-instruct is llama3.1:8b.
    for (std::string_view word : {"-instruct", "-it", "-chat"}) {
      if (m || !ends_with_ci(tag, word)) continue;
      const std::string plain = std::string(name) + ":" + std::string(tag.substr(0, tag.size() - word.size()));
      if (auto e = exact(plain)) {
        std::tie(m, format) = std::pair{e->match->model, e->format};
        reduced = plain;
      }
    }
    return of(m, NameForm::ollama_tag, quant, format, reduced);
  }

  ModelName resolve(std::string_view n) const {
    if (auto e = exact(n)) return *e;
    for (std::string_view host : {"hf.co/", "huggingface.co/", "https://huggingface.co/"})
      if (starts_with_ci(n, host) && n.size() > host.size()) return resolve(n.substr(host.size()));
    if (ends_with_ci(n, ".gguf") && n.size() > 5) return gguf_file(n);
    if (n.find('/') != std::string_view::npos) return repo(n);
    if (n.find(':') != std::string_view::npos) return ollama(n);
    // A name written as words (`Llama 3.1 8B Instruct`, `Qwen3 8B`): the words joined by dashes,
    // as the repo names spell them; only an exact name of the catalog, never a guess.
    if (n.find(' ') != std::string_view::npos) {
      std::string dashed;
      for (char c : n) {
        if (c != ' ') dashed += c;
        else if (!dashed.empty() && dashed.back() != '-') dashed += '-';
      }
      while (!dashed.empty() && dashed.back() == '-') dashed.pop_back();
      if (auto e = exact(dashed)) {
        e->reduced = std::string(n);
        return *e;
      }
    }
    return of(nullptr, NameForm::catalog, "", "", std::string(n));
  }
};

bool path_like(std::string_view n) {
  return n.rfind("./", 0) == 0 || n.rfind("../", 0) == 0 || n.rfind('/', 0) == 0 || n.rfind("~/", 0) == 0;
}

}  // namespace

ModelName resolve_model_name(const Catalog& catalog, const QuantTables& quant, std::string_view name) {
  // Longer than any repo id (org/name) or file name (255 bytes a path component on Linux and macOS)
  // with a folder or two in front: not a name, and not worth the look-ups.
  constexpr std::size_t kLongestName = 1024;
  if (name.empty() || name.size() > kLongestName || path_like(name)) {
    ModelName out;
    out.reduced = std::string(name);
    return out;
  }
  return Resolver{catalog, quant}.resolve(name);
}

std::string spelling_key(std::string_view name) {
  std::string s = to_lower(name);
  if (const auto slash = s.rfind('/'); slash != std::string::npos) s = s.substr(slash + 1);
  // Tokens: runs of letters, runs of digits (with a decimal point between digits) and the letters
  // that follow them ("8b", "3.5", "a3b" -> "a", "3b"); a letter after a digit stays with it.
  std::vector<std::string> tokens;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) tokens.push_back(cur);
    cur.clear();
  };
  auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.' && !cur.empty() && digit(cur.back()) && i + 1 < s.size() && digit(s[i + 1])) {
      cur += c;
      continue;
    }
    if (!alpha(c) && !digit(c)) {
      flush();
      continue;
    }
    if (digit(c) && !cur.empty() && alpha(cur.back()) && !digit(cur.front())) flush();  // "qwen3" -> "qwen", "3"
    cur += c;
  }
  flush();
  std::vector<std::string> kept;
  for (const auto& t : tokens) {
    if (t == "instruct" || t == "it" || t == "chat" || t == "hf" || t == "meta") continue;
    const bool word = alpha(t.front()) && !kept.empty() && alpha(kept.back().front()) &&
                      !digit(kept.back().back());
    if (word) kept.back() += t;  // "deepseek-coder" and "deepseekcoder" spell one word
    else kept.push_back(t);
  }
  return join(kept, "-");
}

bool spells_model(const ModelInfo& m, std::string_view name) {
  const std::string key = spelling_key(name);
  if (key.empty()) return false;
  if (spelling_key(m.id) == key || (!m.hf_repo.empty() && spelling_key(m.hf_repo) == key)) return true;
  for (const auto& alias : m.aliases)
    if (spelling_key(alias) == key) return true;
  return false;
}

}  // namespace planner
