#!/usr/bin/env bash
# Measures what llama-server allocates on one CUDA GPU, case by case (bench/accuracy/README.md,
# section "llama-server on an NVIDIA GPU"). Bench tool for the device machine, not a test.
#
# Usage: gpu_measure.sh SRC_TAR WORK OUT CASES [DEADLINE_S]
#   SRC_TAR  llama.cpp source as a tar.xz with a top folder llama.cpp/ (git archive of the commit
#            in node-llama-cpp's llama/gitRelease.bundle)
#   WORK     scratch folder: build, sparse models, raw logs; a build already there is reused, and a
#            case whose log is complete is not run again
#   OUT      where build.log, machine.txt, models.txt and gpu-logs.tar.gz are written
#   CASES    one case a line: NAME|MODEL_ID|CONTEXT|FLAGS (FLAGS split on spaces; '#' starts a comment)
#   DEADLINE_S  seconds after which no new case starts (default 540), so the call ends inside its limit
# REPO (default: two folders up from this script) is where bench/accuracy/make_gguf.py and data/ are.
# LLAMA_PATCH (optional): a patch applied to the source before the build (-p1 from llama.cpp/), e.g.
#   bench/accuracy/alloc-trace/ggml-alloc-trace.patch, the allocator trace of bench/accuracy/offload.md.
set -u
src=$1 work=$2 out=$3 cases=$4 deadline=${5:-540}
here=$(cd "$(dirname "$0")" && pwd)
repo=${REPO:-$here/../..}
bin=$work/build/bin/llama-server
logs=$work/logs
models=$work/models
mkdir -p "$work" "$out" "$logs" "$models"

smi_used() { nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1 | tr -d ' '; }
# Every GPU's, as "0=MiB 1=MiB ..." (several GPUs: multi_gpu.sh).
smi_used_all() {
  nvidia-smi --query-gpu=index,memory.used --format=csv,noheader,nounits | tr -d ' ' | tr ',' '=' | paste -sd' ' -
}

{
  date -u
  nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version --format=csv
  nvcc --version | tail -2
  cmake --version | head -1
  python3 --version
  nproc
  free -m
} > "$out/machine.txt" 2>&1

if [ ! -x "$bin" ]; then
  t=$SECONDS
  rm -rf "$work/llama.cpp" && tar -xJf "$src" -C "$work" || exit 1
  if [ -n "${LLAMA_PATCH:-}" ]; then
    patch -p1 -d "$work/llama.cpp" < "$LLAMA_PATCH" > "$out/patch.log" 2>&1 || { cat "$out/patch.log"; exit 1; }
  fi
  # Prebuilt web UI would be fetched from the network, which the device machine cannot reach.
  if ! cmake -S "$work/llama.cpp" -B "$work/build" -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 \
    -DLLAMA_CURL=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=Release > "$out/build.log" 2>&1 ||
    ! cmake --build "$work/build" --target llama-server -j16 >> "$out/build.log" 2>&1; then
    tail -40 "$out/build.log"
    exit 1
  fi
  echo "built llama-server in $((SECONDS - t)) s"
fi
"$bin" --version >> "$out/machine.txt" 2>&1

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

run_case() {  # NAME MODEL CTX FLAGS PORT
  local name=$1 model=$2 ctx=$3 flags=$4 port=$5 log=$logs/$1.log pid i
  echo "### case $name model=$model ctx=$ctx flags=$flags" > "$log"
  echo "### nvidia-smi memory.used MiB before: $(smi_used)" >> "$log"
  echo "### nvidia-smi memory.used MiB per GPU before: $(smi_used_all)" >> "$log"
  # -lv 4: llama.cpp's own INFO lines (buffer sizes) and the memory breakdown table are logged at
  # the server's TRACE level (common/log.cpp common_log_get_verbosity; LOG_TRC in common/fit.cpp),
  # which the default verbosity 3 drops.
  # shellcheck disable=SC2086  # FLAGS is a list of arguments
  "$bin" -m "$models/$model.q4_k_m.gguf" -c "$ctx" --fit off --no-warmup -lv 4 \
    --host 127.0.0.1 --port "$port" $flags >> "$log" 2>&1 &
  pid=$!
  for ((i = 0; i < 600; i++)); do
    health "$port" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"
    echo "### server exited before /health, rc $?" >> "$log"
    echo "### done" >> "$log"
    return
  fi
  sleep 1  # idle: no request has been sent
  {
    echo "### loaded after $((i / 2)) s"
    echo "### nvidia-smi memory.used MiB: $(smi_used)"
    echo "### nvidia-smi memory.used MiB per GPU: $(smi_used_all)"
    echo "### nvidia-smi compute-apps (pid, MiB): $(nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits | tr '\n' ';')"
    grep -E '^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem):' "/proc/$pid/status" | sed 's/^/### proc /'
  } >> "$log"
  kill -INT "$pid"  # the server prints llama.cpp's memory breakdown table as it shuts down
  for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { echo "### killed (no exit after SIGINT)" >> "$log"; kill -KILL "$pid"; }
  wait "$pid"
  echo "### exit rc $?" >> "$log"
  echo "### done" >> "$log"
}

port=8100
while IFS='|' read -r name model ctx flags; do
  name=${name%%#*}
  [ -z "${name// /}" ] && continue
  port=$((port + 1))
  if grep -q '^### done' "$logs/$name.log" 2>/dev/null; then continue; fi
  if ((SECONDS > deadline)); then echo "not run (deadline): $name"; continue; fi
  t=$SECONDS
  run_case "$name" "$model" "$ctx" "$flags" "$port"
  printf '%-34s %4d s  smi %s MiB\n' "$name" $((SECONDS - t)) \
    "$(sed -n 's/^### nvidia-smi memory.used MiB: //p' "$logs/$name.log")"
  # written whole then renamed, so a call stopped at its limit still returns a readable archive
  tar -czf "$out/.gpu-logs.tmp" -C "$logs" . && mv "$out/.gpu-logs.tmp" "$out/gpu-logs.tar.gz"
done < "$cases"
tar -czf "$out/gpu-logs.tar.gz" -C "$logs" .
echo "cases complete: $(grep -l '^### done' "$logs"/*.log | wc -l)"
