// vLLM's launch steps (runtime/vllm.cpp names them): the checkpoint with `hf download`, then
// `vllm serve` with the context, memory fraction, cache type, tensor parallelism and batch planner
// sized. Each flag is cited below at the commit its file is stored at in the code index.
#include <fmt/format.h>

#include "core/text.h"
#include "estimate/vllm_memory.h"
#include "launch/names.h"
#include "launch/sources.h"
#include "launch/steps.h"

namespace planner {

using steps::add_tool;
using steps::lit;
using steps::served_path;
using steps::usable_repo;
using steps::words;

namespace {

constexpr const char* kVllmServe =
    "vllm-project/vllm vllm/entrypoints/cli/serve.py@00a5fdd2 (vllm serve [model_tag]); "
    "vllm/engine/arg_utils.py@002f10e0 EngineArgs.add_cli_args (--max-model-len, --dtype, --quantization, "
    "--served-model-name, --tensor-parallel-size, --gpu-memory-utilization, --kv-cache-dtype, --max-num-seqs); "
    "vllm/entrypoints/openai/cli_args.py@00522333 FrontendArgs (--host, --port); GET /health "
    "vllm/entrypoints/serve/instrumentator/health.py@98b137c6";

// --kv-cache-dtype: "auto" is the model's own 16-bit dtype (vllm/config/cache.py@002f10e0:111),
// which planner's f16 / bf16 mean on a vLLM route; fp8* as written (LI018 reports the others).
std::string kv_cache_dtype(const std::string& type) {
  const std::string t = to_lower(type);
  return t.rfind("fp8", 0) == 0 ? t : "auto";
}

}  // namespace

void vllm_launch_steps(LaunchContext& c, RouteLaunch& rl) {
  const ResolvedRoute& r = *c.ra.route;
  const std::string& q = r.quant.hf_quant;
  Word model;
  std::string repo;
  if (r.file) {
    model = lit(served_path(c, r));
  } else {
    // A catalog model's repo holds its released (16-bit) weights; an AWQ / GPTQ checkpoint is
    // another repo, which only a models: entry's hf_repo can name.
    if ((q == "awq" || q == "gptq") && !r.model->user_defined) {
      rl.skipped = fmt::format("no {} checkpoint of {} in the catalog: describe it under models: with its "
                               "hf_repo, or serve quantization: bf16 or fp8",
                               q == "awq" ? "AWQ" : "GPTQ", shown_value(r.model->id));
      return;
    }
    repo = r.model->hf_repo;
    if (!usable_repo(rl, "hf_repo", repo)) return;
    const std::string hf_dir = c.dir + "/hf";
    rl.steps.push_back({StepKind::download, words({"hf", "download", "--local-dir", hf_dir, "--", repo}),
                        fmt::format("the checkpoint {}", repo), launch_source::kHfDownload, "", "", "", ""});
    add_tool(c.plan, "hf");
    model = lit(hf_dir);
  }
  const Serving& sv = r.serving;
  const VllmBatch batch = vllm_batch(*r.rules, sv, r.context);
  const double util = sv.gpu_memory_utilization > 0 ? sv.gpu_memory_utilization : r.rules->defaults.gpu_memory_utilization;
  std::vector<Word> argv = {lit("vllm"), lit("serve"), model};
  if (!repo.empty()) {
    argv.push_back(lit("--served-model-name"));  // the API's model name: the repo, not the local path
    argv.push_back(lit(repo));
  }
  if (q == "fp16") {
    argv.push_back(lit("--dtype"));
    argv.push_back(lit("float16"));
  } else if (q == "fp8") {
    argv.push_back(lit("--quantization"));  // FP8 weights, made at load from a 16-bit checkpoint
    argv.push_back(lit("fp8"));
  }
  const std::string kv = kv_cache_dtype(sv.kv_type_k);
  for (const auto& w : {std::string("--max-model-len"), std::to_string(r.context), std::string("--gpu-memory-utilization"),
                        fmt::format("{:g}", util), std::string("--kv-cache-dtype"), kv,
                        std::string("--tensor-parallel-size"), std::to_string(std::max(1, sv.tensor_parallel)),
                        std::string("--max-num-seqs"), std::to_string(batch.max_num_seqs), std::string("--host"),
                        std::string("127.0.0.1"), std::string("--port"), std::to_string(rl.port)})
    argv.push_back(lit(w));
  std::string fit;
  if (c.ra.memory && c.ra.memory->vllm && c.ra.memory->vllm->gpu_bytes > 0) {
    const VllmCache& v = *c.ra.memory->vllm;
    fit = v.fits ? fmt::format(", {} KV tokens ({:.2f} requests of {} tokens at once)", v.kv_tokens, v.max_concurrency,
                               r.context)
                 : ", which does not fit its KV blocks (LI017)";
  }
  rl.steps.push_back({StepKind::serve, argv,
                      fmt::format("with vLLM: {} tokens a request, {:g} of each GPU, {} KV cache, {} GPU{}, at most {} "
                                  "requests at once{}",
                                  r.context, util, kv, std::max(1, sv.tensor_parallel), sv.tensor_parallel > 1 ? "s" : "",
                                  batch.max_num_seqs, fit),
                      kVllmServe, "", "", "", ""});
  add_tool(c.plan, "vllm");
}

}  // namespace planner
