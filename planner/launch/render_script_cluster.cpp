// `planner script` for a config with cluster routes (docs/cluster.md, "Run scripts"): one script
// for every host, run as `run.sh HOST`. The head runs the config's routes as on one machine, a
// cluster route's commands being the head's of `planner launch`; a worker runs its own
// (ggml-rpc-server, ray start, an exo node), keeps its servers running and stops them on exit.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/text.h"
#include "launch/quote.h"
#include "launch/script_parts.h"

namespace planner {

namespace {

// A worker server's log: the log directory's "ROUTE-TOOL.log" (route keys and tool names are
// file-name safe; the host is the machine the file is on).
std::string worker_log(const LaunchPlan& plan, const std::string& route, const Step& st) {
  return fmt::format("{}/{}-{}.log", plan.log_dir, route, st.argv.empty() ? "server" : st.argv[0].text);
}

std::string start_line(const std::string& name, const std::string& log, const Step& st) {
  std::string s = fmt::format("  start_server {} {}", shell_quote(name), shell_quote(log));
  for (const auto& w : st.argv) s += " " + render_word(w);
  return s + "\n";
}

// `ray start` returns once its daemon runs; the daemon outlives the script, as Ray's clusters do.
std::string detached_line(const Step& st) {
  return fmt::format("  log {}\n  {}\n", shell_quote("running: " + shown_text(render_step(st))), render_step(st));
}

}  // namespace

std::string host_limits_lines(const ClusterHost& host) {
  const Config& hw = host.hardware;
  const long long ram_mib = hw.total_ram_gb ? static_cast<long long>(std::floor(hw.total_ram_gb->value * 1024)) : 0;
  // A split's share of a host is not the one-host route's, so only a limit the hardware sets
  // is checked (raising it is that host's own sysctl: docs/cluster.md).
  const long long wired_mib = hw.apple_silicon() && hw.gpu_wired_limit_gb
                                  ? static_cast<long long>(std::floor(hw.gpu_wired_limit_gb->value * 1024))
                                  : 0;
  return fmt::format("  CONFIG_RAM_MIB={}\n  WIRED_LIMIT_MIB={}\n", ram_mib, wired_mib);
}

const ClusterLaunch* made_cluster_launch(const std::vector<ClusterLaunch>& cluster, const std::string& route) {
  for (const auto& cl : cluster)
    if (cl.route == route && cl.skipped.empty()) return &cl;
  return nullptr;
}

void add_tools(const std::vector<Step>& steps, std::vector<std::string>& tools) {
  for (const auto& st : steps) {
    if (st.argv.empty() || !st.argv[0].env.empty() || !st.argv[0].var.empty()) continue;
    const std::string& t = st.argv[0].text;
    if (t == "sudo" || t == "curl") continue;  // sudo: the wired limit, checked apart; curl: always checked
    if (std::find(tools.begin(), tools.end(), t) == tools.end()) tools.push_back(t);
  }
}

std::string cluster_head_functions(const std::string& n, const RouteLaunch& r, const ClusterLaunch& cl,
                                   const std::string& validation) {
  const HostSteps& head = cl.hosts.back();  // plan_cluster_launch puts the head last
  const std::string name = shown_value(r.name);
  std::string s = fmt::format("prepare_{}() {{\n", n);
  bool any = false;
  for (const auto& st : head.steps) {
    if (st.kind == StepKind::serve || st.kind == StepKind::check) continue;
    any = true;
    s += script_prepare_step(r.name, st);
  }
  if (!any) s += "  : # the model is on disk already\n";
  s += "}\n";
  s += fmt::format("serve_{}() {{\n", n);
  std::size_t last_serve = 0;
  for (std::size_t i = 0; i < head.steps.size(); ++i)
    if (head.steps[i].kind == StepKind::serve) last_serve = i;
  for (std::size_t i = 0; i < head.steps.size(); ++i) {
    const Step& st = head.steps[i];
    if (st.kind != StepKind::serve && st.kind != StepKind::check) continue;
    s += fmt::format("  # {}\n", shown_text(st.purpose));
    if (st.kind == StepKind::check) {
      // A request to the server this host just started (exo's API): waited for, then printed.
      s += fmt::format("  wait_healthy {} {} \"$SERVER_PID\"\n  {}\n", shell_quote(name),
                       shell_quote(st.argv.back().text), render_step(st));
    } else if (st.detaches) {
      s += detached_line(st);
    } else {
      s += start_line(name, r.log, st);
      if (head.serves_route && i == last_serve) {
        s += fmt::format("  wait_healthy {} {} \"$SERVER_PID\"\n", shell_quote(name),
                         shell_quote(fmt::format("http://127.0.0.1:{}{}", r.port, r.health_path)));
        s += validation;
      }
    }
  }
  return s + "}\n";
}

std::string cluster_worker_functions(const ClusterConfig& hosts, const LaunchPlan& plan,
                                     const std::vector<ClusterLaunch>& cluster) {
  std::string s;
  for (std::size_t k = 1; k < hosts.hosts.size(); ++k) {
    const ClusterHost& host = hosts.hosts[k];
    std::vector<const HostSteps*> parts;  // parallel to `routes`
    std::vector<std::string> routes, tools;
    for (const auto& cl : cluster) {
      if (!cl.skipped.empty() || !made_cluster_launch(cluster, cl.route)) continue;
      for (const auto& h : cl.hosts)
        if (h.host == host.name) {
          parts.push_back(&h);
          routes.push_back(cl.route);
          add_tools(h.steps, tools);
        }
    }
    s += fmt::format("\n# host {} ({})\nrun_host_{}() {{\n", shown_value(host.name),
                     parts.empty() ? "nothing to run" : parts.front()->role, k);
    s += host_limits_lines(host) + "  preflight";
    for (const auto& t : tools) s += " " + shell_quote(t);
    s += "\n";
    for (std::size_t p = 0; p < parts.size(); ++p) {
      const std::string name = shown_value(routes[p]);
      s += fmt::format("  # route {}\n", name);
      for (const auto& st : parts[p]->steps) {
        if (st.kind == StepKind::serve || st.kind == StepKind::check) continue;
        s += script_prepare_step(routes[p], st);
      }
      for (const auto& st : parts[p]->steps) {
        if (st.kind != StepKind::serve) continue;
        s += fmt::format("  # {}\n", shown_text(st.purpose));
        if (st.detaches) {
          s += detached_line(st);
        } else {
          s += start_line(name, worker_log(plan, routes[p], st), st);
          s += fmt::format("  still_running {} \"$SERVER_PID\"\n", shell_quote(name));
          s += "  SERVING_PIDS=\"$SERVING_PIDS $SERVER_PID\"\n";
        }
      }
    }
    if (parts.empty()) s += "  log 'no cluster route has commands for this host'\n";
    s += "}\n";
  }
  return s;
}

}  // namespace planner
