#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text.h"
#include "launch/quote.h"
#include "launch/render.h"
#include "launch/sources.h"

namespace planner {

std::string launch_checked_against() {
  std::string out;
  for (const Runtime* r : all_runtimes())
    if (r->launch_steps) out += fmt::format("{}, ", r->launch_source);
  return out + launch_source::kHfHub;
}

// `planner launch c.yaml | bash` runs only the commands: every comment is one line (shown_text /
// shown_value: no newline or CR from a value can end it), every word is shell-quoted. The same
// holds for PowerShell, whose comments also start with # and end at the line.
void render_launch_text(std::ostream& out, const std::string& file, const LaunchPlan& plan, Shell shell) {
  auto step = [shell](const Step& s) { return shell == Shell::powershell ? render_step_powershell(s) : render_step(s); };
  out << fmt::format("# planner launch {}{}\n", shown_text(file), shell == Shell::powershell ? " (PowerShell)" : "");
  out << fmt::format("# flags checked against {} (docs/launch.md)\n", launch_checked_against());
  if (plan.needs_llama_cpp_dir)
    out << fmt::format("# {}: a llama.cpp checkout (for convert_hf_to_gguf.py and its requirements)\n",
                       shell == Shell::powershell ? "$env:LLAMA_CPP_DIR" : "LLAMA_CPP_DIR");
  if (plan.wired_limit) {
    out << fmt::format("\n# GPU wired limit: {}\n{}\n", shown_text(plan.wired_limit->purpose), step(*plan.wired_limit));
  }
  for (const auto& r : plan.routes) {
    out << fmt::format("\n# route {}: {}", shown_value(r.name), shown_text(r.why));
    if (!r.skipped.empty()) {
      out << fmt::format("\n# skipped: {}\n", shown_text(r.skipped));
      continue;
    }
    out << fmt::format("; port {}\n", r.port);
    for (const auto& s : r.steps)
      out << fmt::format("# {}: {}\n{}\n", to_string(s.kind), shown_text(s.purpose), step(s));
  }
}

void render_launch_json(std::ostream& out, const std::string& file, const LaunchPlan& plan,
                        const std::vector<ClusterLaunch>& cluster) {
  using json = nlohmann::ordered_json;
  auto step_json = [](const Step& s) {
    json j = {{"kind", std::string(to_string(s.kind))},
              {"purpose", s.purpose},
              {"command", render_step(s)},
              {"powershell", render_step_powershell(s)}};
    if (s.kind != StepKind::locate && s.kind != StepKind::write) {
      json argv = json::array();
      for (const auto& w : s.argv) argv.push_back(render_word(w));
      j["argv"] = argv;  // shell words, as in "command"
    }
    if (!s.environment.empty()) {
      json env = json::object();
      for (const auto& [k, v] : s.environment) env[k] = v;
      j["environment"] = env;  // set for this command only (in "command" as `env K=V`)
    }
    if (!s.source.empty()) j["source"] = s.source;
    return j;
  };
  json j = {{"file", file}, {"checked_against", launch_checked_against()}};
  j["wired_limit"] = plan.wired_limit ? step_json(*plan.wired_limit) : json(nullptr);
  j["wired_limit_mib"] = plan.wired_limit_mib;
  j["needs_llama_cpp_dir"] = plan.needs_llama_cpp_dir;
  json routes = json::array();
  for (const auto& r : plan.routes) {
    json jr = {{"route", r.name},
               {"port", r.port},
               {"runtime", std::string(r.runtime->name)},
               {"health", r.health_path},
               {"why", r.why},
               {"serve", r.serve},
               {"total_bytes", static_cast<long long>(r.total_bytes)}};
    jr["skipped"] = r.skipped.empty() ? json(nullptr) : json(r.skipped);
    json steps = json::array();
    for (const auto& s : r.steps) steps.push_back(step_json(s));
    jr["steps"] = steps;
    routes.push_back(jr);
  }
  j["routes"] = routes;
  // cluster: (docs/cluster.md): what each host runs; its memory and layers are `plan`'s.
  if (!cluster.empty()) {
    json jc = json::array();
    for (const auto& cl : cluster) {
      json jl = {{"route", cl.route}, {"engine", cl.engine}};
      jl["skipped"] = cl.skipped.empty() ? json(nullptr) : json(cl.skipped);
      json hosts = json::array();
      for (const auto& h : cl.hosts) {
        json steps = json::array();
        for (const auto& s : h.steps) {
          json js = step_json(s);
          if (s.detaches) js["detaches"] = true;  // returns once its daemon runs (ray start)
          steps.push_back(js);
        }
        hosts.push_back({{"host", h.host},
                         {"role", h.role},
                         {"serves_route", h.serves_route},
                         {"wired_limit", h.wired_limit ? step_json(*h.wired_limit) : json(nullptr)},
                         {"steps", steps}});
      }
      jl["hosts"] = hosts;
      jc.push_back(jl);
    }
    j["cluster"] = jc;
  }
  out << json_text(j) << '\n';
}

}  // namespace planner
