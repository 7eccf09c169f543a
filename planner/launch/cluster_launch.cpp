#include "launch/cluster_launch.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "launch/quote.h"

namespace planner {

namespace {

// ggml-rpc-server's default port (tools/rpc/rpc-server.cpp@075f1e0 rpc_server_params: 50052).
constexpr long long kRpcPort = 50052;

// llama.cpp@06258e85 tools/rpc/CMakeLists.txt builds it as ggml-rpc-server (older builds:
// rpc-server); -H host to bind to, -p port (rpc-server.cpp@3e926cbe print_usage).
constexpr const char* kRpcSource =
    "ggml-org/llama.cpp@3e926cbe tools/rpc/rpc-server.cpp (-H, -p); @06258e85 tools/rpc/CMakeLists.txt (ggml-rpc-server)";
constexpr const char* kLlamaRpcSource =
    "ggml-org/llama.cpp@038514c tools/rpc/README.md (--rpc host:port,...; --tensor-split); src/llama.cpp (RPC devices "
    "first)";
constexpr const char* kMlxLaunchSource =
    "ml-explore/mlx@846d176 python/mlx/_distributed_utils/launch.py:474-529 (--hostfile, --backend; the command after "
    "--), docs/src/usage/launching_distributed.rst:141-146 (hostfile); ml-explore/mlx-lm@d78bf58 mlx_lm/server.py:1852 "
    "(--pipeline)";

Word lit(std::string s) { return Word{std::move(s), "", ""}; }

// A command step; the fields of the other kinds (locate, write) stay empty.
Step command(StepKind kind, std::vector<Word> argv, std::string purpose, std::string source) {
  Step s;
  s.kind = kind;
  s.argv = std::move(argv);
  s.purpose = std::move(purpose);
  s.source = std::move(source);
  return s;
}

std::string address_of(const ClusterHost& h) { return h.address ? h.address->value : h.name; }
long long port_of(const ClusterHost& h) { return h.port ? h.port->value : kRpcPort; }

const RouteLaunch* route_launch(const LaunchPlan& plan, const std::string& name) {
  for (const auto& r : plan.routes)
    if (r.name == name) return &r;
  return nullptr;
}

// The head's steps: the single-host ones, the serve command's split flags replaced by the cluster's.
std::vector<Step> head_steps(const RouteLaunch& rl, const std::vector<Word>& extra, const std::string& note) {
  std::vector<Step> out;
  for (Step s : rl.steps) {
    if (s.kind == StepKind::serve) {
      std::vector<Word> argv;
      for (std::size_t i = 0; i < s.argv.size(); ++i) {
        const std::string& t = s.argv[i].text;
        if ((t == "-ts" || t == "-sm" || t == "-mg") && i + 1 < s.argv.size()) {
          ++i;  // the cluster's split replaces the one-host split
          continue;
        }
        argv.push_back(s.argv[i]);
      }
      argv.insert(argv.end(), extra.begin(), extra.end());
      s.argv = std::move(argv);
      s.purpose += note;
      s.source += std::string("; ") + kLlamaRpcSource;
    }
    out.push_back(std::move(s));
  }
  return out;
}

void llama_rpc(ClusterLaunch& cl, const Analysis& a, const ClusterPlan& p, const RouteLaunch& rl) {
  std::vector<std::string> endpoints;
  for (std::size_t i = 1; i < a.cluster.hosts.size(); ++i) {
    const ClusterHost& h = a.cluster.hosts[i];
    HostSteps hs{h.name, "worker", {}};
    // Bound to the address the head reaches it at: rpc-server listens on 127.0.0.1 by default.
    hs.steps.push_back(command(
        StepKind::serve,
        {lit("ggml-rpc-server"), lit("-H"), lit(address_of(h)), lit("-p"), lit(std::to_string(port_of(h)))},
        fmt::format("expose {}'s devices to the head (never on an open network: the RPC protocol has no authentication)",
                    shown_value(h.name)),
        kRpcSource));
    cl.hosts.push_back(std::move(hs));
    endpoints.push_back(fmt::format("{}:{}", address_of(h), port_of(h)));
  }
  std::vector<std::string> ts;
  for (double x : p.tensor_split) ts.push_back(fmt::format("{:g}", x));
  const std::vector<Word> extra = {lit("--rpc"), lit(join(endpoints, ",")), lit("-ts"), lit(join(ts, ","))};
  HostSteps head{a.cluster.hosts[0].name, "head", {}};
  head.serves_route = true;
  head.steps = head_steps(rl, extra,
                          fmt::format("; the layers split {} over {} (remote devices first)", join(ts, ":"),
                                      join(p.devices, ", ")));
  cl.hosts.push_back(std::move(head));
}

void mlx_distributed(ClusterLaunch& cl, const Analysis& a, const ClusterPlan& p, const RouteLaunch& rl) {
  const Step* serve = nullptr;
  for (const auto& s : rl.steps)
    if (s.kind == StepKind::serve) serve = &s;
  if (!serve) {
    cl.skipped = "the route has no mlx_lm.server command";
    return;
  }
  // The hostfile: one {"ssh", "ips"} per host, rank 0 first (launching_distributed.rst:141-146).
  std::vector<std::string> lines = {"["};
  for (std::size_t i = 0; i < a.cluster.hosts.size(); ++i) {
    const ClusterHost& h = a.cluster.hosts[i];
    nlohmann::json e = {{"ssh", h.name}, {"ips", {address_of(h)}}};
    lines.push_back("  " + e.dump() + (i + 1 < a.cluster.hosts.size() ? "," : ""));
  }
  lines.push_back("]");
  const std::string file = fmt::format("cluster/{}-hosts.json", p.route->cfg->name);
  // Every rank loads the model from the same path (mlx_lm.server --model on each host): the
  // head's download and convert steps run on the workers too.
  for (std::size_t i = 1; i < a.cluster.hosts.size(); ++i) {
    HostSteps w{a.cluster.hosts[i].name, "worker", {}};
    for (const auto& s : rl.steps)
      if (s.kind != StepKind::serve) w.steps.push_back(s);
    if (!w.steps.empty()) cl.hosts.push_back(std::move(w));
  }
  HostSteps head{a.cluster.hosts[0].name, "head", {}};
  head.serves_route = true;
  for (const auto& s : rl.steps)
    if (s.kind != StepKind::serve) head.steps.push_back(s);
  Step write = command(StepKind::write, {}, "the hostfile mlx.launch reads: ssh name and IP of each host, rank 0 first",
                       kMlxLaunchSource);
  write.creates = file;
  write.dir = "cluster";
  write.lines = lines;
  head.steps.push_back(write);
  // RDMA over Thunderbolt is MLX's jaccl backend; otherwise the ring backend, mlx.launch's
  // default without CUDA (launch.py:551).
  const bool rdma = a.cluster.link && a.cluster.link->value == "rdma";
  std::vector<Word> argv = {lit("mlx.launch"), lit("--hostfile"), lit(file), lit("--backend"), lit(rdma ? "jaccl" : "ring"),
                            lit("--")};
  argv.insert(argv.end(), serve->argv.begin(), serve->argv.end());
  if (p.mode == ClusterMode::pipeline) argv.push_back(lit("--pipeline"));
  head.steps.push_back(command(StepKind::serve, argv,
                               fmt::format("mlx_lm.server on every host over ssh ({}); the same python and "
                                           "mlx_lm.server path on each",
                                           p.mode == ClusterMode::pipeline
                                               ? "pipeline: the layers split evenly, rank 0 the last"
                                               : "tensor parallelism: every layer split"),
                               kMlxLaunchSource));
  cl.hosts.push_back(std::move(head));
}

// exo places the model itself at run time: planner can only ask for its preview and compare
// memory_delta_by_node with the plan (exo@b5375f8 README.md:355-360, the API on port 52415;
// `uv run exo` on every node, README.md:131).
void exo_preview(ClusterLaunch& cl, const Analysis& a, const RouteLaunch& rl) {
  std::string repo;
  for (const auto& s : rl.steps)
    if (s.kind == StepKind::download && !s.argv.empty()) repo = s.argv.back().text;
  if (repo.empty()) {
    cl.skipped = "the route has no Hugging Face repo to name to exo";
    return;
  }
  const Step node = command(StepKind::serve, {lit("uv"), lit("run"), lit("exo")}, "start an exo node (from exo's checkout)",
                            "exo-explore/exo@b5375f8 README.md:131");
  for (std::size_t i = 1; i < a.cluster.hosts.size(); ++i) cl.hosts.push_back({a.cluster.hosts[i].name, "node", {node}});
  HostSteps head{a.cluster.hosts[0].name, "node", {node}};
  head.steps.push_back(command(StepKind::check,
                               {lit("curl"), lit("http://localhost:52415/instance/previews?model_id=" + repo)},
                               "exo's own placements for the model: compare memory_delta_by_node with planner's "
                               "per-host figures",
                               "exo-explore/exo@b5375f8 README.md:355-360"));
  cl.hosts.push_back(std::move(head));
}

// Ray's `ray start` (python/ray/scripts/scripts.py `start`: --head, --address, --port) on every
// host, then vllm serve on the head with the stage and GPU counts and the Ray executor
// (vllm-project/vllm@840e7972 vllm/config/parallel.py: pipeline_parallel_size,
// tensor_parallel_size, distributed_executor_backend "ray", which must be set by hand).
void vllm_ray(ClusterLaunch& cl, const Analysis& a, const ClusterPlan& p, const RouteLaunch& rl) {
  constexpr const char* kRaySource = "ray-project/ray python/ray/scripts/scripts.py start (--head, --address, --port)";
  const std::string head_addr = address_of(a.cluster.hosts[0]) + ":6379";
  // Each worker loads its stage from the same path: the head's download steps run there too.
  for (std::size_t i = 1; i < a.cluster.hosts.size(); ++i) {
    HostSteps w{a.cluster.hosts[i].name, "worker", {}};
    for (const auto& s : rl.steps)
      if (s.kind != StepKind::serve) w.steps.push_back(s);
    Step join = command(StepKind::serve, {lit("ray"), lit("start"), lit("--address=" + head_addr)},
                        "join the head's Ray cluster", kRaySource);
    join.detaches = true;
    w.steps.push_back(std::move(join));
    cl.hosts.push_back(std::move(w));
  }
  HostSteps head{a.cluster.hosts[0].name, "head", {}};
  head.serves_route = true;
  Step start = command(StepKind::serve, {lit("ray"), lit("start"), lit("--head"), lit("--port"), lit("6379")},
                       "start the Ray cluster's head", kRaySource);
  start.detaches = true;
  head.steps.push_back(std::move(start));
  const std::string tp = fmt::format("{:g}", p.tensor_split.size() == 2 ? p.tensor_split[0] : 1.0);
  const std::string pp = fmt::format("{:g}", p.tensor_split.size() == 2 ? p.tensor_split[1] : 1.0);
  for (Step s : rl.steps) {
    if (s.kind == StepKind::serve) {
      std::vector<Word> argv;
      for (std::size_t i = 0; i < s.argv.size(); ++i) {
        if (s.argv[i].text == "--tensor-parallel-size" && i + 1 < s.argv.size()) {
          ++i;
          continue;
        }
        argv.push_back(s.argv[i]);
      }
      for (const auto& w : {std::string("--tensor-parallel-size"), tp, std::string("--pipeline-parallel-size"), pp,
                            std::string("--distributed-executor-backend"), std::string("ray")})
        argv.push_back(lit(w));
      s.argv = std::move(argv);
      s.purpose += fmt::format("; {} pipeline stages of {} GPUs over Ray", pp, tp);
      s.source += "; vllm-project/vllm@840e7972 vllm/config/parallel.py";
    }
    head.steps.push_back(std::move(s));
  }
  cl.hosts.push_back(std::move(head));
}

// Each Mac its own limit: what its share keeps on the GPU (host_limits' "GPU wired limit" bytes)
// against its own hardware, as plan_launch does for one machine.
void add_wired_limit(HostSteps& hs, const ClusterPlan& p, const HardwareTables& tables) {
  for (const auto& h : p.hosts) {
    if (h.host->name != hs.host) continue;
    double need = 0;
    for (const auto& l : host_limits(h))
      if (l.what == "GPU wired limit") need = l.bytes;
    if (auto step = wired_limit_step(h.host->hardware, need, h.budget.model_budget_bytes, tables,
                                     fmt::format("its share of route '{}' needs", shown_value(p.route->cfg->name))))
      hs.wired_limit = std::move(step->second);
  }
}

}  // namespace

std::vector<ClusterLaunch> plan_cluster_launch(const Analysis& a, const LaunchPlan& plan) {
  std::vector<ClusterLaunch> out;
  for (const auto& p : a.cluster_plans) {
    const RouteLaunch* rl = route_launch(plan, p.route->cfg->name);
    if (!rl) continue;  // --route chose another
    ClusterLaunch cl;
    cl.route = p.route->cfg->name;
    cl.engine = engine_id(p.engine);
    if (!p.cannot.empty()) cl.skipped = "the engine cannot make this split (LI071)";
    else if (!rl->skipped.empty()) cl.skipped = rl->skipped;
    else if (p.engine == ClusterEngine::llama_cpp_rpc) llama_rpc(cl, a, p, *rl);
    else if (p.engine == ClusterEngine::mlx_distributed) mlx_distributed(cl, a, p, *rl);
    else if (p.engine == ClusterEngine::exo) exo_preview(cl, a, *rl);
    else if (p.engine == ClusterEngine::vllm_ray) vllm_ray(cl, a, p, *rl);
    else cl.skipped = "planner does not emit commands for this engine yet (docs/cluster.md)";
    if (a.hardware)
      for (auto& hs : cl.hosts) add_wired_limit(hs, p, *a.hardware);
    out.push_back(std::move(cl));
  }
  return out;
}

void render_cluster_launch_text(std::ostream& out, const std::vector<ClusterLaunch>& launches) {
  for (const auto& cl : launches) {
    out << fmt::format("\n# cluster route '{}' on {}", shown_value(cl.route), shown_value(cl.engine));
    if (!cl.skipped.empty()) {
      out << ": no commands: " << cl.skipped << '\n';
      continue;
    }
    out << ": these replace the one-machine commands above\n";
    for (const auto& h : cl.hosts) {
      out << fmt::format("\n## on {} ({})\n", shown_value(h.host), h.role);
      if (h.wired_limit) out << "# GPU wired limit: " << shown_text(h.wired_limit->purpose) << '\n' << render_step(*h.wired_limit) << '\n';
      for (const auto& s : h.steps) out << "# " << s.purpose << '\n' << render_step(s) << '\n';
    }
  }
}

}  // namespace planner
