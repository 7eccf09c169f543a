#include "resolve/hardware.h"

#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/embedded.h"
#include "core/json_get.h"
#include "core/text.h"

namespace planner {

namespace {

std::vector<double> numbers(const nlohmann::json& j, const char* key) {
  std::vector<double> out;
  for (const auto& v : json_list(j, key))
    if (v.is_number()) out.push_back(v.get<double>());
  return out;
}

}  // namespace

HardwareTables HardwareTables::parse(std::string_view text) {
  using nlohmann::json;
  HardwareTables h;
  const json root = json::parse(text);
  for (const auto& c : json_list(root, "apple_chips")) {
    ChipInfo chip;
    chip.name = c.at("name").get<std::string>();
    chip.gpu_cores = json_get<int>(c, "gpu_cores", 0);
    chip.bandwidth_gbs = json_get<double>(c, "bandwidth_gbs", 0.0);
    chip.apple = true;
    for (double n : numbers(c, "gpu_cores_options")) chip.gpu_cores_options.push_back(static_cast<int>(n));
    chip.ram_gb = numbers(c, "ram_gb");
    chip.ram_gb_unverified = numbers(c, "ram_gb_unverified");
    chip.ram_gb_max = json_get<double>(c, "ram_gb_max", 0.0);
    chip.variant = json_get<std::string>(c, "variant", "");
    h.chips_.push_back(std::move(chip));
  }
  for (const auto& g : json_list(root, "nvidia_gpus")) {
    ChipInfo chip;
    chip.name = g.at("name").get<std::string>();
    chip.bandwidth_gbs = json_get<double>(g, "bandwidth_gbs", 0.0);
    chip.vram_gib = json_get<double>(g, "vram_gib", 0.0);
    chip.smi_name = json_get<std::string>(g, "smi_name", "");
    h.chips_.push_back(std::move(chip));
  }
  // Entries that share a name (an Apple chip split by GPU bin) are labelled by their GPU cores.
  for (auto& c : h.chips_) {
    c.label = c.name;
    const auto same = std::count_if(h.chips_.begin(), h.chips_.end(), [&](const ChipInfo& o) { return o.name == c.name; });
    if (same > 1 && c.gpu_cores > 0) c.label = fmt::format("{} ({}-core GPU)", c.name, c.gpu_cores);
  }
  if (auto e = root.find("decode_efficiency"); e != root.end() && e->is_object()) {
    for (const auto& row : json_list(*e, "apple"))
      for (auto& c : h.chips_)
        if (c.apple && c.name == json_get<std::string>(row, "chip", "") && c.gpu_cores == json_get<int>(row, "gpu_cores", -1)) {
          c.eta_q4 = json_get<double>(row, "eta_q4_0", 0.0);
          c.eta_q8 = json_get<double>(row, "eta_q8_0", 0.0);
          c.eta_f16 = json_get<double>(row, "eta_f16", 0.0);
        }
    for (const auto& row : json_list(*e, "nvidia_q4_0"))
      for (auto& c : h.chips_)
        if (!c.apple && c.name == json_get<std::string>(row, "gpu", "")) c.eta_q4 = json_get<double>(row, "eta_min", 0.0);
    for (const auto& row : json_list(*e, "summary")) {
      const std::string cls = json_get<std::string>(row, "class", "");
      const double lo = json_get<double>(row, "eta_min", 0.0);
      if (cls == "apple_single_die") h.eta_apple_min_ = lo;
      else if (cls == "apple_ultra") h.eta_ultra_min_ = lo;
      else if (cls == "nvidia_consumer") h.eta_nvidia_min_ = lo;
    }
  }
  if (auto w = root.find("wired_limit"); w != root.end() && w->is_object()) {
    h.page_ = json_get<double>(*w, "page_bytes", 16384.0);
    h.mlx_warn_fraction_ = json_get<double>(*w, "mlx_warn_fraction", 0.9);
    if (auto a = w->find("regime_a"); a != w->end() && a->is_object()) {
      h.a_threshold_gb_ = json_get<double>(*a, "threshold_gb", 36.0);
      h.a_below_ = json_get<double>(*a, "below_fraction_num", 2.0) / json_get<double>(*a, "below_fraction_den", 3.0);
      h.a_above_ =
          json_get<double>(*a, "at_or_above_fraction_num", 3.0) / json_get<double>(*a, "at_or_above_fraction_den", 4.0);
      h.a_bump_pages_ = json_get<int>(*a, "below_page_bump", 1);
    }
    if (auto b = w->find("regime_b"); b != w->end() && b->is_object()) {
      h.b_min_major_ = json_get<int>(*b, "macos_min_major", 26);
      for (const auto& t : json_list(*b, "tiers")) h.b_tiers_.emplace_back(t.at("ram_gb").get<double>(), t.at("p").get<double>());
    }
  }
  return h;
}

const HardwareTables& HardwareTables::builtin() {
  static const HardwareTables h = parse(embedded::hardware_json());
  return h;
}

const ChipInfo* HardwareTables::chip(std::string_view name) const {
  ChipMatch m = match(name);
  return m.status == ChipMatch::Status::known ? m.chip : nullptr;
}

double HardwareTables::fallback_eta(const ChipInfo& chip) const {
  if (!chip.apple) return eta_nvidia_min_;
  return to_lower(chip.name).find("ultra") != std::string::npos ? eta_ultra_min_ : eta_apple_min_;
}

std::vector<std::string> HardwareTables::chip_names() const {
  std::vector<std::string> out;
  for (const auto& c : chips_)
    if (std::find(out.begin(), out.end(), c.name) == out.end()) out.push_back(c.name);
  return out;
}

double HardwareTables::default_wired_limit_bytes(double ram_gib, int macos_major, std::string* basis) const {
  const double ram = ram_gib * 1024.0 * 1024.0 * 1024.0;
  if (macos_major >= b_min_major_ && !b_tiers_.empty()) {
    // macOS 26: a RAM-tiered share; between observed sizes take the tier at or below.
    double p = b_tiers_.front().second;
    for (const auto& [gb, share] : b_tiers_)
      if (ram_gib >= gb) p = share;
    if (basis) *basis = fmt::format("macOS {} default: {:.0f} % of RAM (observed tiers, data/hardware.yaml)", macos_major, p * 100);
    return std::ceil(p * ram / page_) * page_;
  }
  if (ram_gib < a_threshold_gb_) {
    if (basis) *basis = fmt::format("macOS default below {:.0f} GB of RAM: 2/3 of RAM", a_threshold_gb_);
    return (std::floor(ram * a_below_ / page_) + a_bump_pages_) * page_;
  }
  if (basis) *basis = fmt::format("macOS default at {:.0f} GB of RAM and above: 3/4 of RAM", a_threshold_gb_);
  return ram * a_above_;
}

}  // namespace planner
