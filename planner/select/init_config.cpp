#include "select/init_config.h"

#include <fmt/format.h>

#include <cmath>

#include "core/text.h"

namespace planner {

namespace {

// "16", "24.5": a plain YAML number for a GiB figure.
std::string number(double v) { return fmt::format("{:g}", std::round(v * 100) / 100); }

// A key: value line with its reason as a trailing comment.
void line(std::string& out, int indent, std::string_view key, std::string_view value, std::string_view why = {}) {
  std::string kv = fmt::format("{:{}}{}: {}", "", indent, key, value);
  if (!why.empty()) kv = fmt::format("{:<38} # {}", kv, why);
  out += kv + "\n";
}

std::string model_size(const Candidate& c) {
  const MemoryEstimate& m = *c.memory;
  return fmt::format("{} weights + {} KV at {} tokens + {} overhead = {}", gib(m.weights_bytes),
                     gib(m.kv_bytes + m.state_bytes), m.context, gib(m.overhead_bytes), gib(m.total()));
}

std::string pick_reason(const TaskSelection& s, const Candidate& c, bool split) {
  if (split) return fmt::format("largest model the hosts hold together: {} on one machine", model_size(c));
  const char* what = c.specialist ? "largest coding model" : s.task == "quick_qa" ? "largest 3B-7B model" : "largest model";
  bool stepped_down = false;  // fit_resident moved a larger pick behind this one
  for (const auto& other : s.candidates)
    for (const auto& r : other.reasons) stepped_down = stepped_down || r.rfind("does not fit together", 0) == 0;
  return fmt::format("{} that fits{}: {}", what, stepped_down ? " beside the other resident routes" : "", model_size(c));
}

// The keys of a hardware: mapping for `m`, at `indent` (the top level's, or a cluster host's).
void hardware_keys(std::string& out, int indent, const Machine& m, const Budget& b) {
  const bool apple = m.apple();
  line(out, indent, "total_ram_gb", number(m.ram_gib));
  line(out, indent, "os_reserve_percent", fmt::format("{:g}", m.os_reserve_percent),
       fmt::format("{} for the OS and open apps; {} left for models", gib(b.os_reserve_bytes), gib(b.model_budget_bytes)));
  line(out, indent, "architecture", m.architecture);
  if (!m.chip.empty() && m.gpus.size() < 2) line(out, indent, "chip", m.chip, "from data/hardware.yaml: bandwidth for tokens/s");
  if (m.wired_limit_gib)
    line(out, indent, "gpu_wired_limit_gb", number(*m.wired_limit_gib), "raised with sudo sysctl iogpu.wired_limit_mb");
  else if (apple && b.gpu_limit_bytes)
    out += fmt::format("{:{}}# GPU wired limit: {} ({})\n", "", indent, gib(*b.gpu_limit_bytes), b.gpu_limit_basis);
  if (m.gpus.size() >= 2) {
    out += fmt::format("{:{}}gpus:  # {} GPUs in CUDA's order; llama.cpp splits the layers over them\n", "", indent, m.gpus.size());
    for (const auto& g : m.gpus) {
      std::vector<std::string> keys;
      if (!g.chip.empty()) keys.push_back("chip: " + g.chip);
      if (g.vram_gib) keys.push_back("vram_gb: " + number(*g.vram_gib));
      out += fmt::format("{:{}}  - {{{}}}\n", "", indent, join(keys, ", "));
    }
  } else if (m.gpu_vram_gib) {
    line(out, indent, "gpu_vram_gb", number(*m.gpu_vram_gib), "routes must fit VRAM to stay on the GPU");
  }
}

// cluster: the hosts (the head's hardware is the top level's, by its anchor), the link, the
// routes split over them.
void cluster_section(std::string& out, const InitCluster& c, const HardwareTables& hw) {
  out += "cluster:\n";
  out += "  hosts:  # the first is the head; each host is held to its own budget (LI070)\n";
  for (std::size_t i = 0; i < c.hosts.size(); ++i) {
    const InitHost& h = c.hosts[i];
    out += fmt::format("    - name: {}\n", h.name);
    if (!h.address.empty()) out += fmt::format("      address: {}\n", h.address);
    if (i == 0) {
      out += "      hardware: *head\n";
      continue;
    }
    out += "      hardware:\n";
    hardware_keys(out, 8, h.machine, machine_budget(h.machine, hw));
  }
  if (!c.link.empty()) line(out, 2, "link", c.link, "sets the link's bound on tokens/s (LI073)");
  out += "  routes:  # split over the hosts; the other routes run on the head alone\n";
  for (const auto& r : c.routes) line(out, 4, r.route, fmt::format("{{engine: {}}}", r.engine), r.why);
}

}  // namespace

bool InitCluster::splits(std::string_view route) const {
  for (const auto& r : routes)
    if (r.route == route) return true;
  return false;
}

std::string render_init_config(const SelectContext& ctx, const std::vector<TaskSelection>& routes, const InitRequest& req) {
  const Machine& m = ctx.machine;
  const Budget& b = ctx.budget;
  const bool apple = m.apple();
  const Format preferred = ctx.options.format.value_or(apple ? Format::mlx : Format::gguf);
  std::string out;
  out += "# local-inference-config.yaml\n";
  // Comments stay one line: a newline in an argument would start a line of YAML.
  out += fmt::format("# Written by: {}\n", shown_text(req.command_line));
  if (!req.detected_from.empty()) out += fmt::format("# Hardware detected from {}.\n", shown_text(req.detected_from));
  out += "# Each model is the largest that fits with its KV cache in the budget below; `planner plan`\n";
  out += "# shows the figures, `planner route --workload TASK` the models that were passed over.\n";
  if (req.cluster && !req.cluster->routes.empty())
    out += "# The routes under cluster.routes are the largest the hosts hold together, split as their engine\n"
           "# splits them (docs/cluster.md); `planner plan` shows each host's share.\n";

  out += req.cluster && !req.cluster->routes.empty() ? "hardware: &head  # the head of cluster: below\n" : "hardware:\n";
  hardware_keys(out, 2, m, b);
  out += "inference:\n";
  line(out, 2, "preferred_format", std::string(to_string(preferred)),
       preferred == Format::mlx        ? "native to Metal and unified memory"
       : apple                         ? "the same GGUF files on every platform (llama.cpp)"
                                       : "llama.cpp; MLX needs Apple silicon");
  if (apple)
    line(out, 2, "fallback_format", preferred == Format::mlx ? "GGUF" : "MLX",
         "for models without a conversion in the preferred format");
  line(out, 2, "quantization", "Q4_K_M",
       preferred == Format::mlx ? "the code/reasoning policy's floor; MLX routes: 4-bit, group 64"
                                : "the code/reasoning policy's floor (no Q2/Q3 there)");
  line(out, 2, "max_context_tokens", std::to_string(ctx.options.context));
  line(out, 2, "kv_cache_reserve_percent", fmt::format("{:g}", m.kv_reserve_percent),
       fmt::format("{} of the model budget kept for KV caches", gib(b.kv_reserve_bytes)));
  if (ctx.options.kv_type != "f16") line(out, 2, "kv_cache_type", ctx.options.kv_type);
  if (!req.resident.empty())
    line(out, 2, "resident_routes", "[" + join(req.resident, ", ") + "]", "loaded together; they fit together");

  out += "routing:\n";
  for (const auto& s : routes) {
    const Candidate& c = *s.chosen();
    out += fmt::format("  {}:\n", s.route);
    const bool split = req.cluster && req.cluster->splits(s.route);
    line(out, 4, "model", c.model->id, pick_reason(s, c, split));
    line(out, 4, "min_ram_gb", std::to_string(c.min_ram_gb),
         split                           ? "what one machine would need: no host has it"
         : apple && !m.wired_limit_gib   ? "RAM whose budget and default wired limit hold it"
                                         : "RAM whose budget holds it");
    std::string fmt_why = c.artifact.empty() ? "no published conversion at this quantization: convert it yourself"
                                             : c.artifact;
    if (apple && c.format == Format::gguf && !c.model->mlx.empty())
      fmt_why = "planner: ignore[LI021] cross-platform: the same GGUF as the other machines";
    line(out, 4, "format", std::string(to_string(c.format)), fmt_why);
    if (c.quant_name != "Q4_K_M")
      line(out, 4, "quantization", c.quant_name,
           fmt::format("the {} policy's recommendation{}", s.task, c.format == Format::mlx ? ": " + c.quant.label : ""));
    if (c.context != ctx.options.context) {
      std::string why = join(c.reasons, "; ");
      line(out, 4, "max_context_tokens", std::to_string(c.context), why);
    }
  }
  if (req.cluster && !req.cluster->routes.empty()) cluster_section(out, *req.cluster, *ctx.hardware);
  out += "monitoring:\n";
  line(out, 2, "memory_pressure_threshold", "0.75", "act before the system swaps (the seed's 75 %)");
  line(out, 2, "action_on_threshold", "truncate_context");
  out += "logging:\n";
  line(out, 2, "level", "info");
  line(out, 2, "output", "./logs/inference.log");
  return out;
}

}  // namespace planner
