#include "embed/yaml_json.h"

#include <stdexcept>

#include "load/scalar_type.h"

namespace planner {

nlohmann::ordered_json yaml_as_json(const YAML::Node& n, const std::string& where, const std::set<std::string>& dropped) {
  using json = nlohmann::ordered_json;
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nullptr;
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (std::size_t i = 0; i < n.size(); ++i) a.push_back(yaml_as_json(n[i], where + "[" + std::to_string(i) + "]", dropped));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) {
        std::string key = kv.first.as<std::string>();
        if (o.contains(key)) throw std::runtime_error("duplicate key '" + key + "' in " + where);
        if (dropped.count(key)) {
          o[key] = nullptr;  // keeps the duplicate check; erased below
          continue;
        }
        o[key] = yaml_as_json(kv.second, where + "." + key, dropped);
      }
      for (const auto& key : dropped) o.erase(key);
      return o;
    }
    case YAML::NodeType::Scalar: {
      if (n.Tag() != "?") return n.Scalar();  // quoted: a string
      CoreScalar c = resolve_core_scalar(n.Scalar());
      switch (c.type) {
        case ScalarType::null: return nullptr;
        case ScalarType::boolean: return c.boolean;
        case ScalarType::integer: return c.integer;
        case ScalarType::floating: return c.number;
        case ScalarType::string: return n.Scalar();
      }
    }
  }
  return nullptr;
}

}  // namespace planner
