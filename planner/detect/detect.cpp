#include "detect/detect.h"

#include <fmt/format.h>

#include "detect/meminfo.h"
#include "detect/sysctl.h"

namespace planner::detect {

unsigned long long Detection::total_vram_mib() const {
  unsigned long long sum = 0;
  for (const auto& g : gpus) sum += g.total_mib.value_or(0);
  return sum;
}

std::optional<double> Detection::wired_limit_bytes() const {
  if (wired_limit_mb && *wired_limit_mb > 0) return static_cast<double>(*wired_limit_mb) * 1024.0 * 1024.0;
  return default_wired_limit_bytes;
}

namespace {

// Reads one source; returns its text when present and usable, records why not otherwise.
std::optional<std::string> take(const Reader& read, const char* file, Detection& d) {
  Collected c = read(source(file));
  if (!c.present) return std::nullopt;
  if (!c.problem.empty()) {
    d.errors.push_back(c.problem);
    return std::nullopt;
  }
  d.sources.push_back(file);
  return std::move(c.text);
}

template <typename T>
std::optional<T> use(Parsed<T> p, Detection& d) {
  if (!p) d.errors.push_back(p.error);
  return std::move(p.value);
}

void detect_linux(const Reader& read, const std::string& meminfo, const HardwareTables& hw, Detection& d) {
  d.os = "linux";
  if (auto m = use(parse_meminfo(meminfo), d)) {
    d.ram_bytes = m->total_bytes;
    d.available_bytes = m->available_bytes;
  }
  if (auto smi = take(read, "nvidia-smi", d))
    if (auto gpus = use(parse_nvidia_smi(*smi), d)) d.gpus = std::move(*gpus);
  d.architecture = d.gpus.empty() ? "cpu" : "linux_nvidia";
  // nvidia-smi prints one name for every VRAM size of a card ("NVIDIA GeForce RTX 3060"):
  // memory.total tells them apart.
  if (!d.gpus.empty()) {
    const auto& g = d.gpus.front();
    std::optional<double> vram;
    if (g.total_mib) vram = static_cast<double>(*g.total_mib) / 1024.0;
    if (ChipMatch m = hw.match(g.name, std::nullopt, vram); m.status == ChipMatch::Status::known) d.chip = m.chip;
  }
}

void detect_macos(const Reader& read, const std::string& memsize, const HardwareTables& hw, Detection& d) {
  d.os = "macos";
  if (auto n = use(parse_hw_memsize(memsize), d)) d.ram_bytes = *n;
  if (auto b = take(read, "sysctl-machdep.cpu.brand_string", d))
    if (auto brand = use(parse_brand_string(*b), d)) d.brand = *brand;
  // Apple silicon brands read "Apple M<n>..."; Intel Macs run neither MLX nor Metal-sized models.
  d.architecture = d.brand.rfind("Apple ", 0) == 0 ? "apple_silicon" : "cpu";
  // The brand string has no GPU cores ("Apple M4 Max"); the RAM tells the variants apart.
  if (d.architecture == "apple_silicon") {
    std::optional<double> ram;
    if (d.ram_bytes > 0) ram = d.ram_gib();
    // A RAM the table does not list for the chip keeps the entry assumed: the machine is real,
    // the table may be short of a size (LI061 says so on the config init writes).
    d.chip = hw.match(d.brand, ram).chip;
  }
  if (auto w = take(read, "sysctl-iogpu.wired_limit_mb", d)) d.wired_limit_mb = use(parse_wired_limit_mb(*w), d);
  if (d.architecture == "apple_silicon" && d.ram_bytes > 0)
    d.default_wired_limit_bytes = hw.default_wired_limit_bytes(d.ram_gib(), 0, &d.default_wired_limit_basis);
  if (auto v = take(read, "vm_stat", d)) {
    d.vm = use(parse_vm_stat(*v), d);
    // What tools commonly call available (hardware.md s6, reported): pages the system can hand
    // out without swapping; the compressor may free more.
    if (d.vm) d.available_bytes = d.vm->bytes(d.vm->free + d.vm->inactive + d.vm->speculative);
  }
}

}  // namespace

Detection detect_hardware(const Reader& read, const HardwareTables& hw) {
  Detection d;
  // /proc/meminfo decides Linux; otherwise macOS's sysctl. (Linux's own sysctl knows no hw.memsize.)
  if (auto meminfo = take(read, "proc-meminfo", d)) detect_linux(read, *meminfo, hw, d);
  else if (auto memsize = take(read, "sysctl-hw.memsize", d)) detect_macos(read, *memsize, hw, d);
  return d;
}

}  // namespace planner::detect
