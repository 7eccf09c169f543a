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

#include "embed/yaml_json.h"

namespace {

std::set<std::string> dropped;

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
    nlohmann::ordered_json j = planner::yaml_as_json(YAML::LoadFile(argv[1]), argv[1], dropped);
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
