// `planner detect`: this machine's RAM, chip or GPUs, GPU wired limit and free memory, read from
// /proc/meminfo and nvidia-smi on Linux, sysctl and vm_stat on macOS. `--from DIR` reads recorded
// outputs instead (one file per source, named as in detect/collect.cpp), for tests and bug reports.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/text.h"
#include "detect/detect.h"
#include "detect/report.h"

namespace planner::cli {

namespace {
struct DetectArgs {
  std::string format = "text", from;
};

int run_detect(const DetectArgs& a) {
  std::error_code ec;
  if (!a.from.empty() && !std::filesystem::is_directory(a.from, ec)) {
    std::cerr << fmt::format("planner: error: --from '{}' is not a directory\n", shown_text(a.from));
    return kExitUsage;
  }
  const detect::Detection d = detect::detect_hardware(a.from.empty() ? detect::machine_reader() : detect::directory_reader(a.from));
  const std::string origin = a.from.empty() ? "this machine" : "recorded outputs in " + a.from;
  if (a.format == "json") detect::render_detection_json(std::cout, d, origin);
  else detect::render_detection_text(std::cout, d, origin);
  std::cout.flush();
  for (const auto& e : d.errors) std::cerr << "planner: error: " << shown_text(e) << '\n';
  if (d.ram_bytes == 0 && d.errors.empty())
    std::cerr << "planner: error: no source answered (neither /proc/meminfo nor sysctl hw.memsize)\n";
  return d.errors.empty() && d.ram_bytes > 0 ? kExitOk : kExitFindings;
}
}  // namespace

Command add_detect(CLI::App& app) {
  auto args = std::make_shared<DetectArgs>();
  auto* cmd = app.add_subcommand("detect", "this machine's RAM, chip or GPUs, GPU wired limit and free memory");
  cmd->add_option("--format", args->format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--from", args->from,
                  "read recorded command outputs from DIR instead of running them (for tests and bug reports; "
                  "files: proc-meminfo, nvidia-smi, sysctl-hw.memsize, sysctl-machdep.cpu.brand_string, "
                  "sysctl-iogpu.wired_limit_mb, vm_stat)");
  return {cmd, [args] { return run_detect(*args); }};
}

}  // namespace planner::cli
