#include "detect/report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text.h"

namespace planner::detect {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;

std::string os_label(const std::string& os) { return os == "macos" ? "macOS" : os == "linux" ? "Linux" : "unknown"; }
}  // namespace

void render_detection_text(std::ostream& out, const Detection& d, const std::string& origin) {
  out << fmt::format("hardware ({})\n", shown_text(origin));
  auto row = [&out](std::string_view k, const std::string& v) { out << fmt::format("  {:<14}{}\n", k, v); };
  row("system", os_label(d.os));
  row("architecture", d.architecture.empty() ? "unknown" : shown_value(d.architecture));
  if (d.ram_bytes) row("RAM", fmt::format("{} ({} bytes)", gib(static_cast<double>(d.ram_bytes)), d.ram_bytes));
  else row("RAM", "unknown");
  if (!d.brand.empty())
    row("chip", d.chip ? fmt::format("{} (data/hardware.yaml: {}, {:g} GB/s)", shown_value(d.brand), d.chip->label,
                                     d.chip->bandwidth_gbs)
                       : fmt::format("{} (not in data/hardware.yaml)", shown_value(d.brand)));
  for (std::size_t i = 0; i < d.gpus.size(); ++i) {
    const auto& g = d.gpus[i];
    const ChipInfo* preset = i == 0 ? d.chip : nullptr;
    std::string vram = g.total_mib ? gib(static_cast<double>(*g.total_mib) * kMiB) + " VRAM" : "VRAM not reported ([N/A])";
    if (g.used_mib) vram += fmt::format(", {} in use", gib(static_cast<double>(*g.used_mib) * kMiB));
    row(fmt::format("GPU {}", i), fmt::format("{}: {}{}", shown_value(g.name), vram,
                                              preset ? fmt::format(" (data/hardware.yaml: {})", preset->name) : ""));
  }
  if (d.architecture == "apple_silicon") {
    if (d.wired_limit_mb && *d.wired_limit_mb > 0)
      row("GPU limit", fmt::format("{} raised (iogpu.wired_limit_mb = {})",
                                   gib(static_cast<double>(*d.wired_limit_mb) * kMiB), *d.wired_limit_mb));
    else if (d.wired_limit_mb)
      row("GPU limit", "the default (iogpu.wired_limit_mb = 0)");
    else
      row("GPU limit", "not read (iogpu.wired_limit_mb: macOS 14 and later); the default assumed");
    if (d.default_wired_limit_bytes)
      row("default limit", fmt::format("{} ({}; macOS 26 raises it)", gib(*d.default_wired_limit_bytes), d.default_wired_limit_basis));
  }
  if (d.available_bytes)
    row("available", fmt::format("{} ({})", gib(static_cast<double>(*d.available_bytes)),
                                 d.os == "linux" ? "MemAvailable" : "free + inactive + speculative pages"));
  if (d.vm)
    row("memory", fmt::format("free {}, active {}, wired {}, compressed {} (vm_stat, {} B pages)", gib(d.vm->bytes(d.vm->free)),
                              gib(d.vm->bytes(d.vm->active)), gib(d.vm->bytes(d.vm->wired)),
                              gib(d.vm->bytes(d.vm->compressor)), d.vm->page_bytes));
  row("sources", d.sources.empty() ? "none answered" : join(d.sources, ", "));
}

void render_detection_json(std::ostream& out, const Detection& d, const std::string& origin) {
  using Json = nlohmann::ordered_json;
  auto opt = [](const auto& v, double scale) {
    return v ? Json(static_cast<std::int64_t>(static_cast<double>(*v) * scale)) : Json(nullptr);
  };
  Json j;
  j["version"] = 1;
  j["origin"] = origin;
  j["os"] = d.os.empty() ? Json(nullptr) : Json(d.os);
  j["architecture"] = d.architecture.empty() ? Json(nullptr) : Json(d.architecture);
  j["ram_bytes"] = d.ram_bytes ? Json(d.ram_bytes) : Json(nullptr);
  j["brand_string"] = d.brand.empty() ? Json(nullptr) : Json(d.brand);
  j["chip"] = d.chip ? Json(d.chip->name) : Json(nullptr);
  j["gpus"] = Json::array();
  for (const auto& g : d.gpus)
    j["gpus"].push_back({{"name", g.name}, {"vram_bytes", opt(g.total_mib, kMiB)}, {"used_bytes", opt(g.used_mib, kMiB)}});
  if (d.architecture == "apple_silicon") {
    Json w;
    w["sysctl_wired_limit_mb"] = d.wired_limit_mb ? Json(*d.wired_limit_mb) : Json(nullptr);
    w["current_bytes"] = opt(d.wired_limit_bytes(), 1.0);
    w["default_bytes"] = opt(d.default_wired_limit_bytes, 1.0);
    w["default_basis"] = d.default_wired_limit_basis;
    j["gpu_wired_limit"] = w;
  } else {
    j["gpu_wired_limit"] = nullptr;
  }
  j["available_bytes"] = opt(d.available_bytes, 1.0);
  if (d.vm) {
    const VmStat& v = *d.vm;
    j["vm_stat"] = {{"page_bytes", v.page_bytes},           {"free_bytes", v.bytes(v.free)},
                    {"active_bytes", v.bytes(v.active)},     {"inactive_bytes", v.bytes(v.inactive)},
                    {"speculative_bytes", v.bytes(v.speculative)}, {"wired_bytes", v.bytes(v.wired)},
                    {"purgeable_bytes", v.bytes(v.purgeable)}, {"compressed_bytes", v.bytes(v.compressor)}};
  } else {
    j["vm_stat"] = nullptr;
  }
  j["sources"] = d.sources;
  j["errors"] = d.errors;
  out << json_text(j) << '\n';
}

}  // namespace planner::detect
