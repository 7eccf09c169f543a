#!/usr/bin/env bash
# End to end: the run script's memory-pressure watchdog (launch/watchdog_bash.cpp) against the
# stub servers and fake pressure sources of tests/cli/stubs/ (nvidia-smi, memory_pressure and
# vm_stat read their next reading from $STUB_STATE, tests/cli/pressure/ holds the file layouts).
# Each action: the restarted or stopped server's argv, the log lines, once per crossing.
# Usage: watchdog_test.sh PLANNER_BINARY SOURCE_DIR. Prints "N passed, M failed, K skipped".
set -uo pipefail
planner=${1:?usage: watchdog_test.sh PLANNER_BINARY SOURCE_DIR}
src=$(cd "${2:?usage: watchdog_test.sh PLANNER_BINARY SOURCE_DIR}" && pwd)
planner="$(cd "$(dirname "$planner")" && pwd)/$(basename "$planner")"
stubs="$src/tests/cli/stubs"
fixtures="$src/tests/cli/watchdog"
pressure="$src/tests/cli/pressure"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=SCRIPTDIR/lib.sh
. "$src/tests/cli/lib.sh"

expect_eq() {  # NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then pass; else fail "$1" "$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$3"))"; fi
}
expect_line() {  # NAME FILE LINE: FILE holds LINE, after its timestamp
  if sed 's/^[0-9T:-]* //' "$2" | grep -qxF -- "$3"; then pass; else fail "$1: no line '$3'" "$(cat "$2")"; fi
}
count() { sed 's/^[0-9T:-]* //' "$1" | grep -cF -- "$2"; }  # FILE TEXT: lines holding TEXT

# generate NAME CONFIG [FLAGS...]: $work/NAME/run.sh from a copy of CONFIG.
generate() {
  local name=$1 cfg=$2
  shift 2
  mkdir -p "$work/$name/state"
  cp "$cfg" "$work/$name/c.yaml"
  "$planner" script "$@" "$work/$name/c.yaml" -o "$work/$name/run.sh" 2>"$work/$name/gen.err" ||
    fail "$name: planner script" "$(cat "$work/$name/gen.err")"
}
# run NAME [ENV=VALUE...]: runs $work/NAME/run.sh on "Linux" with the stubs, 0.05 s between
# readings, no cool-down and the GPU readings of $work/NAME/state/nvidia-smi.seq.
run() {
  local d="$work/$1"
  shift
  : >"$d/calls"
  (cd / && env PATH="$stubs:$PATH" STUB_CALLS="$d/calls" STUB_STATE="$d/state" PLANNER_OS=Linux \
    PLANNER_MEMINFO="$d/meminfo" PLANNER_PSI="$pressure/psi-calm.txt" PLANNER_NVIDIA_SMI=nvidia-smi \
    PLANNER_WATCH_INTERVAL=0.05 PLANNER_HEALTH_TIMEOUT=20 PLANNER_COOLDOWN=0 "$@" bash "$d/run.sh") >"$d/out" 2>&1
}
# gpu NAME READINGS...: the GPU's successive readings (per cent of 24576 MiB in use).
gpu() {
  local d="$work/$1" p
  shift
  : >"$d/state/nvidia-smi.seq"
  for p in "$@"; do echo "$((24576 * p / 100)), 24576" >>"$d/state/nvidia-smi.seq"; done
}
meminfo() { printf 'MemTotal:       67108864 kB\nMemFree:        1 kB\nMemAvailable:   33554432 kB\n' >"$1"; }  # 0.5 in use
servers() { grep '^llama-server \[' "$1"; }  # CALLS: the servers started, in order

# --- truncate_context: each crossing restarts the server one rung down the context ladder ----
generate truncate "$fixtures/truncate.yaml"
d="$work/truncate"
meminfo "$d/meminfo"
expect_eq "truncate: the ladder is in the script, largest first" \
  "RUNG_LABEL[1]='16384 tokens of context, 5.79 GiB estimated'
RUNG_LABEL[2]='8192 tokens of context, 5.35 GiB estimated'
RUNG_LABEL[3]='4096 tokens of context, 5.13 GiB estimated'" "$(grep '^RUNG_LABEL\[' "$d/run.sh")"
# 50 % (below), 90 % (crossing: rung 1), 92 % (same crossing), 60 % (below 0.70: re-armed),
# 88 % (rung 2), 60, 90 (rung 3), 60, 95 (nothing left: exhausted), 60, 95 (still not acting).
gpu truncate 50 90 92 60 88 60 90 60 95 60 95
run truncate PLANNER_WATCH_ROUNDS=11
expect_eq "truncate: run exits 0" 0 $?
log="$d/logs/planner.log"
expect_eq "truncate: the server restarted three times, each with a smaller -c" \
  "llama-server [-m] [\$m] [-c] [32768] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8080]
llama-server [-m] [\$m] [-c] [16384] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8080]
llama-server [-m] [\$m] [-c] [8192] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8080]
llama-server [-m] [\$m] [-c] [4096] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8080]" \
  "$(servers "$d/calls" | sed "s|\[models/code/Stub-Model-q4_k_m.gguf\]|[\$m]|")"
expect_eq "truncate: each restart stopped the old server first" 4 "$(grep -c '^llama-server stopped 8080' "$d/calls")"
expect_line "truncate: the crossing is logged with its source" "$log" \
  "watchdog: memory pressure 0.900 >= 0.75 (RAM 0.500, PSI 0.000, GPU0 0.900): truncate_context"
expect_line "truncate: the restart names the rung" "$log" \
  "watchdog: truncate_context: route code: restarting with 16384 tokens of context, 5.79 GiB estimated (was pid $(grep -o 'was pid [0-9]*' "$log" | head -1 | cut -d' ' -f3))"
expect_eq "truncate: the restarted server is health-checked" 4 "$(count "$log" "code: healthy (http://127.0.0.1:8080/health)")"
expect_eq "truncate: once per crossing (92 % right after 90 % does not act)" 1 \
  "$(count "$log" "watchdog: memory pressure 0.920 >= 0.75: acted on this crossing already (again once below 0.700)")"
expect_eq "truncate: re-armed below the threshold less the margin" 4 "$(count "$log" "watchdog: memory pressure 0.600 < 0.700: re-armed")"
expect_eq "truncate: three restarts, no more" 3 "$(count "$log" "now runs")"
expect_line "truncate: the exhausted ladder is logged" "$log" \
  "watchdog: truncate_context: nothing left to step down to; the watchdog logs from now on and does not act"
expect_line "truncate: after that it only logs" "$log" \
  "watchdog: memory pressure 0.950 >= 0.75: not acting (truncate_context has nothing left)"
expect_eq "truncate: eleven readings" 11 "$(grep -c '^nvidia-smi' "$d/state/readings.log")"
expect_eq "truncate: nvidia-smi asked for index, memory used and total" \
  "nvidia-smi [--query-gpu=index,memory.used,memory.total] [--format=csv,noheader,nounits]" "$(head -1 "$d/state/readings.log")"
expect_eq "truncate: every server stopped at the end" "" "$(find "$d/state" -name 'port-*')"
# The report's GPU peak comes from the watchdog's own readings (one query a round): 95 % of
# 24576 MiB, the highest while the server ran, 23347 MiB.
if grep -qF '{"device": "gpu0", "bytes": 24481103872, "source": "nvidia-smi"}' "$d/logs/planner-run.json"; then pass
else fail "truncate: the report's gpu0 peak is the rounds' highest reading" "$(cat "$d/logs/planner-run.json")"; fi

# --- cool-down: a second crossing within PLANNER_COOLDOWN seconds is not acted on ------------
rm -f "$d/state/nvidia-smi.n"
gpu truncate 90 60 90 90
run truncate PLANNER_WATCH_ROUNDS=4 PLANNER_COOLDOWN=3600
expect_eq "cool-down: run exits 0" 0 $?
expect_eq "cool-down: one restart in four readings" 2 "$(servers "$d/calls" | wc -l | tr -d ' ')"
expect_eq "cool-down: the second crossing waits" 2 "$(count "$log" "watchdog: memory pressure 0.900 >= 0.75: cool-down, ")"

# --- PSI: a stalled /proc/pressure/memory is pressure too ------------------------------------
rm -f "$d/state/nvidia-smi.n"
gpu truncate 10
run truncate PLANNER_WATCH_ROUNDS=1 PLANNER_PSI="$pressure/psi-stalled.txt"
expect_line "psi: some avg10=82.50 reads 0.825" "$log" \
  "watchdog: memory pressure 0.825 >= 0.75 (RAM 0.500, PSI 0.825, GPU0 0.100): truncate_context"
expect_eq "psi: and the watchdog acted" 2 "$(servers "$d/calls" | wc -l | tr -d ' ')"
# MemAvailable: 90 % in use, no GPU, calm PSI.
printf 'MemTotal:       67108864 kB\nMemFree:        1 kB\nMemAvailable:   6710886 kB\n' >"$d/meminfo"
run truncate PLANNER_WATCH_ROUNDS=1 PLANNER_NVIDIA_SMI=/nonexistent/nvidia-smi
expect_line "meminfo: MemAvailable 10 % reads 0.900" "$log" \
  "watchdog: memory pressure 0.900 >= 0.75 (RAM 0.900, PSI 0.000): truncate_context"

# --- downgrade_model: the next model of the ladder, downloaded only with --allow-downloads ----
generate downgrade "$fixtures/downgrade.yaml"
d="$work/downgrade"
meminfo "$d/meminfo"
gpu downgrade 90 60 90
run downgrade PLANNER_WATCH_ROUNDS=3
expect_eq "downgrade (no --allow-downloads): run exits 0" 0 $?
log="$d/logs/planner.log"
expect_eq "downgrade (no --allow-downloads): the route's own download only" 1 "$(grep -c '^hf' "$d/calls")"
expect_eq "downgrade (no --allow-downloads): one server, never replaced" 1 "$(servers "$d/calls" | wc -l | tr -d ' ')"
expect_eq "downgrade (no --allow-downloads): each rung logged as skipped" "$(grep -c '^RUNG_SKIP' "$d/run.sh")" \
  "$(count "$log" "the script was generated without --allow-downloads")"
expect_line "downgrade (no --allow-downloads): then the ladder is exhausted" "$log" \
  "watchdog: downgrade_model: nothing left to step down to; the watchdog logs from now on and does not act"

generate downgrade "$fixtures/downgrade.yaml" --allow-downloads --force
mkdir -p "$d/llama.cpp" && : >"$d/llama.cpp/convert_hf_to_gguf.py"
rm -f "$d/state/nvidia-smi.n"
: >"$log"
run downgrade PLANNER_WATCH_ROUNDS=3 LLAMA_CPP_DIR="$d/llama.cpp"
expect_eq "downgrade: run exits 0" 0 $?
expect_eq "downgrade: no rung skipped with --allow-downloads" 0 "$(grep -c '^RUNG_SKIP' "$d/run.sh")"
m=models/general
expect_eq "downgrade: Q6_K (a prebuilt GGUF) on the first crossing, Q5_K_M (converted) on the second" \
  "hf [download] [--include] [*Q8_0*.gguf] [--include] [*q8_0*.gguf] [--local-dir] [$m] [--] [bartowski/Qwen2.5-7B-Instruct-GGUF]
llama-server [-m] [$m/Stub-Model-q8_0.gguf] [-c] [8192] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8080]
hf [download] [--include] [*Q6_K*.gguf] [--include] [*q6_k*.gguf] [--local-dir] [$m-qwen2.5-7b-instruct-Q6_K] [--] [bartowski/Qwen2.5-7B-Instruct-GGUF]
llama-server stopped 8080
llama-server [-m] [$m-qwen2.5-7b-instruct-Q6_K/Stub-Model-q6_k.gguf] [-c] [8192] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8080]
hf [download] [--local-dir] [$m-qwen2.5-7b-instruct-Q5_K_M/hf] [--] [Qwen/Qwen2.5-7B-Instruct]
python3 [$d/llama.cpp/convert_hf_to_gguf.py] [$m-qwen2.5-7b-instruct-Q5_K_M/hf] [--outfile] [$m-qwen2.5-7b-instruct-Q5_K_M/qwen2.5-7b-instruct-f16.gguf] [--outtype] [f16]
llama-quantize [$m-qwen2.5-7b-instruct-Q5_K_M/qwen2.5-7b-instruct-f16.gguf] [$m-qwen2.5-7b-instruct-Q5_K_M/qwen2.5-7b-instruct-Q5_K_M.gguf] [Q5_K_M]
llama-server stopped 8080
llama-server [-m] [$m-qwen2.5-7b-instruct-Q5_K_M/qwen2.5-7b-instruct-Q5_K_M.gguf] [-c] [8192] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8080]
llama-server stopped 8080" "$(cat "$d/calls")"
expect_eq "downgrade: the ladder: smaller quantizations, then smaller models of the task" \
  "RUNG_LABEL[1]='qwen2.5-7b-instruct Q6_K, 8192 tokens of context, 6.81 GiB estimated'
RUNG_LABEL[2]='qwen2.5-7b-instruct Q5_K_M, 8192 tokens of context, 6.06 GiB estimated'
RUNG_LABEL[3]='qwen2.5-7b-instruct Q4_K_M, 8192 tokens of context, 5.35 GiB estimated'
RUNG_LABEL[4]='phi-3-mini-4k-instruct Q5_K_M, 4096 tokens of context, 4.39 GiB estimated'
RUNG_LABEL[5]='qwen3-4b Q5_K_M, 8192 tokens of context, 4.36 GiB estimated'" "$(grep '^RUNG_LABEL\[' "$d/run.sh")"
expect_line "downgrade: the switch is logged" "$log" \
  "watchdog: downgrade_model: route general now runs qwen2.5-7b-instruct Q6_K, 8192 tokens of context, 6.81 GiB estimated (pid $(grep -o 'now runs qwen2.5-7b-instruct Q6_K.*(pid [0-9]*' "$log" | grep -o '[0-9]*$'))"

# --- unload_model: the least recently used route's server is stopped ------------------------
generate unload "$fixtures/unload.yaml"
d="$work/unload"
meminfo "$d/meminfo"
: >"$d/calls"
(cd / && env PATH="$stubs:$PATH" STUB_CALLS="$d/calls" STUB_STATE="$d/state" PLANNER_OS=Linux \
  PLANNER_MEMINFO="$d/meminfo" PLANNER_PSI="$pressure/psi-calm.txt" PLANNER_WATCH_INTERVAL=0.1 \
  PLANNER_HEALTH_TIMEOUT=20 PLANNER_COOLDOWN=0 bash "$d/run.sh") >"$d/out" 2>&1 &
pid=$!
log="$d/logs/planner.log"
echo "4915, 24576" >"$d/state/nvidia-smi.now"  # 20 %
# wait_for WHAT COMMAND...: polls COMMAND for up to 30 s.
wait_for() {
  local what=$1
  shift
  for _ in $(seq 300); do
    "$@" 2>/dev/null && return 0
    sleep 0.1
  done
  fail "unload: timed out waiting for $what" "$(cat "$log" 2>/dev/null)"
  return 1
}
wait_for "serving" grep -q "serving; watchdog" "$log"
# code (started first) answers a request: creative is now the least recently used.
: >"$d/state/use-8080"
wait_for "the request" test ! -e "$d/state/use-8080"
echo "22118, 24576" >"$d/state/nvidia-smi.now"  # 90 %
wait_for "the first unload" grep -q "unload_model: stopping route" "$log"
expect_line "unload: the least recently used route is stopped (creative, not the first started)" "$log" \
  "watchdog: unload_model: stopping route creative (pid $(sed -n 's/.*starting creative.*//p' /dev/null)$(grep -o 'stopping route creative (pid [0-9]*' "$log" | grep -o '[0-9]*$')), the least recently used"
echo "12288, 24576" >"$d/state/nvidia-smi.now"  # 50 %: re-armed
wait_for "re-arming" grep -q "re-armed" "$log"
echo "22118, 24576" >"$d/state/nvidia-smi.now"
wait_for "the second unload" grep -q "stopping route code" "$log"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill "$pid" 2>/dev/null && fail "unload: the run did not end with no route left"
wait "$pid"
expect_eq "unload: the run ends once no route is left (exit 0)" 0 $?
expect_eq "unload: creative stopped first, then code" "llama-server stopped 8081
llama-server stopped 8080" "$(grep 'stopped' "$d/calls")"
expect_eq "unload: two crossings, two unloads" 2 "$(count "$log" "unload_model: stopping route")"

# --- notify: a log line and notify-send, once per crossing ----------------------------------
generate notify "$fixtures/notify.yaml"
d="$work/notify"
meminfo "$d/meminfo"
gpu notify 90 91 92
run notify PLANNER_WATCH_ROUNDS=3
expect_eq "notify: run exits 0" 0 $?
expect_eq "notify: notify-send once for one crossing" \
  "notify-send [planner] [memory pressure 0.900 is at or above the threshold 0.75]" "$(grep '^notify-send' "$d/calls")"
expect_eq "notify: no server restarted" 1 "$(servers "$d/calls" | wc -l | tr -d ' ')"

# macOS: vm_stat when memory_pressure is not there, osascript for the notification.
d="$work/mac"
mkdir -p "$d/state"
cp "$src/tests/cli/launch/mlx-mac.yaml" "$d/c.yaml"
"$planner" script "$d/c.yaml" -o "$d/run.sh" 2>/dev/null
# A server that never answers /health: four polls in the first second, then one a second until
# PLANNER_HEALTH_TIMEOUT (2 s: 4 + 1 sleeps, 6 polls), then the run stops, saying so.
generate never "$fixtures/truncate.yaml"
meminfo "$work/never/meminfo"
run never PLANNER_HEALTH_TIMEOUT=2 STUB_NEVER_LISTEN=1
expect_eq "never healthy: run exits 1" 1 $?
expect_line "never healthy: the log says why" "$work/never/logs/planner.log" "error: code: not healthy after 2s"
expect_eq "never healthy: polled 6 times" 6 "$(grep -c '/health' "$work/never/state/curl.log")"
expect_eq "never healthy: the server it started is stopped" 1 "$(grep -c '^llama-server stopped 8080' "$work/never/calls")"

# 0.500 in use for the six validation prompts and the first reading, then 0.900.
printf '469430\n469430\n469430\n469430\n469430\n469430\n469430\n50000\n' >"$d/state/vm_stat.seq"
: >"$d/calls"
(cd / && env PATH="$stubs:$PATH" STUB_CALLS="$d/calls" STUB_STATE="$d/state" PLANNER_OS=Darwin STUB_MEMSIZE=17179869184 \
  STUB_WIRED=12288 PLANNER_MEMORY_PRESSURE=/nonexistent/memory_pressure PLANNER_NVIDIA_SMI=/nonexistent/nvidia-smi \
  PLANNER_WATCH_INTERVAL=0.05 PLANNER_WATCH_ROUNDS=2 PLANNER_COOLDOWN=0 bash "$d/run.sh") >"$d/out" 2>&1
expect_eq "mac: run exits 0" 0 $?
expect_line "mac: vm_stat's free + inactive + speculative pages: 0.500 in use" "$d/logs/inference.log" \
  "watchdog: memory pressure 0.500 (RAM 0.500; threshold 0.7)"
expect_line "mac: 0.900 crosses 0.7" "$d/logs/inference.log" "watchdog: memory pressure 0.900 >= 0.7 (RAM 0.900): notify"
expect_eq "mac: osascript shows the notification" \
  "osascript [-e] [display notification \"memory pressure 0.900 is at or above the threshold 0.7\" with title \"planner\"]" \
  "$(grep '^osascript' "$d/calls")"

finish
