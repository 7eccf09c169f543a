// LM Studio's launch steps (runtime/lm_studio.cpp names them): the model into LM Studio (`lms get`
// from Hugging Face, or `lms import` of a file), its server, `lms load --estimate-only` as the
// cross-check users can run against planner's figure, then `lms load` with the route's settings.
#include <fmt/format.h>

#include <filesystem>

#include "core/text.h"
#include "launch/names.h"
#include "launch/quote.h"
#include "launch/steps.h"

namespace planner {

using steps::lit;
using steps::served_path;
using steps::usable_repo;
using steps::words;

namespace {

// Lines are of lmstudio-ai/lms@07b7252d6d.
constexpr const char* kGet =
    "lmstudio-ai/lms@07b7252d6d src/subcommands/get.ts:76-83 (a Hugging Face URL), :84-99 (--mlx, --gguf), "
    ":100-107 (-y: the option preselected for the hardware), :163-199 (https://huggingface.co/owner/repo)";
constexpr const char* kImport =
    "lmstudio-ai/lms@07b7252d6d src/subcommands/importCmd.ts:71 (file path), :75-81 (-y), :104-110 "
    "(--symbolic-link: the file stays where it is)";
constexpr const char* kServer =
    "lmstudio-ai/lms@07b7252d6d src/subcommands/server.ts:69-96 (server start, -p/--port, --bind)";
constexpr const char* kLoad =
    "lmstudio-ai/lms@07b7252d6d src/subcommands/load.ts:120 (KEY, matched fuzzily: :407), :127-133 (--gpu "
    "off|max|0-1: :30-45), :137 (-c/--context-length), :146 (--parallel, since lms 687cf96, 2026-01-29), :239 "
    "(--identifier), :252 (-y)";
constexpr const char* kEstimate =
    "lmstudio-ai/lms@07b7252d6d src/subcommands/load.ts:246 (--estimate-only: reports, loads nothing; since "
    "lms 819f92b, 2025-09-23, PR #333)";

const Artifact* prebuilt(const ResolvedRoute& r) {
  const std::string recipe = to_lower(r.quant.gguf_recipe.empty() ? r.quant.requested : r.quant.gguf_recipe);
  if (r.format == Format::gguf) {
    for (const auto& a : r.model->gguf)
      if ((a.quant.empty() && a.source == "config") || (!a.quant.empty() && to_lower(a.quant) == recipe)) return &a;
  } else {
    for (const auto& a : r.model->mlx)
      if ((a.bits == 0 && a.source == "config") || a.bits == r.quant.mlx_bits) return &a;
  }
  return nullptr;
}

}  // namespace

void lm_studio_launch_steps(LaunchContext& c, RouteLaunch& rl) {
  const ResolvedRoute& r = *c.ra.route;
  const Config& cfg = c.a.config;
  rl.health_path = "/v1/models";
  rl.not_scripted = "LM Studio's server is the app's (lms server start returns at once); run the commands "
                    "`planner launch` prints";
  std::string key;
  if (r.file) {
    const std::string path = served_path(c, r);
    rl.steps.push_back({StepKind::download, words({"lms", "import", "--yes", "--symbolic-link", path}),
                        "the model file into LM Studio's models folder, as a link", kImport, "", "", "", "", {}});
    key = std::filesystem::path(path).stem().string();
  } else if (const Artifact* art = prebuilt(r)) {
    if (!usable_repo(rl, r.format == Format::gguf ? "gguf_repo" : "mlx_repo", art->repo)) return;
    rl.steps.push_back({StepKind::download,
                        words({"lms", "get", "--yes", r.format == Format::gguf ? "--gguf" : "--mlx",
                               "https://huggingface.co/" + art->repo}),
                        fmt::format("{} from Hugging Face (with --yes lms picks the file it prefers for this "
                                    "machine; the route plans {})",
                                    art->repo, shown_value(r.quant.label)),
                        kGet, "", "", "", "", {}});
    key = art->repo.substr(art->repo.find('/') + 1);
  } else {
    rl.skipped = fmt::format("no prebuilt {} {} in the catalog for LM Studio to download: name a file in model:",
                             shown_value(r.quant.label), to_string(r.format));
    return;
  }
  if (key.empty() || key.front() == '-') {
    rl.skipped = fmt::format("'{}' cannot be an lms model key (it would read as an option)", shown_value(key));
    rl.steps.clear();
    return;
  }
  rl.steps.push_back({StepKind::serve,
                      words({"lms", "server", "start", "--port", std::to_string(rl.port), "--bind", "127.0.0.1"}),
                      "LM Studio's server (it runs in the app and the command returns)", kServer, "", "", "", "", {}});
  const bool cpu_only = cfg.architecture && cfg.architecture->value == "cpu";
  std::vector<Word> settings = words({"--context-length", std::to_string(r.context), "--gpu", cpu_only ? "off" : "max"});
  if (r.cfg->parallel) {
    settings.push_back(lit("--parallel"));
    settings.push_back(lit(std::to_string(r.serving.slots)));
  }
  std::vector<Word> estimate = words({"lms", "load", key, "--estimate-only"});
  estimate.insert(estimate.end(), settings.begin(), settings.end());
  estimate.push_back(lit("--yes"));
  rl.steps.push_back({StepKind::check, estimate,
                      fmt::format("LM Studio's own estimate for these settings, to compare with planner's {} "
                                  "(loads nothing)",
                                  rl.total_bytes > 0 ? gib(rl.total_bytes) : std::string("figure")),
                      kEstimate, "", "", "", "", {}});
  std::vector<Word> load = words({"lms", "load", key});
  load.insert(load.end(), settings.begin(), settings.end());
  for (const auto& w : {std::string("--identifier"), path_component(r.cfg->name, "route"), std::string("--yes")})
    load.push_back(lit(w));
  rl.steps.push_back({StepKind::load, load,
                      fmt::format("with {} tokens of context, {}", r.context,
                                  cpu_only ? "on the CPU (--gpu off)" : "every layer on the GPU (--gpu max)"),
                      kLoad, "", "", "", "", {}});
}

}  // namespace planner
