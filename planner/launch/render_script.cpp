// `planner script`: the launch plan as a bash script teammates run as is. Written for bash 3.2
// (macOS's /bin/bash): no associative arrays, no `wait -n`, no empty-array expansions under
// `set -u`. Config values reach the script only through shell_quote / render_word, and comments
// and log lines only through shown_value / shown_text (one line, control characters escaped).
#include <fmt/format.h>

#include <cmath>

#include "core/text.h"
#include "launch/quote.h"
#include "launch/render.h"
#include "launch/watchdog.h"
#include "launch/render_validation.h"
#include "launch/script_parts.h"

namespace planner {

namespace {

// Fixed parts: helpers that take every value as an argument.
constexpr const char* kHelpers = R"SH(
mkdir -p "$LOG_DIR"
STARTED_PIDS=""  # every server this script started (PIDs only); cleanup stops exactly these
SERVER_PID=""

# log MESSAGE...: one line to stderr and $LOG_FILE. Control characters become '?', so no value in
# a message (a path, a server's argv) can start another line in the log.
log() {
  local line
  line="$(date '+%Y-%m-%dT%H:%M:%S') $*"
  printf '%s\n' "${line//[[:cntrl:]]/?}" | tee -a "$LOG_FILE" >&2
}
die() { log "error: $*"; exit 1; }

stop_pid() {
  if kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    log "stopped server pid $1"
  fi
}
cleanup() {
  local pid
  for pid in $STARTED_PIDS; do stop_pid "$pid"; done
  STARTED_PIDS=""
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_server NAME LOG ARGV...: runs ARGV in the background, its output appended to LOG.
start_server() {
  local name=$1 logf=$2
  shift 2
  log "starting $name: $* (log: $logf)"
  "$@" >>"$logf" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS="$STARTED_PIDS $SERVER_PID"
}

# wait_healthy NAME URL PID: until the health endpoint answers 200 (llama-server answers 503
# while it loads the model). Four polls in the first second (a model already in the page cache
# loads in less), then one a second, so a long load is not logged four times a second.
wait_healthy() {
  local name=$1 url=$2 pid=$3 polls=0
  until curl -fs -o /dev/null "$url"; do
    kill -0 "$pid" 2>/dev/null || die "$name: the server exited; see its log"
    [ "$polls" -lt $((HEALTH_TIMEOUT + 3)) ] || die "$name: not healthy after ${HEALTH_TIMEOUT}s"
    if [ "$polls" -lt 4 ]; then sleep 0.25; else sleep 1; fi
    polls=$((polls + 1))
  done
  log "$name: healthy ($url)"
}

# mem_used: the fraction of RAM in use, 0..1 (empty when unknown). macOS: memory_pressure's free
# percentage, else vm_stat; Linux: 1 - MemAvailable/MemTotal (PSI measures stall time, not use).
mem_used() {
  case "$OS" in
    Darwin)
      if command -v "$MEMORY_PRESSURE" >/dev/null 2>&1; then
        "$MEMORY_PRESSURE" | awk -F': *' '/System-wide memory free percentage/ { sub(/%/, "", $2); printf "%.3f\n", 1 - $2 / 100 }'
      else
        vm_stat | awk -v total="$(sysctl -n hw.memsize)" '/page size of/ { ps = $8 } /Pages free/ { f = $3 }
          /Pages speculative/ { s = $3 } /Pages inactive/ { i = $3 } END { if (total > 0) printf "%.3f\n", 1 - (f + s + i) * ps / total }'
      fi
      ;;
    *)
      [ -r "$MEMINFO" ] || return 0
      awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { if (t > 0) printf "%.3f\n", 1 - a / t }' "$MEMINFO"
      ;;
  esac
}
)SH";

constexpr const char* kRamCheck = R"SH(  case "$OS" in
    Darwin) ram_mib=$(($(sysctl -n hw.memsize) / 1048576)) ;;
    *) ram_mib=$(awk '/^MemTotal:/ { printf "%d\n", $2 / 1024 }' "$MEMINFO") ;;
  esac
  log "RAM: ${ram_mib} MiB here, ${CONFIG_RAM_MIB} MiB in the config"
  # Linux reports MemTotal a few percent below the installed RAM; 10 % less means another machine.
  if [ "${ram_mib:-0}" -lt $((CONFIG_RAM_MIB * 9 / 10)) ]; then
    die "this machine has ${ram_mib} MiB of RAM; the config plans for ${CONFIG_RAM_MIB} MiB"
  fi
)SH";

constexpr const char* kWiredCheck = R"SH(  if [ "$OS" = Darwin ]; then
    wired=$(sysctl -n iogpu.wired_limit_mb)
    log "GPU wired limit: ${wired} MiB (0 = macOS default); the routes need ${WIRED_LIMIT_MIB} MiB"
    if [ "${wired:-0}" -lt "$WIRED_LIMIT_MIB" ]; then
      die "raise the GPU wired limit first (it resets at reboot): sudo sysctl iogpu.wired_limit_mb=$WIRED_LIMIT_MIB"
    fi
  fi
)SH";

// Comment text stays on its line whatever the config holds.
std::string comment(const std::string& s) { return shown_text(s); }

std::string var_suffix(std::size_t i) { return std::to_string(i); }


}  // namespace

std::string script_prepare_step(const std::string& route, const Step& st) {
  std::string s = fmt::format("  # {}\n", comment(st.purpose));
  if (st.kind == StepKind::locate) {
    s += "  " + render_step(st) + "\n";
    s += fmt::format("  [ -n \"${}\" ] || die {}\n", st.var,
                     shell_quote(fmt::format("route {}: no file matching {} in {}", shown_value(route),
                                             shown_value(st.pattern), shown_value(st.dir, 0))));
  } else if (!st.creates.empty()) {
    s += fmt::format("  if [ -e {} ]; then\n    log {}\n  else\n    {}\n  fi\n", shell_quote(st.creates),
                     shell_quote(fmt::format("{}: {} exists, not redone", shown_value(route), shown_value(st.creates, 0))),
                     render_step(st));
  } else {
    s += "  " + render_step(st) + "\n";
  }
  return s;
}

std::string route_comment(const RouteLaunch& r) {
  std::string s = fmt::format("\n# route {}: {}\n", shown_value(r.name), comment(r.why));
  if (!r.skipped.empty()) s += fmt::format("# skipped: {}\n", comment(r.skipped));
  else if (!r.not_scripted.empty()) s += fmt::format("# not in this script: {}\n", comment(r.not_scripted));
  return s;
}

std::string render_run_script(const std::string& file, const LaunchPlan& plan) {
  return render_run_script(file, plan, ClusterConfig{}, {});
}

std::string render_run_script(const std::string& file, const LaunchPlan& plan, const ClusterConfig& cc,
                              const std::vector<ClusterLaunch>& cluster_launches) {
  // Cluster mode: some route's commands were made for several hosts.
  std::vector<ClusterLaunch> cluster;
  for (const auto& cl : cluster_launches)
    if (cl.skipped.empty()) cluster.push_back(cl);
  const bool hosts = !cluster.empty() && cc.present();
  std::string s;
  s += "#!/usr/bin/env bash\n";
  // Config values are single-quoted on purpose: a `$(...)` in them must stay literal.
  s += "# shellcheck disable=SC2016\n";
  s += fmt::format("# Generated by `planner script` from {}; regenerate rather than edit.\n", comment(file));
  s += fmt::format("# Flags checked against {} (docs/launch.md).\n", launch_checked_against());
  s += R"SH(#
# Preflight (tools, RAM, GPU wired limit), download/convert, then each route's server: started,
# health-checked and validated (validation.prompts, else three fixed prompts; planner-run.json
# records what was measured). Routes that are not kept running are stopped after validation, so
# they never share memory; the rest run under a memory-pressure watchdog until Ctrl-C. Every
# server this script started is stopped on exit; the exit status is 1 when a prompt failed. Paths
# are relative to the script's directory.
#
# Environment:
#   PLANNER_RUN_ONCE=1        validate, run the watchdog once, stop everything and exit (CI, tests)
#   PLANNER_WATCH_INTERVAL=N  seconds between memory checks (default 5)
#   PLANNER_HEALTH_TIMEOUT=N  seconds to wait for a server to load (default 900)
#   PLANNER_COOLDOWN=N        seconds the watchdog waits after acting before it acts again (default 120)
#   PLANNER_HYSTERESIS=F      how far below the threshold pressure must fall before the watchdog acts again (0.05)
#   PLANNER_WATCH_ROUNDS=N    stop after N memory checks (tests; default 0: until Ctrl-C)
#   PLANNER_RUN_REPORT=FILE   where planner-run.json goes (default: beside the log)
#   PLANNER_OS, PLANNER_MEMINFO, PLANNER_PSI, PLANNER_NVIDIA_SMI, PLANNER_MEMORY_PRESSURE
#                             override `uname -s`, /proc/meminfo, /proc/pressure/memory, nvidia-smi and
#                             memory_pressure (tests)
)SH";
  if (plan.needs_llama_cpp_dir) s += "#   LLAMA_CPP_DIR=DIR         a llama.cpp checkout, for convert_hf_to_gguf.py\n";
  std::vector<std::string> host_names;
  if (hosts) {
    for (const auto& h : cc.hosts) host_names.push_back(shown_value(h.name));
    s += fmt::format("#\n# Several hosts (cluster:, docs/cluster.md): copy this script to each and run it there with\n"
                     "# the host's name as its argument, one of {} (the first is the head: the routes not\n"
                     "# under cluster.routes run there too).\n",
                     join(host_names, ", "));
    for (const auto& cl : cluster)
      s += fmt::format("#   route {} ({}): {}\n", shown_value(cl.route), cl.engine,
                       cl.engine == "llama.cpp-rpc" ? "start the workers first: llama-server connects to them as it starts"
                       : cl.engine == "vllm-ray"    ? "start the head first: the workers join its Ray cluster"
                       : cl.engine == "exo"         ? "any order: the nodes find each other"
                                                    : "the workers only download; mlx.launch starts them over ssh");
  }
  s += "set -euo pipefail\ncd \"$(dirname \"${BASH_SOURCE[0]}\")\"\n\n";

  s += fmt::format("LOG_FILE={}\nLOG_DIR={}\n", shell_quote(plan.log_file), shell_quote(plan.log_dir));
  s += fmt::format("CONFIG_RAM_MIB={}\n", static_cast<long long>(std::floor(plan.ram_bytes / (1024.0 * 1024.0))));
  if (plan.wired_limit_mib > 0 || hosts) s += fmt::format("WIRED_LIMIT_MIB={}\n", plan.wired_limit_mib);
  s += fmt::format("THRESHOLD={}\n", plan.pressure_threshold ? shell_quote(fmt::format("{}", *plan.pressure_threshold))
                                                             : std::string("''"));
  s += fmt::format("ACTION={}\n", shell_quote(plan.pressure_action.empty() ? "notify" : plan.pressure_action));
  if (!plan.log_note.empty()) s += fmt::format("# {}\nLOG_NOTE={}\n", comment(plan.log_note), shell_quote(plan.log_note));
  s += R"SH(RUN_ONCE="${PLANNER_RUN_ONCE:-0}"
WATCH_INTERVAL="${PLANNER_WATCH_INTERVAL:-5}"
HEALTH_TIMEOUT="${PLANNER_HEALTH_TIMEOUT:-900}"
MEMINFO="${PLANNER_MEMINFO:-/proc/meminfo}"
OS="${PLANNER_OS:-$(uname -s)}"
MEMORY_PRESSURE="${PLANNER_MEMORY_PRESSURE:-memory_pressure}"
)SH";
  s += watchdog_settings_bash();
  if (hosts) s += "HOST=\"${1:-}\"\n";
  s += kHelpers;
  s += watchdog_helpers_bash();
  s += validation_script_part(file, plan);
  if (hosts) s += R"SH(
# still_running NAME PID: a server with no health endpoint (ggml-rpc-server, an exo node) is
# taken as up when it has not exited after two seconds (an address not on this host, a port in
# use: it exits at once).
still_running() {
  sleep 2
  kill -0 "$2" 2>/dev/null || die "$1: the server exited; see its log"
  log "$1: running (pid $2)"
}
)SH";

  // Preflight.
  s += "\npreflight() {\n";
  if (hosts) {  // each host's tools as arguments: preflight TOOL...
    s += "  local tool missing=\"\" ram_mib wired\n  for tool in curl \"$@\"; do\n"
         "    command -v \"$tool\" >/dev/null 2>&1 || missing=\"$missing $tool\"\n  done\n";
  } else if (plan.tools.empty()) {  // only curl (every route is an app's or skipped): a loop of one is SC2043
    s += "  local missing=\"\" ram_mib wired\n  command -v curl >/dev/null 2>&1 || missing=\" curl\"\n";
  } else {
    s += "  local tool missing=\"\" ram_mib wired\n  for tool in curl";
    for (const auto& t : plan.tools) s += " " + shell_quote(t);
    s += "; do\n    command -v \"$tool\" >/dev/null 2>&1 || missing=\"$missing $tool\"\n  done\n";
  }
  s += "  [ -z \"$missing\" ] || die \"missing tools:$missing (installs: docs/launch.md)\"\n";
  if (plan.needs_llama_cpp_dir && !hosts)
    s += "  [ -f \"${LLAMA_CPP_DIR:-}/convert_hf_to_gguf.py\" ] || die \"set LLAMA_CPP_DIR to a llama.cpp checkout (convert_hf_to_gguf.py)\"\n";
  s += kRamCheck;
  if (hosts) s += std::string(kWiredCheck).replace(0, std::string_view("  if [ \"$OS\" = Darwin ]").size(),
                                                   "  if [ \"$OS\" = Darwin ] && [ \"$WIRED_LIMIT_MIB\" -gt 0 ]");
  else if (plan.wired_limit_mib > 0) s += kWiredCheck;
  else s += "  wired=\"\"\n  : \"$wired\"\n";
  s += "}\n";

  // Per route: prepare_N (download / convert) and serve_N.
  for (std::size_t i = 0; i < plan.routes.size(); ++i) {
    const RouteLaunch& r = plan.routes[i];
    // The name as log lines show it; route keys are [A-Za-z][A-Za-z0-9_-]* once check passes.
    const std::string name = shell_quote(shown_value(r.name));
    s += route_comment(r);
    if (!r.scripted()) continue;
    const std::string n = var_suffix(i);
    if (const ClusterLaunch* cl = hosts ? made_cluster_launch(cluster, r.name) : nullptr) {
      s += cluster_head_functions(n, r, *cl, validation_call(plan, i));
      continue;
    }
    if (r.serve) s += watchdog_route_bash(plan, i);
    s += fmt::format("prepare_{}() {{\n", n);
    bool any = false;
    for (const auto& st : r.steps) {
      if (st.kind == StepKind::serve) continue;
      any = true;
      s += script_prepare_step(r.name, st);
    }
    if (!any) s += "  : # the model is on disk already\n";
    s += "}\n";
    for (const auto& st : r.steps) {
      if (st.kind != StepKind::serve) continue;
      s += fmt::format("serve_{}() {{\n  # {}\n  start_server {} {}", n, comment(st.purpose), name, shell_quote(r.log));
      for (const auto& w : st.argv) s += " " + render_word(w);
      s += fmt::format("\n  wait_healthy {} {} \"$SERVER_PID\"\n", name,
                       shell_quote(fmt::format("http://127.0.0.1:{}{}", r.port, r.health_path)));
      s += validation_call(plan, i) + "}\n";
    }
  }

  // Main.
  s += "\n";
  if (!plan.log_note.empty()) s += "log \"note: $LOG_NOTE\"\n";
  const std::string in = hosts ? "  " : "";  // the head's part is run_host_0's body
  if (hosts) {
    std::vector<std::string> tools;
    for (const auto& r : plan.routes) {
      if (!r.scripted()) continue;
      const ClusterLaunch* cl = made_cluster_launch(cluster, r.name);
      add_tools(cl ? cl->hosts.back().steps : r.steps, tools);
    }
    s += fmt::format("# host {} (head)\nrun_host_0() {{\n{}  preflight", host_names[0], host_limits_lines(cc.hosts[0]));
    for (const auto& t : tools) s += " " + shell_quote(t);
    s += "\n";
    if (plan.needs_llama_cpp_dir)
      s += "  [ -f \"${LLAMA_CPP_DIR:-}/convert_hf_to_gguf.py\" ] || die \"set LLAMA_CPP_DIR to a llama.cpp checkout (convert_hf_to_gguf.py)\"\n";
  } else {
    s += "preflight\n";
  }
  s += in + kValidationPreflight;
  // On one machine the wired limit follows its routes; a cluster host's share is not the route, and
  // each host's preflight checks the limit its hardware sets (host_limits_lines).
  if (plan.wired_limit && !hosts) s += fmt::format("# {}\n", comment(plan.wired_limit->purpose));
  for (std::size_t i = 0; i < plan.routes.size(); ++i)
    if (plan.routes[i].scripted()) s += fmt::format("{}prepare_{}\n", in, var_suffix(i));
  s += in + "# Validated one at a time, then stopped: these routes are not kept in memory together.\n";
  const ServeOrder order = serve_order(plan);
  for (std::size_t i : order.validated_then_stopped)
    s += fmt::format("{0}serve_{1}\n{0}stop_pid \"$SERVER_PID\"\n", in, var_suffix(i));
  s += in + "# Kept running (inference.resident_routes, else the first route).\n";
  // A route split over the cluster has no ladder: the watchdog keeps it running and does not act on it.
  for (std::size_t i : order.kept) {
    const bool split = hosts && made_cluster_launch(cluster, plan.routes[i].name);
    s += fmt::format("{0}serve_{1}\n", in, var_suffix(i));
    s += split ? in + "SERVING_PIDS=\"$SERVING_PIDS $SERVER_PID\"\n" : fmt::format("{}keep_serving {}\n", in, var_suffix(i));
  }
  if (hosts) {
    s += "}\n";
    s += cluster_worker_functions(cc, plan, cluster);
    s += "\ncase \"$HOST\" in\n";
    for (std::size_t k = 0; k < cc.hosts.size(); ++k)
      s += fmt::format("  {}) run_host_{} ;;\n", shell_quote(cc.hosts[k].name), k);
    s += fmt::format("  *) die {}\"'$HOST'\" ;;\n", shell_quote(fmt::format("usage: this script HOST, HOST one of: {}; got ",
                                                                                join(host_names, " "))));
    s += "esac\n";
  }
  s += R"SH(
log "serving; watchdog every ${WATCH_INTERVAL}s (Ctrl-C stops everything)"
while any_serving; do
  read_gpus
  watch_once
  sample_serving
  [ "$RUN_ONCE" = 1 ] && break
  watch_rounds_done && break
  sleep "$WATCH_INTERVAL"
done
log "done"
)SH";
  s += kValidationEpilogue;
  return s;
}

}  // namespace planner
