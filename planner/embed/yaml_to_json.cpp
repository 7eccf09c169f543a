// Build-time tool: converts a data file (data/*.yaml) to minified JSON for embedding. Parsing
// ~90 KiB of commented YAML with yaml-cpp at every start cost ~25 ms; nlohmann reads the JSON
// in well under one. Duplicate keys fail the build, as they would silently shadow data.
//   yaml_to_json IN.yaml OUT.json [KEY,KEY,...]
// Keys listed in the third argument are left out at any depth: citations and notes that the data
// file keeps for readers and that no command reads at run time (they stay in data/*.yaml).
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iostream>
#include <set>
#include <nlohmann/json.hpp>

#include "load/scalar_type.h"

namespace {

using json = nlohmann::ordered_json;

std::set<std::string> dropped;

json convert(const YAML::Node& n, const std::string& where) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nullptr;
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (std::size_t i = 0; i < n.size(); ++i) a.push_back(convert(n[i], where + "[" + std::to_string(i) + "]"));
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
        o[key] = convert(kv.second, where + "." + key);
      }
      for (const auto& key : dropped) o.erase(key);
      return o;
    }
    case YAML::NodeType::Scalar: {
      if (n.Tag() != "?") return n.Scalar();  // quoted: a string
      planner::CoreScalar c = planner::resolve_core_scalar(n.Scalar());
      switch (c.type) {
        case planner::ScalarType::null: return nullptr;
        case planner::ScalarType::boolean: return c.boolean;
        case planner::ScalarType::integer: return c.integer;
        case planner::ScalarType::floating: return c.number;
        case planner::ScalarType::string: return n.Scalar();
      }
    }
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::cerr << "usage: yaml_to_json IN.yaml OUT.json [KEY,KEY,...]\n";
    return 2;
  }
  if (argc == 4) {
    std::string list = argv[3], key;
    for (char c : list + ",") {
      if (c == ',') {
        if (!key.empty()) dropped.insert(key);
        key.clear();
      } else {
        key += c;
      }
    }
  }
  try {
    json j = convert(YAML::LoadFile(argv[1]), argv[1]);
    std::string tmp = std::string(argv[2]) + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary);
      out << j.dump();
      if (!out) throw std::runtime_error("cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), argv[2]) != 0) throw std::runtime_error("cannot rename to " + std::string(argv[2]));
  } catch (const std::exception& e) {
    std::cerr << argv[1] << ": " << e.what() << '\n';
    return 1;
  }
  return 0;
}
