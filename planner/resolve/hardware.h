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
  // What tells variants apart (data/hardware.yaml): the GPU bins sold, the RAM sizes sold (GB as
  // marketed; empty = not known), sizes reported but unconfirmed, the CPU/GPU variant, and the
  // name nvidia-smi prints.
  std::vector<int> gpu_cores_options;
  std::vector<double> ram_gb, ram_gb_unverified;
  double ram_gb_max = 0;
  std::string variant;   // "16-CPU/40-GPU"
  std::string smi_name;  // "NVIDIA GeForce RTX 4090"
  std::string label;     // the name, with the GPU cores where another entry shares the name
};

// How a chip or GPU name as people write it ("4090", "GeForce RTX 4090", "RTX 4060 Ti 16GB",
// "Apple M4 Max (40-core GPU)", "m4max") was matched to data/hardware.yaml.
struct ChipMatch {
  enum class Status {
    known,         // one entry
    ambiguous,     // the name fits several variants (or one listed by a VRAM the name does not give)
    ram_mismatch,  // an Apple chip or variant not sold with the machine's RAM
    unknown,       // no entry: `closest` has the nearest names
  };
  Status status = Status::unknown;
  const ChipInfo* chip = nullptr;  // known; otherwise the entry assumed (smallest VRAM, then bandwidth)
  std::vector<const ChipInfo*> variants;  // ambiguous / ram_mismatch: the entries the name fits
  std::vector<std::string> closest;       // unknown: up to 3 known names, nearest first
  bool by_ram = false;          // an Apple variant chosen by the RAM (the name gave no GPU cores)
  bool ram_unverified = false;  // ... by a RAM size data/hardware.yaml lists as unconfirmed
  bool vram_guessed = false;    // ambiguous: the variants' VRAM differs, or the name lacks the VRAM
                                //   its only entry is listed by, so a VRAM check on `chip` is a guess
  std::optional<double> named_memory_gb;  // a size the name itself carries ("RTX 4090 24GB")
};

class HardwareTables {
 public:
  static const HardwareTables& builtin();
  static HardwareTables parse(std::string_view json_text);  // the JSON form of the data file

  // `ram_gb`: the machine's RAM, which picks an Apple variant; `vram_gib`: a VRAM known otherwise
  // (nvidia-smi's memory.total, hardware.gpu_vram_gb), which picks a GPU variant when it matches one.
  ChipMatch match(std::string_view name, std::optional<double> ram_gb = std::nullopt,
                  std::optional<double> vram_gib = std::nullopt) const;
  // match(name).chip when the match is known, else nullptr.
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
