// Ollama's launch steps (runtime/ollama.cpp names them): a Modelfile (FROM the GGUF or the Ollama
// tag, PARAMETER num_ctx), the server with the settings the config states as its environment,
// then `ollama pull` / `ollama create` / `ollama run NAME ''`, which talk to that server.
#include <fmt/format.h>

#include <cctype>
#include <filesystem>

#include "core/text.h"
#include "launch/names.h"
#include "launch/quote.h"
#include "launch/steps.h"

namespace planner {

using steps::lit;
using steps::served_path;
using steps::words;

namespace {

// Lines are of ollama/ollama@fb30760996.
constexpr const char* kModelfile =
    "ollama/ollama@fb30760996 docs/modelfile.mdx:96-140 (FROM a model:tag, or a GGUF path absolute or relative "
    "to the Modelfile), :142-149 (PARAMETER num_ctx); PARAMETER num_ctx turns the VRAM-tier default off "
    "(server/routes.go:176-185)";
constexpr const char* kServe =
    "ollama/ollama@fb30760996 cmd/cmd.go:2371 (serve); envconfig/config.go:216 (OLLAMA_FLASH_ATTENTION), :222 "
    "(OLLAMA_KV_CACHE_TYPE, every model, K and V: llm/llama_server.go:393-396), :275 (OLLAMA_NUM_PARALLEL), "
    ":177-190 (a boolean as strconv.ParseBool reads it: 1 / 0); "
    "127.0.0.1:11434 unless OLLAMA_HOST (docs/faq.mdx:185); GET / answers 200 (server/routes.go:1877-1878)";
constexpr const char* kPull = "ollama/ollama@fb30760996 cmd/cmd.go:2379 (pull MODEL)";
constexpr const char* kCreate = "ollama/ollama@fb30760996 cmd/cmd.go:2310 (create MODEL), :2323 (-f Modelfile)";
constexpr const char* kRun =
    "ollama/ollama@fb30760996 cmd/cmd.go:2344 (run MODEL [PROMPT]); an empty prompt only loads it "
    "(docs/faq.mdx:283-287)";

constexpr int kOllamaPort = 11434;

// A Modelfile line is read up to its end, and a value with spaces or quotes is parsed, not taken
// as is: planner writes only values made of these characters and skips a route with any other.
bool modelfile_safe(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == ':' || c == '+' || c == '@'))
      return false;
  }
  return true;
}

// The catalog's Ollama tag for the route: the tag its `model:` names, else one of the route's
// quantization.
const Artifact* ollama_tag(const ResolvedRoute& r) {
  for (const auto& t : r.model->ollama)
    if (iequals(t.repo, r.cfg->model.value)) return &t;
  const std::string recipe = to_lower(r.quant.gguf_recipe.empty() ? r.quant.requested : r.quant.gguf_recipe);
  for (const auto& t : r.model->ollama)
    if (!t.quant.empty() && to_lower(t.quant) == recipe) return &t;
  return nullptr;
}

}  // namespace

void ollama_launch_steps(LaunchContext& c, RouteLaunch& rl) {
  const ResolvedRoute& r = *c.ra.route;
  const Config& cfg = c.a.config;
  rl.port = kOllamaPort;
  rl.health_path = "/";
  rl.not_scripted = "Ollama serves every route from its one server; run the commands `planner launch` prints";
  std::string from;
  const Artifact* tag = nullptr;
  if (r.file) {
    // Relative to the Modelfile's directory (docs/modelfile.mdx:132-140), as the path is to the base.
    const std::filesystem::path p(served_path(c, r));
    from = p.is_absolute() ? p.string()
                           : p.lexically_normal().lexically_relative(std::filesystem::path(c.dir).lexically_normal()).string();
  } else if ((tag = ollama_tag(r))) {
    from = tag->repo;
  } else {
    std::vector<std::string> tags;
    for (const auto& t : r.model->ollama) tags.push_back(shown_value(t.repo));
    rl.skipped = fmt::format("no Ollama tag of {} in the catalog{}: name a tag in model:, or a GGUF file",
                             shown_value(r.quant.label),
                             tags.empty() ? std::string() : fmt::format(" (it knows {})", join(tags, ", ")));
    return;
  }
  if (!modelfile_safe(from)) {
    rl.skipped = fmt::format("'{}' cannot be written into a Modelfile as is (only letters, digits and ._-/:+@)",
                             shown_value(from));
    return;
  }
  const std::string modelfile = c.dir + "/Modelfile";
  Step write{StepKind::write, {}, fmt::format("the Modelfile: FROM {}, {} tokens of context", shown_value(from),
                                               r.context),
             kModelfile, modelfile, c.dir, "", "", {}};
  write.lines = {"FROM " + from, fmt::format("PARAMETER num_ctx {}", r.context)};
  rl.steps.push_back(write);

  // The server's environment: only what the config states (Ollama's defaults are the rest).
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::string> set;
  const Serving& sv = r.serving;
  if (r.cfg->parallel) env.emplace_back("OLLAMA_NUM_PARALLEL", std::to_string(sv.slots));
  // One type for K and V (llm/llama_server.go:393-396): a route that sets them apart gets none
  // here, and LI027 says why.
  const bool kv_set = r.cfg->kv_cache_type || cfg.kv_cache_type.node || r.cfg->kv_cache_type_k || r.cfg->kv_cache_type_v;
  if (kv_set && iequals(sv.kv_type_k, sv.kv_type_v))
    env.emplace_back("OLLAMA_KV_CACHE_TYPE", to_lower(sv.kv_type_k));
  if (sv.flash_attention_set)  // on / off; auto is Ollama's own default (llm/llama_server.go:596-611)
    env.emplace_back("OLLAMA_FLASH_ATTENTION", sv.flash_attention ? "1" : "0");
  for (const auto& e : env) set.push_back(e.first);
  std::vector<Word> serve = words({"ollama", "serve"});
  rl.steps.push_back({StepKind::serve, serve,
                      set.empty() ? "the Ollama server (skip it where Ollama runs already); leave it running: the "
                                    "steps below talk to it"
                                  : fmt::format("the Ollama server with {} (the server's environment: set it on the "
                                                "Ollama service instead where one runs); leave it running: the "
                                                "steps below talk to it",
                                                join(set, ", ")),
                      kServe, "", "", "", "", {}, env});
  const std::string name = path_component(r.cfg->name, "route");
  if (tag)
    rl.steps.push_back({StepKind::download, words({"ollama", "pull", tag->repo}),
                        fmt::format("the Ollama library's {}", shown_value(tag->repo)), kPull, "", "", "", "", {}});
  rl.steps.push_back({StepKind::convert, words({"ollama", "create", name, "-f", modelfile}),
                      fmt::format("the model {} from the Modelfile", shown_value(name)), kCreate, "", "", "", "", {}});
  rl.steps.push_back({StepKind::load, words({"ollama", "run", name, ""}),
                      "loads it now (an empty prompt), rather than at the first request", kRun, "", "", "", "", {}});
}

}  // namespace planner
