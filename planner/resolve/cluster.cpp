#include "resolve/cluster.h"

namespace planner {

namespace {

std::optional<Located<std::string>> string_at(const Node* map, const char* key) {
  const Node* n = map ? map->get(key) : nullptr;
  if (!n || !n->is_string()) return std::nullopt;
  return Located<std::string>{n->text, n};
}

}  // namespace

const char* engine_id(ClusterEngine e) {
  switch (e) {
    case ClusterEngine::llama_cpp_rpc: return "llama.cpp-rpc";
    case ClusterEngine::mlx_distributed: return "mlx-distributed";
    case ClusterEngine::exo: return "exo";
    case ClusterEngine::vllm_ray: return "vllm-ray";
  }
  return "";
}

std::optional<ClusterEngine> parse_engine(std::string_view id) {
  for (ClusterEngine e : {ClusterEngine::llama_cpp_rpc, ClusterEngine::mlx_distributed, ClusterEngine::exo,
                          ClusterEngine::vllm_ray})
    if (id == engine_id(e)) return e;
  return std::nullopt;
}

const ClusterRoute* ClusterConfig::route(std::string_view name) const {
  for (const auto& r : routes)
    if (r.route == name) return &r;
  return nullptr;
}

ClusterConfig read_cluster(const Document& doc, const Config& top) {
  ClusterConfig c;
  const Node* root = doc.root.is_map() ? &doc.root : nullptr;
  const Node* n = root ? root->get("cluster") : nullptr;
  if (!n || !n->is_map()) return c;
  c.node = n;
  if (const Node* hosts = n->get("hosts"); hosts && hosts->is_seq()) {
    for (const auto& item : hosts->values) {
      if (!item.is_map()) continue;
      auto name = string_at(&item, "name");
      const Node* hw = item.get("hardware");
      if (!name || !hw || !hw->is_map()) continue;  // the schema stage reported it
      ClusterHost h;
      h.name = name->value;
      h.node = &item;
      h.address = string_at(&item, "address");
      if (const Node* p = item.get("port"); p && p->is_scalar() && p->type == Node::Type::integer &&
                                            p->integer >= 1 && p->integer <= 65535)
        h.port = Located<long long>{p->integer, p};
      read_hardware(hw, h.hardware);
      h.hardware.kv_cache_reserve_percent = top.kv_cache_reserve_percent;
      c.hosts.push_back(std::move(h));
    }
  }
  c.link = string_at(n, "link");
  if (const Node* l = n->get("link_latency_us"); l && l->is_number() && l->number > 0)
    c.link_latency_us = Located<double>{l->number, l};
  if (const Node* routes = n->get("routes"); routes && routes->is_map()) {
    for (std::size_t i = 0; i < routes->keys.size(); ++i) {
      const Node& v = routes->values[i];
      ClusterRoute r;
      r.route = routes->keys[i].text;
      r.key = &routes->keys[i];
      r.node = &v;
      if (v.is_map()) {
        r.engine = string_at(&v, "engine");
        r.mode = string_at(&v, "mode");
        if (const Node* ts = v.get("tensor_split"); ts && ts->is_seq() && !ts->values.empty()) {
          Located<std::vector<double>> p{{}, ts};
          bool ok = true;
          for (const auto& x : ts->values) {
            if (!x.is_number() || x.number < 0) ok = false;
            else p.value.push_back(x.number);
          }
          if (ok) r.tensor_split = std::move(p);
        }
      }
      c.routes.push_back(std::move(r));
    }
  }
  return c;
}

}  // namespace planner
