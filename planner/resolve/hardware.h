#pragma once
// Machine facts (data/hardware.yaml, embedded): chips, GPUs, and macOS's default GPU wired limit.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace planner {

struct ChipInfo {
  std::string name;     // "M4 Pro", "RTX 4090"
  int gpu_cores = 0;
  double bandwidth_gbs = 0;
  double vram_gib = 0;  // discrete GPUs
  bool apple = false;  // sources stay in data/hardware.yaml
  // Decode bandwidth efficiency measured on this chip (llama-bench tg128, data/hardware.yaml
  // decode_efficiency): tokens/s x bytes per token / bandwidth, per weight type. 0 = not measured.
  double eta_q4 = 0, eta_q8 = 0, eta_f16 = 0;
};

class HardwareTables {
 public:
  static const HardwareTables& builtin();
  static HardwareTables parse(std::string_view json_text);  // the JSON form of the data file

  // Case-insensitive; accepts "Apple M4 Pro" and "NVIDIA GeForce RTX 4090" spellings.
  const ChipInfo* chip(std::string_view name) const;
  std::vector<std::string> chip_names() const;

  // macOS's default GPU wired limit (recommendedMaxWorkingSetSize) in bytes for `ram_gib` of RAM,
  // under macOS `macos_major` (0 = unknown: the older, lower regime). `basis` says which rule.
  double default_wired_limit_bytes(double ram_gib, int macos_major, std::string* basis) const;
  double mlx_warn_fraction() const { return mlx_warn_fraction_; }
  // The lowest efficiency measured on any chip of the same kind, for chips without their own row.
  double fallback_eta(const ChipInfo& chip) const;

 private:
  std::vector<ChipInfo> chips_;
  double page_ = 16384;
  double a_threshold_gb_ = 36, a_below_ = 2.0 / 3.0, a_above_ = 0.75;
  int a_bump_pages_ = 1;
  int b_min_major_ = 26;
  std::vector<std::pair<double, double>> b_tiers_;  // (ram_gb, p)
  double mlx_warn_fraction_ = 0.9;
  double eta_apple_min_ = 0, eta_ultra_min_ = 0, eta_nvidia_min_ = 0;
};

}  // namespace planner
