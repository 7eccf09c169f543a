#include "resolve/hardware.h"

#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "core/embedded.h"
#include "core/json_get.h"
#include "core/text.h"

namespace planner {

HardwareTables HardwareTables::parse(std::string_view text) {
  using nlohmann::json;
  HardwareTables h;
  const json root = json::parse(text);
  for (const auto& c : json_list(root, "apple_chips"))
    h.chips_.push_back({c.at("name").get<std::string>(), json_get<int>(c, "gpu_cores", 0),
                        json_get<double>(c, "bandwidth_gbs", 0.0), 0, true});
  for (const auto& g : json_list(root, "nvidia_gpus"))
    h.chips_.push_back({g.at("name").get<std::string>(), 0, json_get<double>(g, "bandwidth_gbs", 0.0),
                        json_get<double>(g, "vram_gib", 0.0), false});
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
  std::string n = to_lower(name);
  for (const char* prefix : {"apple ", "nvidia geforce ", "nvidia ", "geforce "})
    if (n.rfind(prefix, 0) == 0) n = n.substr(std::string_view(prefix).size());
  // "M4 Max 32" / "M4 Max (32-core GPU)" pick the GPU bin where bandwidth differs by bin.
  int cores = 0;
  std::string base = n;
  if (auto sp = n.find_first_of("0123456789", 3); sp != std::string::npos && sp > 0 && n[sp - 1] != 'm') {
    cores = std::atoi(n.c_str() + sp);
    base = n.substr(0, sp);
    while (!base.empty() && (base.back() == ' ' || base.back() == '(')) base.pop_back();
  }
  const ChipInfo* first = nullptr;
  for (const auto& c : chips_) {
    std::string lc = to_lower(c.name);
    if (lc == n) return &c;
    if (cores && lc == base && c.gpu_cores == cores) return &c;
    if (!first && lc == base) first = &c;
  }
  return cores ? first : nullptr;
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
