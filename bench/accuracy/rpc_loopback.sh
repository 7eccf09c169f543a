#!/usr/bin/env bash
# Issue 15 item 6: llama.cpp's RPC split measured on one machine. Two ggml-rpc-server processes on
# 127.0.0.1 (CPU backend) and llama-server --rpc serving a sparse zero-weight GGUF through them; each
# case's log holds llama-server's own buffer lines and memory breakdown (one row per RPC device),
# each rpc-server's allocations (GGML_RPC_DEBUG alloc_buffer lines) and the three processes' RSS.
# Bench tool, not a test (bench/accuracy/README.md, "llama.cpp RPC on loopback").
#
# Usage: rpc_loopback.sh BIN WORK OUT CASES [DEADLINE_S]
#   BIN    llama.cpp's build/bin with ggml-rpc-server and llama-server (cmake -DGGML_RPC=ON; the
#          README's "Reproduce" builds it from node-llama-cpp's llama/gitRelease.bundle)
#   WORK   scratch folder: sparse models and raw logs; a case whose log is complete is not run again
#   OUT    where machine.txt, models.txt and rpc-logs.tar.gz are written
#   CASES  one case a line: NAME|MODEL_ID|CONTEXT|FLAGS (FLAGS split on spaces; '#' starts a comment)
#   DEADLINE_S  seconds after which no new case starts (default 540)
# REPO (default: two folders up from this script) is where bench/accuracy/make_gguf.py and data/ are.
set -u
if [ $# -lt 4 ]; then
  echo "usage: $0 BIN WORK OUT CASES [DEADLINE_S]" >&2
  exit 2
fi
bin=$1 work=$2 out=$3 cases=$4 deadline=${5:-540}
here=$(cd "$(dirname "$0")" && pwd)
repo=${REPO:-$here/../..}
logs=$work/logs
models=$work/models
mkdir -p "$work" "$out" "$logs" "$models"
for b in ggml-rpc-server llama-server; do
  [ -x "$bin/$b" ] || { echo "rpc_loopback.sh: no $bin/$b" >&2; exit 1; }
done

{
  date -u
  uname -m
  nproc
  free -m
  "$bin/llama-server" --version
} > "$out/machine.txt" 2>&1

# shellcheck disable=SC2046  # one argument per model id
python3 "$repo/bench/accuracy/make_gguf.py" --out "$models" \
  $(grep -v '^#' "$cases" | cut -d'|' -f2 | sort -u) > "$out/models.txt" || exit 1

# One HTTP GET of /health over bash's /dev/tcp (no curl needed); true on status 200.
health() {
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  local line=""
  IFS= read -r -t 5 line <&3
  exec 3<&-
  [[ $line == *" 200"* ]]
}

listening() { { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null && exec 3<&-; }

rss() {  # PID LABEL: the process's memory lines from /proc
  grep -E '^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem):' "/proc/$1/status" 2>/dev/null | sed "s/^/### proc $2 /"
}

stop() {  # PID SIGNAL LABEL LOG
  local i
  kill "-$2" "$1" 2>/dev/null
  for ((i = 0; i < 120; i++)); do kill -0 "$1" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$1" 2>/dev/null && { echo "### $3 killed (no exit after SIG$2)" >> "$4"; kill -KILL "$1"; }
  wait "$1"
  echo "### $3 exit rc $?" >> "$4"
}

run_case() {  # NAME MODEL CTX FLAGS PORT
  local name=$1 model=$2 ctx=$3 flags=$4 port=$5 log=$logs/$1.log pid i r
  local p0=$((port + 1000)) p1=$((port + 2000)) rpc0 rpc1
  echo "### case $name model=$model ctx=$ctx flags=$flags" > "$log"
  # GGML_RPC_DEBUG: each server logs its alloc_buffer calls (size and the buffer's remote pointer).
  GGML_RPC_DEBUG=1 "$bin/ggml-rpc-server" -H 127.0.0.1 -p "$p0" > "$logs/$name.rpc0.raw" 2>&1 &
  rpc0=$!
  GGML_RPC_DEBUG=1 "$bin/ggml-rpc-server" -H 127.0.0.1 -p "$p1" > "$logs/$name.rpc1.raw" 2>&1 &
  rpc1=$!
  for ((i = 0; i < 60; i++)); do listening "$p0" && listening "$p1" && break; sleep 0.5; done
  {
    echo "### rpc0 127.0.0.1:$p0 pid $rpc0, rpc1 127.0.0.1:$p1 pid $rpc1"
    rss "$rpc0" "rpc0 idle"
    rss "$rpc1" "rpc1 idle"
    echo "### command: llama-server -m $model.q4_k_m.gguf -c $ctx --fit off -lv 4 -ngl 99 -np 1" \
      "--rpc 127.0.0.1:$p0,127.0.0.1:$p1 $flags"
  } >> "$log"
  # -lv 4: llama.cpp's buffer lines and the memory breakdown table are at the server's TRACE level.
  # shellcheck disable=SC2086  # FLAGS is a list of arguments
  "$bin/llama-server" -m "$models/$model.q4_k_m.gguf" -c "$ctx" --fit off -lv 4 -ngl 99 -np 1 \
    --rpc "127.0.0.1:$p0,127.0.0.1:$p1" --host 127.0.0.1 --port "$port" $flags >> "$log" 2>&1 &
  pid=$!
  for ((i = 0; i < 1200; i++)); do
    health "$port" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    sleep 1  # idle after the warmup: no request has been sent
    {
      echo "### loaded after $((i / 2)) s"
      rss "$pid" "head"
      rss "$rpc0" "rpc0"
      rss "$rpc1" "rpc1"
    } >> "$log"
    stop "$pid" INT llama-server "$log"  # the server prints the memory breakdown as it shuts down
  else
    wait "$pid"
    echo "### server exited before /health, rc $?" >> "$log"
  fi
  stop "$rpc0" TERM rpc0 "$log"
  stop "$rpc1" TERM rpc1 "$log"
  # Each server's own lines: the start banner, device memory and buffer allocations (the per-tensor
  # and per-graph debug lines are dropped).
  for r in rpc0 rpc1; do
    grep -vE '^\[(set_tensor|get_tensor|graph_compute|copy_tensor|init_tensor|buffer_get_base|graph_recompute|set_tensor_hash)\]' \
      "$logs/$name.$r.raw" > "$logs/$name.$r.log"
    rm -f "$logs/$name.$r.raw"
  done
  echo "### done" >> "$log"
}

port=8200
while IFS='|' read -r name model ctx flags; do
  name=${name%%#*}
  [ -z "${name// /}" ] && continue
  port=$((port + 1))
  if grep -q '^### done' "$logs/$name.log" 2>/dev/null; then continue; fi
  if ((SECONDS > deadline)); then echo "not run (deadline): $name"; continue; fi
  t=$SECONDS
  run_case "$name" "$model" "$ctx" "$flags" "$port"
  printf '%-30s %4d s\n' "$name" $((SECONDS - t))
  tar -czf "$out/.rpc-logs.tmp" -C "$logs" . && mv "$out/.rpc-logs.tmp" "$out/rpc-logs.tar.gz"
done < "$cases"
tar -czf "$out/rpc-logs.tar.gz" -C "$logs" .
echo "cases complete: $(grep -l '^### done' "$logs"/*.log | wc -l)"
