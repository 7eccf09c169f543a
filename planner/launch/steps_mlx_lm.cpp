// mlx-lm's launch steps (runtime/mlx_lm.cpp names them): the prebuilt mlx-community conversion,
// or mlx_lm.convert from the Hugging Face repo, then mlx_lm.server.
#include <cmath>

#include <fmt/format.h>

#include "core/text.h"
#include "launch/names.h"
#include "launch/quote.h"
#include "launch/sources.h"
#include "launch/steps.h"

namespace planner {

using steps::add_tool;
using steps::lit;
using steps::served_path;
using steps::usable_repo;
using steps::words;

namespace {

constexpr const char* kMlxConvert =
    "ml-explore/mlx-lm@d78bf58e21 mlx_lm/convert.py:191 (--hf-path), :197 (--mlx-path, must not exist), :200 (-q, "
    "no value), :203 (--q-group-size), :209 (--q-bits), :229 (--dtype)";
constexpr const char* kMlxServer =
    "ml-explore/mlx-lm@d78bf58e21 mlx_lm/server.py:1723 (--model), :1733 (--host), :1739 (--port), :1847 "
    "(--prompt-cache-bytes, bytes or a decimal M/G size, utils.py:62-71; the kept caches are trimmed to it less the "
    "active ones, server.py:731-734); GET /health server.py:1589-1660";

const Artifact* prebuilt_mlx(const ModelInfo& m, const WeightQuant& q, int default_group) {
  for (const auto& a : m.mlx) {
    // mlx-community's "-4bit" repos come from mlx_lm.convert's defaults: group 64
    // (mlx_lm/utils.py:844-852 @d78bf58e21). A user's own repo (bits 0) is taken as declared.
    if (a.bits == 0 && a.source == "config") return &a;
    if (a.bits == q.mlx_bits && q.mlx_group == default_group) return &a;
  }
  return nullptr;
}

}  // namespace

void mlx_lm_launch_steps(LaunchContext& c, RouteLaunch& rl) {
  const ResolvedRoute& r = *c.ra.route;
  std::string model_dir = c.dir;
  if (r.file) {
    model_dir = served_path(c, r);
  } else if (const Artifact* art = prebuilt_mlx(*r.model, r.quant, c.a.quant->mlx_default_group())) {
    if (!usable_repo(rl, "mlx_repo", art->repo)) return;
    // Options first, then `--`: the repo id is a positional word hf never reads as an option.
    rl.steps.push_back({StepKind::download, words({"hf", "download", "--local-dir", c.dir, "--", art->repo}),
                        fmt::format("the prebuilt MLX conversion {}", art->repo), launch_source::kHfDownload,
                        "", "", "", ""});
    add_tool(c.plan, "hf");
  } else {
    if (!usable_repo(rl, "hf_repo", r.model->hf_repo)) return;
    std::vector<Word> argv = words({"mlx_lm.convert", "--hf-path", r.model->hf_repo, "--mlx-path", c.dir});
    std::string what;
    if (r.quant.mlx_bits >= 16) {
      argv.push_back(lit("--dtype"));
      argv.push_back(lit("float16"));
      what = "float16";
    } else {
      for (auto w : {std::string("-q"), std::string("--q-bits"), std::to_string(r.quant.mlx_bits),
                     std::string("--q-group-size"), std::to_string(r.quant.mlx_group)})
        argv.push_back(lit(w));
      what = fmt::format("{}-bit, group {}", r.quant.mlx_bits, r.quant.mlx_group);
      if (r.quant.mlx_mode != "affine") {  // mlx_lm.convert --q-mode (convert.py:215)
        argv.push_back(lit("--q-mode"));
        argv.push_back(lit(r.quant.mlx_mode));
        what = fmt::format("{}, group {}", r.quant.mlx_mode, r.quant.mlx_group);
      }
    }
    rl.steps.push_back({StepKind::convert, argv,
                        fmt::format("{} to MLX {} (no prebuilt conversion in the catalog; mlx_lm.convert downloads it)",
                                    r.model->hf_repo, what),
                        kMlxConvert, c.dir, "", "", ""});
    add_tool(c.plan, "mlx_lm.convert");
  }
  // The server keeps up to 10 finished conversations' caches with no byte limit unless told
  // (server.py:1841-1850). --prompt-cache-bytes bounds them, but only from mlx-lm v0.31.0
  // (83ff9c96, 2026-02-19) and Homebrew's 0.30.7 rejects it: named, with the figure, not emitted.
  std::string bound;
  if (c.ra.memory && c.ra.memory->kv_bytes > 0)
    bound = fmt::format("; with mlx-lm 0.31.0 or later, add --prompt-cache-bytes {} to keep cached conversations "
                        "within the {:.2f} GiB of KV cache planned",
                        static_cast<long long>(std::ceil(c.ra.memory->kv_bytes)), c.ra.memory->kv_bytes / 1073741824.0);
  rl.steps.push_back({StepKind::serve,
                      words({"mlx_lm.server", "--model", model_dir, "--host", "127.0.0.1", "--port",
                             std::to_string(rl.port)}),
                      fmt::format("with mlx-lm (the context grows on demand: mlx_lm.server has no context flag){}", bound),
                      kMlxServer, "", "", "", ""});
  add_tool(c.plan, "mlx_lm.server");
}

}  // namespace planner
