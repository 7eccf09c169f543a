#include "rules/cluster_common.h"

#include <fmt/format.h>

#include "core/text.h"
#include "rules/rule.h"

namespace planner {

std::string cluster_engine_label(const ClusterPlan& p) {
  switch (p.engine) {
    case ClusterEngine::llama_cpp_rpc: return "llama.cpp RPC";
    case ClusterEngine::mlx_distributed:
      return p.mode == ClusterMode::pipeline ? "mlx-lm's pipeline" : "mlx-lm's tensor parallelism";
    case ClusterEngine::exo: return "exo";
    case ClusterEngine::vllm_ray: return "vLLM on Ray";
  }
  return "";
}

std::string host_share_label(const ClusterHostLoad& h) {
  std::string s;
  if (h.parts > 1) s = fmt::format("1/{} of layers {}-{}", h.parts, h.first_layer, h.first_layer + h.layers - 1);
  else if (h.layers == 0) s = "no layer";
  else if (h.layers == 1) s = fmt::format("layer {}", h.first_layer);
  else s = fmt::format("layers {}-{}", h.first_layer, h.first_layer + h.layers - 1);
  if (h.output) s += h.embeddings ? ", the embeddings and the output" : " and the output";
  else if (h.embeddings) s += " and the embeddings";
  return s;
}

const Node* cluster_route_node(const Analysis& a, const ClusterPlan& p) {
  if (p.config) {
    if (p.config->engine) return p.config->engine->node;
    if (p.config->key) return p.config->key;
  }
  return a.cluster.node;
}

std::string cluster_route_path(const ClusterPlan& p) {
  if (p.config) return fmt::format("cluster.routes.{}{}", p.config->route, p.config->engine ? ".engine" : "");
  return "cluster";
}

}  // namespace planner

namespace planner {
std::string bytes_label(double bytes) {
  if (bytes < 1024.0 * 1024.0) return fmt::format("{:.1f} KiB", bytes / 1024.0);
  return fmt::format("{:.2f} MiB", bytes / (1024.0 * 1024.0));
}
}  // namespace planner
