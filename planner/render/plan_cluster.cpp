#include "render/plan_cluster.h"

#include <fmt/format.h>

#include "core/text.h"
#include "estimate/cluster_link.h"
#include "render/markup.h"

namespace planner {

namespace {

using Json = nlohmann::ordered_json;

const char* engine_name(const ClusterPlan& p) {
  if (p.engine == ClusterEngine::mlx_distributed)
    return p.mode == ClusterMode::pipeline ? "mlx-distributed (pipeline)" : "mlx-distributed (tensor)";
  return engine_id(p.engine);
}

}  // namespace

std::string cluster_host_holds(const ClusterHostLoad& h) {
  std::string s = h.parts > 1 ? fmt::format("1/{} of layers {}-{}", h.parts, h.first_layer, h.first_layer + h.layers - 1)
                  : h.layers == 0 ? std::string("no layer")
                                  : fmt::format("layers {}-{} ({})", h.first_layer, h.first_layer + h.layers - 1, h.layers);
  if (h.embeddings) s += ", embeddings";
  if (h.output) s += ", output";
  return s;
}

void render_cluster_text(std::ostream& out, const Analysis& a) {
  if (a.cluster_plans.empty()) return;
  out << "\ncluster: " << a.cluster.hosts.size() << " hosts";
  if (a.cluster.link) {
    const LinkInfo* l = find_link(a.cluster.link->value);
    out << ", " << shown_value(a.cluster.link->value);
    if (l) out << fmt::format(" ({:g} Gb/s)", l->gbit_per_s);
  }
  out << '\n';
  for (const auto& p : a.cluster_plans) {
    out << fmt::format("  {}: {}{}, {:.2f} GiB on one machine\n", shown_value(p.route->cfg->name), engine_name(p),
                       p.engine_picked ? " (picked by format)" : "", p.single_host_bytes / kGiB);
    for (const auto& why : p.cannot) out << "    cannot: " << why << '\n';
    if (p.engine == ClusterEngine::vllm_ray && p.tensor_split.size() == 2)
      out << fmt::format("    --tensor-parallel-size {:g} --pipeline-parallel-size {:g}\n", p.tensor_split[0],
                         p.tensor_split[1]);
    if (!p.devices.empty() && p.engine == ClusterEngine::llama_cpp_rpc) {
      std::vector<std::string> ts;
      for (double x : p.tensor_split) ts.push_back(fmt::format("{:g}", x));
      out << fmt::format("    devices (llama.cpp's order): {}; -ts {}\n", join(p.devices, ", "), join(ts, ","));
    }
    for (const auto& h : p.hosts) {
      out << fmt::format("    {}: {:.2f} GiB, {}\n", shown_value(h.host->name), h.total() / kGiB, cluster_host_holds(h));
      for (const auto& d : h.devices)
        out << fmt::format("      {:<8} {:8.2f} GiB  weights {:.2f}, KV {:.2f}, state {:.2f}, compute {:.2f}, runtime {:.2f}\n",
                           d.device, d.total() / kGiB, d.weights_bytes / kGiB, d.kv_cache_bytes / kGiB,
                           d.state_bytes / kGiB, d.compute_bytes / kGiB, d.runtime_bytes / kGiB);
      for (const auto& l : host_limits(h))
        out << fmt::format("      {} {:.2f} of {:.2f} GiB: {}\n", l.what, l.bytes / kGiB, l.limit / kGiB,
                           l.over() ? "OVER" : "fits");
    }
    const ClusterSpeed& s = p.speed;
    if (s.known) {
      out << fmt::format("    speed: hosts {:.1f} tokens/s (slowest '{}')", s.host_tokens_per_second,
                         shown_value(s.slowest_host));
      if (s.link_tokens_per_second > 0)
        out << fmt::format(", link {:.1f} tokens/s ({:.1f} KiB and {} transfers per token{})", s.link_tokens_per_second,
                           s.link_bytes_per_token / 1024.0, s.link_messages_per_token,
                           s.latency_counted ? "" : ", latency not counted");
      out << fmt::format(": {:.1f} tokens/s, bound by {}\n", s.tokens_per_second,
                         s.link_bound() ? "the link" : "the hosts");
    } else {
      out << "    speed: not estimated (a host's chip is not known)\n";
    }
  }
}

void render_cluster_markdown(std::ostream& out, const Analysis& a) {
  if (a.cluster_plans.empty()) return;
  std::string link;
  if (a.cluster.link) {
    const LinkInfo* l = find_link(a.cluster.link->value);
    link = ", " + markdown_text(a.cluster.link->value) + (l ? fmt::format(" ({:g} Gb/s)", l->gbit_per_s) : "");
  }
  for (const auto& p : a.cluster_plans) {
    out << fmt::format("\n### Cluster route {}: {} over {} hosts{}\n\n", markdown_text(p.route->cfg->name), engine_name(p),
                       a.cluster.hosts.size(), link);
    out << fmt::format("{:.2f} GiB on one machine.", p.single_host_bytes / kGiB);
    for (const auto& why : p.cannot) out << " Cannot: " << markdown_text(why, 0) << '.';
    out << "\n\n| host | holds | device | weights | KV | state | compute | runtime | total |\n";
    out << "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const auto& h : p.hosts)
      for (std::size_t i = 0; i < h.devices.size(); ++i) {
        const DeviceMemory& d = h.devices[i];
        out << fmt::format("| {} | {} | {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} |\n",
                           i == 0 ? markdown_text(h.host->name) : "", i == 0 ? cluster_host_holds(h) : "", d.device,
                           d.weights_bytes / kGiB, d.kv_cache_bytes / kGiB, d.state_bytes / kGiB, d.compute_bytes / kGiB,
                           d.runtime_bytes / kGiB, d.total() / kGiB);
      }
    out << '\n';
    for (const auto& h : p.hosts)
      for (const auto& l : host_limits(h))
        out << fmt::format("- {}: {} {:.2f} of {:.2f} GiB: {}\n", markdown_text(h.host->name), l.what, l.bytes / kGiB,
                           l.limit / kGiB, l.over() ? "**over**" : "fits");
    const ClusterSpeed& s = p.speed;
    if (s.known)
      out << fmt::format("\nSpeed: {:.1f} tokens/s, bound by {} (hosts {:.1f}, slowest {}{}).\n", s.tokens_per_second,
                         s.link_bound() ? "the link" : "the hosts", s.host_tokens_per_second,
                         markdown_text(s.slowest_host),
                         s.link_tokens_per_second > 0 ? fmt::format("; link {:.1f} tokens/s", s.link_tokens_per_second) : "");
    else
      out << "\nSpeed: not estimated (a host's chip is not known).\n";
  }
}

Json cluster_json(const Analysis& a) {
  Json j;
  j["link"] = a.cluster.link ? Json(a.cluster.link->value) : Json(nullptr);
  const LinkInfo* l = a.cluster.link ? find_link(a.cluster.link->value) : nullptr;
  j["link_gbit_per_s"] = l ? Json(l->gbit_per_s) : Json(nullptr);
  Json hosts = Json::array();
  for (const auto& h : a.cluster.hosts) hosts.push_back(h.name);
  j["hosts"] = hosts;
  Json routes = Json::array();
  for (const auto& p : a.cluster_plans) {
    Json r;
    r["route"] = p.route->cfg->name;
    r["engine"] = engine_id(p.engine);
    r["mode"] = p.mode == ClusterMode::pipeline ? "pipeline" : "tensor";
    r["engine_picked"] = p.engine_picked;
    r["single_host_bytes"] = static_cast<long long>(p.single_host_bytes);
    r["cannot"] = p.cannot;
    r["devices"] = p.devices;
    r["tensor_split"] = p.tensor_split;
    Json hs = Json::array();
    for (const auto& h : p.hosts) {
      Json hj;
      hj["host"] = h.host->name;
      hj["total_bytes"] = static_cast<long long>(h.total());
      hj["first_layer"] = h.first_layer;
      hj["layers"] = h.layers;
      hj["parts"] = h.parts;
      hj["embeddings"] = h.embeddings;
      hj["output"] = h.output;
      Json ds = Json::array();
      for (const auto& d : h.devices)
        ds.push_back({{"device", d.device},
                      {"weights_bytes", static_cast<long long>(d.weights_bytes)},
                      {"kv_cache_bytes", static_cast<long long>(d.kv_cache_bytes)},
                      {"state_bytes", static_cast<long long>(d.state_bytes)},
                      {"compute_bytes", static_cast<long long>(d.compute_bytes)},
                      {"runtime_bytes", static_cast<long long>(d.runtime_bytes)}});
      hj["devices"] = ds;
      Json ls = Json::array();
      for (const auto& lim : host_limits(h))
        ls.push_back({{"what", lim.what},
                      {"bytes", static_cast<long long>(lim.bytes)},
                      {"limit_bytes", static_cast<long long>(lim.limit)},
                      {"basis", lim.basis},
                      {"fits", !lim.over()}});
      hj["limits"] = ls;
      hs.push_back(hj);
    }
    r["hosts"] = hs;
    const ClusterSpeed& s = p.speed;
    r["speed"] = s.known ? Json{{"host_tokens_per_second", s.host_tokens_per_second},
                                {"slowest_host", s.slowest_host},
                                {"link_bytes_per_token", s.link_bytes_per_token},
                                {"link_messages_per_token", s.link_messages_per_token},
                                {"link_tokens_per_second", s.link_tokens_per_second > 0 ? Json(s.link_tokens_per_second)
                                                                                         : Json(nullptr)},
                                {"latency_counted", s.latency_counted},
                                {"tokens_per_second", s.tokens_per_second},
                                {"bound_by", s.link_bound() ? "link" : "hosts"}}
                         : Json(nullptr);
    routes.push_back(r);
  }
  j["routes"] = routes;
  return j;
}

}  // namespace planner
