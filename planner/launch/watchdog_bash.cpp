// run.sh's watchdog (launch/watchdog.h). bash 3.2 (macOS's /bin/bash): indexed arrays only, so a
// route is its index and rung K of route R is RUNG_*[R * 1000 + K] and the functions
// rung_R_K_prepare / _locate / _serve.
#include <fmt/format.h>

#include "core/text.h"
#include "launch/quote.h"
#include "launch/render.h"
#include "launch/watchdog.h"

namespace planner {

namespace {

constexpr const char* kWatchdogSettingsBash = R"SH(COOLDOWN="${PLANNER_COOLDOWN:-120}"
MARGIN="${PLANNER_HYSTERESIS:-0.05}"
WATCH_ROUNDS="${PLANNER_WATCH_ROUNDS:-0}"
PSI_FILE="${PLANNER_PSI:-/proc/pressure/memory}"
NVIDIA_SMI="${PLANNER_NVIDIA_SMI:-nvidia-smi}"
GPU_READING=""
)SH";

constexpr const char* kWatchdogHelpersBash = R"SH(
# --- the watchdog: monitoring.memory_pressure_threshold and action_on_threshold ----------------
# Route R (its index): ROUTE_NAME, ROUTE_URL (health), ROUTE_LOG, ROUTE_PID (its server now) and
# NEXT_RUNG (the next rung of its ladder). Rung K of route R: RUNG_LABEL / RUNG_SKIP / RUNG_TOOLS
# [R * 1000 + K] and the functions rung_R_K_prepare, rung_R_K_locate, rung_R_K_serve.
SERVING_ROUTES=""
SERVING_PIDS=""  # servers kept running that the watchdog does not act on (a cluster's workers and split routes)
ROUTE_NAME=() ROUTE_URL=() ROUTE_LOG=() ROUTE_PID=() NEXT_RUNG=()
RUNG_LABEL=() RUNG_SKIP=() RUNG_TOOLS=()
ARMED=1           # 0 once the watchdog acted on a crossing, until pressure falls below REARM
LAST_ACTION_AT=0  # epoch seconds of the last action (the cool-down counts from it)
EXHAUSTED=0       # 1 when the action has nothing left to do: the watchdog only logs
ROUNDS=0
REARM=$(awk -v t="${THRESHOLD:-0}" -v m="$MARGIN" 'BEGIN { printf "%.3f\n", t - m }')

# keep_serving R: route R's server (the last started) is kept running under the watchdog.
keep_serving() {
  ROUTE_PID[$1]=$SERVER_PID
  SERVING_ROUTES="$SERVING_ROUTES $1"
}

# running R: whether route R's server runs (an unloaded route has no pid: `kill -0 0` would ask
# about this script's own process group).
running() { [ -n "${ROUTE_PID[$1]:-}" ] && kill -0 "${ROUTE_PID[$1]}" 2>/dev/null; }

any_serving() {
  local r
  for r in $SERVING_ROUTES; do running "$r" && return 0; done
  for r in $SERVING_PIDS; do kill -0 "$r" 2>/dev/null && return 0; done
  return 1
}

# lru_routes: the routes whose server runs, least recently used first. A server writes its log
# as it answers (llama-server, mlx_lm.server and vLLM log each request), so the log's
# modification time is the route's last use; `-nt` compares it the same on macOS and Linux.
lru_routes() {
  local r s sorted="" out placed
  for r in $SERVING_ROUTES; do
    running "$r" || continue
    out="" placed=0
    for s in $sorted; do
      if [ "$placed" = 0 ] && [ "${ROUTE_LOG[s]}" -nt "${ROUTE_LOG[r]}" ]; then
        out="$out $r"
        placed=1
      fi
      out="$out $s"
    done
    [ "$placed" = 1 ] || out="$out $r"
    sorted=$out
  done
  printf '%s\n' "${sorted# }"
}

# read_gpus: GPU_READING, one "INDEX, USED, TOTAL" line (MiB) per NVIDIA GPU, "" without
# nvidia-smi. Once a watchdog round: its pressure and the report's peaks (sample_serving) read it.
read_gpus() {
  GPU_READING=""
  command -v "$NVIDIA_SMI" >/dev/null 2>&1 || return 0
  GPU_READING=$("$NVIDIA_SMI" --query-gpu=index,memory.used,memory.total --format=csv,noheader,nounits 2>/dev/null || true)
}

# pressure: "P SOURCES": P is the highest of the RAM in use (mem_used), on Linux the share of
# the last 10 s in which some task stalled on memory (PSI, $PSI_FILE "some avg10=", a
# percentage), and each NVIDIA GPU's memory in use (GPU_READING); SOURCES names each figure.
# Nothing when none is known.
pressure() {
  local ram psi="" gpus=""
  ram=$(mem_used)
  if [ "$OS" != Darwin ] && [ -r "$PSI_FILE" ]; then
    psi=$(awk '/^some / { for (i = 2; i <= NF; i++) if ($i ~ /^avg10=/) { sub(/^avg10=/, "", $i); printf "%.3f\n", $i / 100 } }' "$PSI_FILE")
  fi
  if [ -n "$GPU_READING" ]; then
    gpus=$(printf '%s\n' "$GPU_READING" |
      awk -F', *' '$1 ~ /^[0-9]+$/ && $3 > 0 { printf " GPU%d %.3f", $1, $2 / $3 }')
  fi
  awk -v ram="$ram" -v psi="$psi" -v gpus="$gpus" 'BEGIN {
    p = -1; s = ""; n = split(gpus, g, " ")
    if (ram != "") { p = ram + 0; s = "RAM " ram }
    if (psi != "") { if (psi + 0 > p) p = psi + 0; s = s (s == "" ? "" : ", ") "PSI " psi }
    for (i = 1; i < n; i += 2) { if (g[i + 1] + 0 > p) p = g[i + 1] + 0; s = s (s == "" ? "" : ", ") g[i] " " g[i + 1] }
    if (p >= 0) printf "%.3f %s\n", p, s }'
}

at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

# notify_user MESSAGE: a desktop notification where the system has a tool for it. MESSAGE is
# planner's own text and figures, never a value from the config.
notify_user() {
  case "$OS" in
    Darwin)
      if command -v osascript >/dev/null 2>&1; then
        osascript -e "display notification \"$1\" with title \"planner\"" >/dev/null 2>&1 || true
      fi
      ;;
    *)
      if command -v notify-send >/dev/null 2>&1; then notify-send planner "$1" >/dev/null 2>&1 || true; fi
      ;;
  esac
}

# take_rung R K: route R's server replaced by rung K's (downloads first, when the rung has any,
# in a subshell so that a failed one is logged and skipped rather than ending the run).
take_rung() {
  local r=$1 k=$2 id=$(($1 * 1000 + $2)) tool rc=0 label
  label=${RUNG_LABEL[id]}
  for tool in ${RUNG_TOOLS[id]:-}; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      log "watchdog: $ACTION: route ${ROUTE_NAME[r]}: skipping $label: $tool is not installed"
      return 1
    fi
  done
  ("rung_${r}_${k}_prepare") &
  wait "$!" || rc=$?
  if [ "$rc" != 0 ]; then
    log "watchdog: $ACTION: route ${ROUTE_NAME[r]}: skipping $label: preparing it failed (exit $rc)"
    return 1
  fi
  if ! "rung_${r}_${k}_locate"; then
    log "watchdog: $ACTION: route ${ROUTE_NAME[r]}: skipping $label: its model file was not found"
    return 1
  fi
  log "watchdog: $ACTION: route ${ROUTE_NAME[r]}: restarting with $label (was pid ${ROUTE_PID[r]})"
  stop_pid "${ROUTE_PID[r]}"
  "rung_${r}_${k}_serve"
  wait_healthy "${ROUTE_NAME[r]}" "${ROUTE_URL[r]}" "$SERVER_PID"
  ROUTE_PID[r]=$SERVER_PID
  log "watchdog: $ACTION: route ${ROUTE_NAME[r]} now runs $label (pid $SERVER_PID)"
  record_action "$r" "$ACTION" "now runs $label (pid $SERVER_PID)"
}

# step_down: one rung down the ladder of the least recently used route that has one left;
# rungs written as skipped are logged and passed over. 1 when no route has a rung left.
step_down() {
  local r k id
  for r in $(lru_routes); do
    while :; do
      k=${NEXT_RUNG[r]:-1}
      id=$((r * 1000 + k))
      [ -n "${RUNG_LABEL[id]:-}" ] || break
      NEXT_RUNG[r]=$((k + 1))
      if [ -n "${RUNG_SKIP[id]:-}" ]; then
        log "watchdog: $ACTION: route ${ROUTE_NAME[r]}: skipping ${RUNG_LABEL[id]}: ${RUNG_SKIP[id]}"
        continue
      fi
      take_rung "$r" "$k" && return 0
    done
  done
  return 1
}

# unload_lru: stops the least recently used route's server. 1 when none runs.
unload_lru() {
  local r
  r=$(lru_routes)
  r=${r%% *}
  [ -n "$r" ] || return 1
  log "watchdog: unload_model: stopping route ${ROUTE_NAME[r]} (pid ${ROUTE_PID[r]}), the least recently used"
  stop_pid "${ROUTE_PID[r]}"
  record_action "$r" unload_model "stopped pid ${ROUTE_PID[r]}, the least recently used route"
  ROUTE_PID[r]=""
}

# on_pressure READING: monitoring.action_on_threshold, once for this crossing.
on_pressure() {
  log "watchdog: memory pressure ${1%% *} >= $THRESHOLD (${1#* }): $ACTION"
  case "$ACTION" in
    truncate_context | downgrade_model) step_down && return 0 ;;
    unload_model) unload_lru && return 0 ;;
    notify)
      notify_user "memory pressure ${1%% *} is at or above the threshold $THRESHOLD"
      return 0
      ;;
    *)
      log "watchdog: $ACTION is not an action planner knows; only logged"
      return 0
      ;;
  esac
  EXHAUSTED=1
  log "watchdog: $ACTION: nothing left to step down to; the watchdog logs from now on and does not act"
}

# watch_once: one reading. The watchdog acts once per crossing of the threshold: then not again
# until pressure falls below REARM (THRESHOLD - MARGIN) and crosses again, and never within
# COOLDOWN seconds of its last action.
watch_once() {
  local reading used now
  if [ -z "$THRESHOLD" ]; then
    log "watchdog: off (no monitoring.memory_pressure_threshold)"
    return 0
  fi
  reading=$(pressure)
  if [ -z "$reading" ]; then
    log "watchdog: memory pressure unknown on $OS"
    return 0
  fi
  used=${reading%% *}
  now=$(date +%s)
  if at_least "$used" "$THRESHOLD"; then
    if [ "$EXHAUSTED" = 1 ]; then
      log "watchdog: memory pressure $used >= $THRESHOLD: not acting ($ACTION has nothing left)"
    elif [ "$ARMED" = 0 ]; then
      log "watchdog: memory pressure $used >= $THRESHOLD: acted on this crossing already (again once below $REARM)"
    elif [ $((now - LAST_ACTION_AT)) -lt "$COOLDOWN" ]; then
      log "watchdog: memory pressure $used >= $THRESHOLD: cool-down, $((LAST_ACTION_AT + COOLDOWN - now))s left"
    else
      ARMED=0
      LAST_ACTION_AT=$now
      on_pressure "$reading"
    fi
  elif [ "$ARMED" = 0 ] && ! at_least "$used" "$REARM"; then
    ARMED=1
    log "watchdog: memory pressure $used < $REARM: re-armed"
  else
    log "watchdog: memory pressure $used (${reading#* }; threshold $THRESHOLD)"
  fi
}

# watch_rounds_done: whether PLANNER_WATCH_ROUNDS=N readings were taken (tests; 0: never).
watch_rounds_done() {
  ROUNDS=$((ROUNDS + 1))
  [ "$WATCH_ROUNDS" -gt 0 ] && [ "$ROUNDS" -ge "$WATCH_ROUNDS" ]
}
)SH";

std::string rung_prepare_line_bash(const RouteLaunch& r, const Step& st) {
  if (st.kind == StepKind::locate) return "";
  if (st.creates.empty()) return "  " + render_step(st) + "\n";
  return fmt::format("  if [ -e {} ]; then\n    log {}\n  else\n    {}\n  fi\n", shell_quote(st.creates),
                     shell_quote(fmt::format("{}: {} exists, not redone", shown_value(r.name), shown_value(st.creates, 0))),
                     render_step(st));
}

}  // namespace

std::string ladder_kind(const LaunchPlan& plan) {
  if (plan.pressure_action == "truncate_context") return "context";
  if (plan.pressure_action == "downgrade_model") return "model";
  return "";
}

std::string watchdog_settings_bash() { return kWatchdogSettingsBash; }
std::string watchdog_helpers_bash() { return kWatchdogHelpersBash; }

std::string watchdog_route_bash(const LaunchPlan& plan, std::size_t i) {
  const RouteLaunch& r = plan.routes[i];
  const std::string name = shell_quote(shown_value(r.name));
  std::string s = fmt::format("ROUTE_NAME[{0}]={1}\nROUTE_URL[{0}]={2}\nROUTE_LOG[{0}]={3}\n", i, name,
                              shell_quote(fmt::format("http://127.0.0.1:{}{}", r.port, r.health_path)),
                              shell_quote(r.log));
  const std::string kind = ladder_kind(plan);
  if (kind.empty()) return s;
  const auto& rungs = kind == "context" ? r.ladders.contexts : r.ladders.models;
  const std::string& note = kind == "context" ? r.ladders.contexts_note : r.ladders.models_note;
  if (rungs.empty()) return s + fmt::format("# {}: no rung for route {}: {}\n", plan.pressure_action,
                                            shown_value(r.name), shown_text(note));
  for (std::size_t k = 1; k <= rungs.size(); ++k) {
    const LadderStep& st = rungs[k - 1];
    const std::size_t id = i * 1000 + k;
    s += fmt::format("# {} rung {} of route {}: {}\nRUNG_LABEL[{}]={}\n", plan.pressure_action, k, shown_value(r.name),
                     shown_text(st.label), id, shell_quote(shown_text(st.label)));
    if (!st.skipped.empty()) {
      s += fmt::format("RUNG_SKIP[{}]={}\n", id, shell_quote(shown_text(st.skipped)));
      continue;
    }
    if (!st.tools.empty()) s += fmt::format("RUNG_TOOLS[{}]={}\n", id, shell_quote(join(st.tools, " ")));
    std::string prepare, locate;
    for (const auto& p : st.prepare) {
      if (p.kind == StepKind::locate) {
        locate += fmt::format("  {}\n  [ -n \"${}\" ]\n", render_step(p), p.var);
        continue;
      }
      prepare += fmt::format("  # {}\n", shown_text(p.purpose)) + rung_prepare_line_bash(r, p);
    }
    if (st.needs_llama_cpp_dir)
      prepare = "  [ -f \"${LLAMA_CPP_DIR:-}/convert_hf_to_gguf.py\" ] || die \"set LLAMA_CPP_DIR to a llama.cpp "
                "checkout (convert_hf_to_gguf.py)\"\n" + prepare;
    s += fmt::format("rung_{}_{}_prepare() {{\n{}}}\n", i, k, prepare.empty() ? "  :\n" : prepare);
    s += fmt::format("rung_{}_{}_locate() {{\n{}}}\n", i, k, locate.empty() ? "  :\n" : locate);
    s += fmt::format("rung_{}_{}_serve() {{\n  # {}\n  start_server {} {}", i, k, shown_text(st.serve.purpose), name,
                     shell_quote(r.log));
    for (const auto& w : st.serve.argv) s += " " + render_word(w);
    s += "\n}\n";
  }
  return s;
}

}  // namespace planner
