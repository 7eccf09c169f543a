#include "cli/machine_args.h"

#include <fmt/format.h>

#include <cmath>

#include "core/text.h"
#include "resolve/hardware.h"

namespace planner::cli {

void add_machine_options(CLI::App* cmd, MachineArgs& a) {
  cmd->add_option("--ram", a.ram, "RAM in GB as sold (a 16 GB Mac: 16)")->check(CLI::Range(1.0, 4096.0));
  cmd->add_option("--arch", a.arch, "hardware.architecture")
      ->check(CLI::IsMember({"apple_silicon", "linux_nvidia", "windows_nvidia", "linux_amd", "windows_amd", "cpu"}));
  cmd->add_option("--chip", a.chip, "Apple chip as in data/hardware.yaml: 'M3 Pro', 'M4 Max'");
  cmd->add_option("--gpu", a.gpu, "NVIDIA GPU as in data/hardware.yaml: 'RTX 4090' (sets its VRAM)");
  cmd->add_option("--vram", a.vram, "VRAM in GiB (sum over GPUs); overrides --gpu's")->check(CLI::Range(0.5, 4096.0));
  cmd->add_option("--macos", a.macos, "macOS major version (26 has a higher default wired limit)")->check(CLI::Range(11, 99));
  cmd->add_option("--wired-limit-gb", a.wired_limit_gb, "a raised GPU wired limit (iogpu.wired_limit_mb / 1024)")
      ->check(CLI::Range(1.0, 4096.0));
  cmd->add_option("--prefer", a.prefer, "format for every route (default: MLX on Apple silicon where a conversion exists, else GGUF)")
      ->check(CLI::IsMember({"MLX", "GGUF"}));
  cmd->add_option("--context", a.context, "context tokens per route (default 8192, the seed's)")->check(CLI::Range(256LL, 1LL << 22));
  cmd->add_option("--kv-type", a.kv_type, "KV cache type")->check(CLI::IsMember({"f16", "q8_0", "q4_0", "bf16"}));
}

bool machine_from_args(const MachineArgs& a, Machine& m, std::string& error) {
  const HardwareTables& hw = HardwareTables::builtin();
  m.ram_gib = a.ram;
  m.architecture = a.arch;
  if (!a.gpu.empty() && m.architecture.empty()) m.architecture = "linux_nvidia";
  if (m.ram_gib <= 0 || m.architecture.empty()) {
    error = "give the machine: --ram GB --arch ARCH (or --detect)";
    return false;
  }
  if (!a.chip.empty()) {
    const ChipMatch c = hw.match(a.chip, m.ram_gib);
    if (!c.chip || !c.chip->apple) {
      error = fmt::format("unknown Apple chip '{}'; closest: {} (data/hardware.yaml)", shown_value(a.chip),
                          join(c.closest.empty() ? hw.chip_names() : c.closest, ", "));
      return false;
    }
    if (!m.apple()) {
      error = "--chip names an Apple chip: use it with --arch apple_silicon (NVIDIA cards go in --gpu)";
      return false;
    }
    // The written config's RAM picks the variant again, as here; a RAM the chip is not sold
    // with is LI061's warning on that config, not a refusal.
    m.chip = c.chip->name;
  }
  if (!a.gpu.empty()) {
    const ChipMatch g = hw.match(a.gpu, std::nullopt, a.vram > 0 ? std::optional<double>(a.vram) : std::nullopt);
    if (!g.chip || g.chip->apple) {
      error = fmt::format("unknown GPU '{}'; closest: {} (data/hardware.yaml; or give its VRAM with --vram)",
                          shown_value(a.gpu), join(g.closest, ", "));
      return false;
    }
    if (m.apple()) {
      error = "--gpu is for discrete GPUs; Apple silicon takes --chip";
      return false;
    }
    if (g.status == ChipMatch::Status::ambiguous && g.vram_guessed && a.vram <= 0) {
      std::vector<std::string> names;
      for (const ChipInfo* v : g.variants) names.push_back(v->name);
      error = fmt::format("'{}' does not say which VRAM variant: name one ({}) or give --vram", shown_value(a.gpu),
                          join(names, ", "));
      return false;
    }
    m.chip = g.chip->name;
    if (g.chip->vram_gib > 0) m.gpu_vram_gib = g.chip->vram_gib;
  }
  if (a.vram > 0) m.gpu_vram_gib = a.vram;
  if (a.wired_limit_gb > 0) {
    if (!m.apple()) {
      error = "--wired-limit-gb is a macOS setting: use it with --arch apple_silicon";
      return false;
    }
    m.wired_limit_gib = a.wired_limit_gb;
  }
  m.macos_major = a.macos;
  return true;
}

Machine machine_from_detection(const detect::Detection& d) {
  Machine m;
  m.ram_gib = std::round(d.ram_gib() * 100) / 100;
  m.architecture = d.architecture;
  if (d.chip) m.chip = d.chip->name;
  if (d.total_vram_mib() > 0) m.gpu_vram_gib = static_cast<double>(d.total_vram_mib()) / 1024.0;
  if (d.gpus.size() >= 2) {
    // Several GPUs: each one as nvidia-smi reports it, its name matched where data/hardware.yaml
    // knows it (the VRAM tells a card's variants apart), so the checks are per GPU.
    for (const auto& g : d.gpus) {
      MachineGpu mg;
      if (g.total_mib) mg.vram_gib = static_cast<double>(*g.total_mib) / 1024.0;
      if (ChipMatch c = HardwareTables::builtin().match(g.name, std::nullopt, mg.vram_gib);
          c.status == ChipMatch::Status::known)
        mg.chip = c.chip->name;
      if (mg.chip.empty() && !mg.vram_gib) continue;  // neither a known name nor a VRAM: nothing to check
      m.gpus.push_back(std::move(mg));
    }
    if (m.gpus.size() < 2) m.gpus.clear();
  }
  if (d.wired_limit_mb && *d.wired_limit_mb > 0) m.wired_limit_gib = static_cast<double>(*d.wired_limit_mb) / 1024.0;
  return m;
}

bool options_from_args(const MachineArgs& a, const Machine& m, SelectOptions& o, std::string& error) {
  o.context = a.context;
  o.kv_type = a.kv_type;
  if (a.prefer == "MLX") {
    if (!m.apple()) {
      error = "--prefer MLX needs --arch apple_silicon: mlx-lm runs on Metal only";
      return false;
    }
    o.format = Format::mlx;
  } else if (a.prefer == "GGUF") {
    o.format = Format::gguf;
  }
  return true;
}

}  // namespace planner::cli
