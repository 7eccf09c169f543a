#include "cli/host_args.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "cli/machine_args.h"
#include "core/text.h"
#include "estimate/cluster_link.h"
#include "load/scalar_type.h"

namespace planner::cli {

namespace {

constexpr const char* kKeys = "name, ram, arch, chip, gpu, gpus, vram, wired_limit, os_reserve, address";

// The schema's cluster_host patterns: name ^[A-Za-z][A-Za-z0-9_.-]{0,63}$, address
// ^[A-Za-z0-9][A-Za-z0-9.:_-]*$ (at most 253), so nothing init writes fails LI002.
bool name_ok(std::string_view s) {
  if (s.empty() || s.size() > 64 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}
bool address_ok(std::string_view s) {
  if (s.empty() || s.size() > 253 || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '_' || c == '-';
  });
}

// A plain decimal number, typed as the config's own numbers are (YAML 1.2 core,
// load/scalar_type), so what init writes under hardware: reads back as the same value. No sign,
// hex or octal form: every value here is a positive size or count. (Not std::from_chars: the
// WebAssembly build's libc++ has no floating-point from_chars.)
bool number(std::string_view s, double& out) {
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.') ||
      s.find_first_of("xXoO") != std::string_view::npos)
    return false;
  const CoreScalar v = resolve_core_scalar(s);
  if (v.type != ScalarType::integer && v.type != ScalarType::floating) return false;
  out = v.number;
  return std::isfinite(out);
}

}  // namespace

bool host_from_arg(const std::string& arg, InitHost& host, std::string& error) {
  const std::string quoted = "--host '" + shown_value(arg) + "'";
  MachineArgs m;
  int gpus = 1;
  double os_reserve = -1;
  std::vector<std::string> seen;
  std::size_t at = 0;
  while (at <= arg.size()) {
    std::size_t comma = arg.find(',', at);
    if (comma == std::string::npos) comma = arg.size();
    const std::string item = arg.substr(at, comma - at);
    at = comma + 1;
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      error = fmt::format("{}: expected key=value, got '{}' (keys: {})", quoted, shown_value(item), kKeys);
      return false;
    }
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      error = fmt::format("{}: '{}' given twice", quoted, shown_value(key));
      return false;
    }
    seen.push_back(key);
    auto bad_number = [&](const char* what) {
      error = fmt::format("{}: {} expects {}, got '{}'", quoted, key, what, shown_value(value));
      return false;
    };
    double x = 0;
    if (key == "name") {
      if (!name_ok(value))
        return bad_number("a name of letters, digits, '_', '.' or '-', starting with a letter (at most 64)");
      host.name = value;
    } else if (key == "address") {
      if (!address_ok(value)) return bad_number("a host name or IP address (letters, digits, '.', ':', '_', '-')");
      host.address = value;
    } else if (key == "ram") {
      // The ranges of `--ram`, `--vram`, `--wired-limit-gb` (cli/machine_args.cpp).
      if (!number(value, x) || x < 1 || x > 4096) return bad_number("GB as sold, 1 to 4096");
      m.ram = x;
    } else if (key == "vram") {
      if (!number(value, x) || x < 0.5 || x > 4096) return bad_number("one GPU's VRAM in GiB, 0.5 to 4096");
      m.vram = x;
    } else if (key == "wired_limit") {
      if (!number(value, x) || x < 1 || x > 4096) return bad_number("a raised GPU wired limit in GB, 1 to 4096");
      m.wired_limit_gb = x;
    } else if (key == "os_reserve") {
      // hardware.os_reserve_percent's schema range; LI010 judges the value itself.
      if (!number(value, x) || x < 0 || x > 90) return bad_number("a percentage of RAM, 0 to 90");
      os_reserve = x;
    } else if (key == "gpus") {
      if (!number(value, x) || x < 1 || x > 16 || x != std::floor(x)) return bad_number("a GPU count, 1 to 16");
      gpus = static_cast<int>(x);
    } else if (key == "arch") {
      m.arch = value;
    } else if (key == "chip") {
      m.chip = value;
    } else if (key == "gpu") {
      m.gpu = value;
    } else {
      error = fmt::format("{}: unknown key '{}' (keys: {})", quoted, shown_value(key), kKeys);
      return false;
    }
  }
  if (host.name.empty()) {
    error = fmt::format("{}: name= is required", quoted);
    return false;
  }
  // An Apple chip says apple_silicon, as a GPU says linux_nvidia (machine_from_args).
  if (m.arch.empty() && !m.chip.empty() && m.gpu.empty()) m.arch = "apple_silicon";
  static const char* const kArchs[] = {"apple_silicon", "linux_nvidia", "windows_nvidia", "linux_amd", "windows_amd", "cpu"};
  if (!m.arch.empty() && std::find(std::begin(kArchs), std::end(kArchs), m.arch) == std::end(kArchs)) {
    error = fmt::format("{}: arch '{}' is none of {}", quoted, shown_value(m.arch), "apple_silicon, linux_nvidia, "
                        "windows_nvidia, linux_amd, windows_amd, cpu");
    return false;
  }
  if (m.ram <= 0 || (m.arch.empty() && m.gpu.empty())) {
    error = fmt::format("{}: give ram= and chip=, gpu= or arch=", quoted);
    return false;
  }
  if (gpus > 1 && m.gpu.empty()) {
    error = fmt::format("{}: gpus= counts the GPUs named by gpu=", quoted);
    return false;
  }
  std::string why;
  if (!machine_from_args(m, host.machine, why)) {
    // machine_from_args speaks of init's options; here they are this value's keys.
    for (auto [option, key] : {std::pair{"--wired-limit-gb", "wired_limit="}, {"--chip", "chip="}, {"--arch ", "arch="},
                               {"--gpu", "gpu="}, {"--vram", "vram="}, {"--ram", "ram="}})
      for (std::size_t at = why.find(option); at != std::string::npos; at = why.find(option, at))
        why.replace(at, std::string_view(option).size(), key);
    error = fmt::format("{}: {}", quoted, why);
    return false;
  }
  if (gpus > 1) {
    // Several of one card: each GPU apart, as hardware.gpus lists them (llama.cpp splits over them).
    const double each = host.machine.gpu_vram_gib.value_or(0);
    for (int i = 0; i < gpus; ++i)
      host.machine.gpus.push_back({host.machine.chip, each > 0 ? std::optional<double>(each) : std::nullopt});
    if (each > 0) host.machine.gpu_vram_gib = each * gpus;
  }
  if (os_reserve >= 0) host.machine.os_reserve_percent = os_reserve;
  return true;
}

bool hosts_from_args(const std::vector<std::string>& args, std::vector<InitHost>& hosts, std::string& error) {
  for (const auto& a : args) {
    InitHost h;
    if (!host_from_arg(a, h, error)) return false;
    for (const auto& other : hosts)
      if (other.name == h.name) {
        error = fmt::format("--host: two hosts are named '{}'", shown_value(h.name));
        return false;
      }
    hosts.push_back(std::move(h));
  }
  // The schema's cluster.hosts: two to 64.
  if (hosts.size() < 2 || hosts.size() > 64) {
    error = fmt::format("--host: a cluster has 2 to 64 hosts, got {}", hosts.size());
    return false;
  }
  return true;
}

bool link_from_arg(const std::string& arg, std::string& error) {
  if (arg.empty() || find_link(arg)) return true;
  std::vector<std::string> ids;
  for (const auto& l : links()) ids.push_back(l.id);
  error = fmt::format("--link '{}' is none of {}", shown_value(arg), join(ids, ", "));
  return false;
}

bool engine_from_arg(const std::string& arg, std::optional<ClusterEngine>& engine, std::string& error) {
  engine.reset();
  if (arg.empty()) return true;
  engine = parse_engine(arg);
  if (!engine) {
    error = fmt::format("--engine '{}' is none of llama.cpp-rpc, mlx-distributed, exo", shown_value(arg));
    return false;
  }
  if (*engine == ClusterEngine::vllm_ray) {
    // init picks MLX and GGUF models (select/), and the catalog lists no checkpoint to serve.
    error = "--engine vllm-ray serves a safetensors checkpoint, which init does not pick: write that route by hand "
            "(examples/cluster/two-gpu-boxes-vllm.yaml)";
    return false;
  }
  return true;
}

}  // namespace planner::cli
