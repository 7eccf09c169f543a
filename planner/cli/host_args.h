#pragma once
// `planner init --host name=studio1,ram=64,chip=M2 Ultra --host ...`: the machines of a cluster as
// key=value lists, each validated as `--ram/--arch/--chip/--gpu` are (cli/machine_args), and
// `--link`/`--engine` against the values the schema's cluster section takes.
#include <optional>
#include <string>
#include <vector>

#include "resolve/cluster.h"
#include "select/init_config.h"

namespace planner::cli {

// One --host value as a cluster host; false with `error` set (one line, the value quoted).
bool host_from_arg(const std::string& arg, InitHost& host, std::string& error);

// Every --host value, then the checks across them (two or more, names unique); false with `error`.
bool hosts_from_args(const std::vector<std::string>& args, std::vector<InitHost>& hosts, std::string& error);

// --link: a cluster.link value (estimate/cluster_link's table, the schema's enum); "" passes.
bool link_from_arg(const std::string& arg, std::string& error);

// --engine: a cluster.routes.R.engine value init can write; nullopt for "" (the format's engine).
bool engine_from_arg(const std::string& arg, std::optional<ClusterEngine>& engine, std::string& error);

}  // namespace planner::cli
