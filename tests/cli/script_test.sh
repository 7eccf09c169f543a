#!/usr/bin/env bash
# End-to-end tests of `planner launch` and `planner script`: the generated run scripts are run
# against the stub tools in tests/cli/stubs/ (first on PATH), which record their argv.
# Usage: script_test.sh PLANNER_BINARY SOURCE_DIR. Prints "N passed, M failed".
set -uo pipefail
planner=${1:?usage: script_test.sh PLANNER_BINARY SOURCE_DIR}
src=$(cd "${2:?usage: script_test.sh PLANNER_BINARY SOURCE_DIR}" && pwd)
planner="$(cd "$(dirname "$planner")" && pwd)/$(basename "$planner")"
stubs="$src/tests/cli/stubs"
fixtures="$src/tests/cli/launch"
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); }
bad() {
  failed=$((failed + 1))
  echo "FAIL: $*"
}
# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
  if [ "$2" = "$3" ]; then ok; else
    bad "$1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -30
  fi
}
# expect_line NAME FILE LINE: FILE holds LINE exactly.
expect_line() {
  if grep -qxF -- "$3" "$2"; then ok; else
    bad "$1: no line '$3' in $2"
    head -40 "$2"
  fi
}
expect_contains() {
  if grep -qF -- "$3" "$2"; then ok; else
    bad "$1: '$3' not in $2"
    head -40 "$2"
  fi
}

# run_script DIR SCRIPT: runs SCRIPT from / with the stubs first on PATH; env from the caller.
run_script() {
  local dir=$1 script=$2
  mkdir -p "$dir/state"
  : >"$dir/calls"
  (cd / && PATH="$stubs:$PATH" STUB_CALLS="$dir/calls" STUB_STATE="$dir/state" PLANNER_RUN_ONCE=1 \
    PLANNER_PSI=/nonexistent PLANNER_NVIDIA_SMI=/nonexistent/nvidia-smi PLANNER_WATCH_INTERVAL=0 PLANNER_HEALTH_TIMEOUT=20 bash "$script") >"$dir/out" 2>&1
}

# meminfo FILE TOTAL_KIB AVAILABLE_KIB
meminfo() { printf 'MemTotal:       %s kB\nMemFree:        1 kB\nMemAvailable:   %s kB\n' "$2" "$3" >"$1"; }

# --- planner launch: the gate ------------------------------------------------------------
seed="$src/examples/seed/local-inference-config.yaml"
"$planner" launch "$seed" >"$tmp/seed.out" 2>"$tmp/seed.err"
expect_eq "launch refuses a config with errors (exit 1)" 1 $?
expect_contains "the refusal names the errors" "$tmp/seed.err" "[LI014]"
expect_contains "the refusal offers --force" "$tmp/seed.err" "--force makes them anyway"
expect_eq "nothing on stdout when refused" "" "$(cat "$tmp/seed.out")"

"$planner" launch --force "$seed" >"$tmp/seed.out" 2>"$tmp/seed.err"
expect_eq "launch --force exits 0" 0 $?
# 16 GiB RAM less the 22 % OS reserve = 12779.52 MiB: the wired limit leaves the OS its share.
expect_line "seed: wired limit from the budget" "$tmp/seed.out" "sudo sysctl iogpu.wired_limit_mb=12779"
expect_line "seed: creative (4th route) on port 8083" "$tmp/seed.out" \
  "llama-server -m \"\$model_file_3\" -c 8192 -ngl all -fa auto -ctk f16 -ctv f16 --host 127.0.0.1 --port 8083"
expect_line "seed: MLX serve of the real model behind 'deepseek-coder-v2-7b'" "$tmp/seed.out" \
  "mlx_lm.server --model $src/examples/seed/models/code --host 127.0.0.1 --port 8080"
if grep -q -- "--gpu-memory-utilization\|--max-kv-size\|--kv-bits" "$tmp/seed.out"; then
  bad "seed: a flag mlx_lm.server does not have"
else ok; fi

"$planner" launch --route nope "$fixtures/mlx-mac.yaml" >/dev/null 2>"$tmp/route.err"
expect_eq "unknown --route exits 2" 2 $?
"$planner" launch --route reasonin "$fixtures/mlx-mac.yaml" >/dev/null 2>"$tmp/route.err"
expect_contains "unknown --route suggests the nearest" "$tmp/route.err" "did you mean 'reasoning'?"
"$planner" launch --force "$src/examples/broken/01-malformed-yaml.yaml" >/dev/null 2>&1
expect_eq "--force cannot launch a file that does not load" 1 $?

# --- planner launch: commands ------------------------------------------------------------
(cd "$fixtures" && "$planner" launch --route reasoning mlx-mac.yaml) >"$tmp/mac.out" 2>&1
expect_eq "launch --route exits 0" 0 $?
expect_line "mac: 8-bit has no prebuilt conversion, so convert" "$tmp/mac.out" \
  "mlx_lm.convert --hf-path Qwen/Qwen2.5-7B --mlx-path models/reasoning -q --q-bits 8 --q-group-size 64"
expect_line "mac: --route keeps the route's port (index 1)" "$tmp/mac.out" \
  "mlx_lm.server --model models/reasoning --host 127.0.0.1 --port 8081"
expect_line "mac: gpu_wired_limit_gb 12 above the default -> 12288 MiB" "$tmp/mac.out" \
  "sudo sysctl iogpu.wired_limit_mb=12288"
if grep -q "route code" "$tmp/mac.out"; then bad "--route printed another route"; else ok; fi

"$planner" launch --format json "$fixtures/gguf-linux.yaml" >"$tmp/gguf.json" 2>&1
expect_eq "launch --format json exits 0" 0 $?
expect_contains "json: the quantize step in INPUT OUTPUT TYPE order" "$tmp/gguf.json" \
  "\"command\": \"llama-quantize $fixtures/models/quick_qa/smollm3-3b-f16.gguf $fixtures/models/quick_qa/smollm3-3b-Q4_K_M.gguf Q4_K_M\""
expect_contains "json: each step cites its source" "$tmp/gguf.json" "tools/quantize/quantize.cpp:123-126"
if grep -q '"wired_limit": null' "$tmp/gguf.json"; then ok; else bad "json: no wired limit off Apple silicon"; fi

# --- planner script: GGUF on Linux, end to end -------------------------------------------
w="$tmp/gguf"
mkdir -p "$w/cfg" "$w/run" "$w/llama.cpp"
cp "$fixtures/gguf-linux.yaml" "$w/cfg/"
: >"$w/llama.cpp/convert_hf_to_gguf.py"
"$planner" script "$w/cfg/gguf-linux.yaml" -o "$w/run/run.sh" 2>"$w/gen.err"
expect_eq "script exits 0" 0 $?
expect_eq "script mode 0755" 755 "$(stat -c %a "$w/run/run.sh" 2>/dev/null || stat -f %Lp "$w/run/run.sh")"
expect_eq "no temporary file left" "run.sh" "$(ls "$w/run")"
"$planner" script "$w/cfg/gguf-linux.yaml" -o "$w/no/such/dir/run.sh" 2>"$w/gen.err"
expect_eq "script into a missing directory exits 2" 2 $?
expect_contains "and says why" "$w/gen.err" "cannot write"
meminfo "$w/meminfo" 67108864 33554432  # 64 GiB, half available: below the 0.75 threshold
PLANNER_OS=Linux PLANNER_MEMINFO="$w/meminfo" LLAMA_CPP_DIR="$w/llama.cpp" run_script "$w" "$w/run/run.sh"
expect_eq "gguf run exits 0" 0 $?
m=../cfg/models
expected="hf [download] [--include] [*Q4_K_M*.gguf] [--include] [*q4_k_m*.gguf] [--local-dir] [$m/code] [--] [bartowski/Qwen2.5-7B-Instruct-GGUF]
hf [download] [--local-dir] [$m/quick_qa/hf] [--] [HuggingFaceTB/SmolLM3-3B]
python3 [$w/llama.cpp/convert_hf_to_gguf.py] [$m/quick_qa/hf] [--outfile] [$m/quick_qa/smollm3-3b-f16.gguf] [--outtype] [f16]
llama-quantize [$m/quick_qa/smollm3-3b-f16.gguf] [$m/quick_qa/smollm3-3b-Q4_K_M.gguf] [Q4_K_M]
hf [download] [--include] [*Q4_K_M*.gguf] [--include] [*q4_k_m*.gguf] [--local-dir] [$m/creative] [--] [MaziyarPanahi/Mistral-7B-Instruct-v0.3-GGUF]
llama-server [-m] [$m/quick_qa/smollm3-3b-Q4_K_M.gguf] [-c] [4096] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8081]
llama-server stopped 8081
llama-server [-m] [$m/code/Stub-Model-q4_k_m.gguf] [-c] [8192] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8080]
llama-server [-m] [$m/creative/Stub-Model-q4_k_m.gguf] [-c] [8192] [-ngl] [all] [-fa] [on] [-ctk] [q8_0] [-ctv] [q8_0] [--host] [127.0.0.1] [--port] [8082]
llama-server stopped 8080
llama-server stopped 8082"
expect_eq "gguf: the stubs got exactly these argv, in this order" "$expected" "$(cat "$w/calls")"
logdir="$w/cfg/logs dir/it's \$(touch pwned) \`id\`"
for r in code quick_qa creative; do
  if [ -s "$logdir/$r.log" ]; then ok; else bad "gguf: no server log $logdir/$r.log"; fi
done
expect_contains "gguf: server output in its log" "$logdir/code.log" "llama-server stub listening on 127.0.0.1:8080"
expect_eq "gguf: three validation prompts per route" 9 "$(grep -c "tokens in 0.50 s = 40.0 tokens/s" "$logdir/inference.log")"
expect_eq "gguf: the prompts went to /v1/chat/completions" 9 "$(grep -c "/v1/chat/completions {\"messages\"" "$w/state/curl.log")"
expect_contains "gguf: watchdog ran below the threshold" "$logdir/inference.log" "watchdog: memory pressure 0.500 (RAM 0.500; threshold 0.75)"
expect_eq "gguf: every server stopped (no port marked listening)" "" "$(find "$w/state" -name 'port-*')"
expect_eq "gguf: \$(...) and backquotes in the config stayed inert" "" "$(find "$tmp" / -maxdepth 1 -name pwned 2>/dev/null; find "$tmp" -name pwned)"

# Second run: pressure above the threshold -> unload_model; conversions are not redone.
meminfo "$w/meminfo" 67108864 6710886  # 90 % in use
PLANNER_OS=Linux PLANNER_MEMINFO="$w/meminfo" LLAMA_CPP_DIR="$w/llama.cpp" run_script "$w" "$w/run/run.sh"
expect_eq "gguf rerun exits 0" 0 $?
if grep -q "^python3\|^llama-quantize" "$w/calls"; then bad "rerun redid a conversion"; else ok; fi
expect_contains "unload_model acts at 0.9 >= 0.75" "$logdir/inference.log" \
  "watchdog: memory pressure 0.900 >= 0.75 (RAM 0.900): unload_model"
expect_contains "unload_model stops the least recently used route (code, started first)" "$logdir/inference.log" \
  "watchdog: unload_model: stopping route code (pid"
expect_eq "rerun: every server stopped" "" "$(find "$w/state" -name 'port-*')"

# Missing tool: the preflight stops before anything runs.
PLANNER_OS=Linux PLANNER_MEMINFO="$w/meminfo" run_script "$w" "$w/run/run.sh"
expect_eq "without LLAMA_CPP_DIR the preflight fails" 1 $?
expect_contains "preflight says why" "$w/out" "set LLAMA_CPP_DIR"
expect_eq "preflight failure ran nothing" "" "$(cat "$w/calls")"

# --- planner script: MLX on macOS (stubbed sysctl / memory_pressure) -----------------------
w="$tmp/mac"
mkdir -p "$w"
cp "$fixtures/mlx-mac.yaml" "$w/"
"$planner" script "$w/mlx-mac.yaml" -o "$w/run.sh" 2>/dev/null
STUB_MEMSIZE=17179869184 STUB_WIRED=0 PLANNER_OS=Darwin run_script "$w" "$w/run.sh"
expect_eq "mac: the default wired limit stops the preflight" 1 $?
expect_contains "mac: preflight prints the sysctl line" "$w/out" "sudo sysctl iogpu.wired_limit_mb=12288"
STUB_MEMSIZE=17179869184 STUB_WIRED=12288 STUB_FREE_PCT=60 PLANNER_OS=Darwin run_script "$w" "$w/run.sh"
expect_eq "mac: raised limit -> run exits 0" 0 $?
expected="sysctl [-n] [hw.memsize]
sysctl [-n] [iogpu.wired_limit_mb]
mlx_lm.convert [--hf-path] [deepseek-ai/DeepSeek-V2-Lite] [--mlx-path] [models/code] [-q] [--q-bits] [4] [--q-group-size] [64]
mlx_lm.convert [--hf-path] [Qwen/Qwen2.5-7B] [--mlx-path] [models/reasoning] [-q] [--q-bits] [8] [--q-group-size] [64]
mlx_lm.server [--model] [models/reasoning] [--host] [127.0.0.1] [--port] [8081]
mlx_lm.server stopped 8081
mlx_lm.server [--model] [models/code] [--host] [127.0.0.1] [--port] [8080]
mlx_lm.server stopped 8080"
expect_eq "mac: the stubs got exactly these argv" "$expected" "$(cat "$w/calls")"
expect_contains "mac: memory_pressure read (60 % free = 0.400 in use)" "$w/logs/inference.log" \
  "watchdog: memory pressure 0.400 (RAM 0.400; threshold 0.7)"

# Without PLANNER_RUN_ONCE the script serves until signalled; TERM stops what it started.
: >"$w/calls"
(cd / && PATH="$stubs:$PATH" STUB_CALLS="$w/calls" STUB_STATE="$w/state" STUB_MEMSIZE=17179869184 STUB_WIRED=12288 \
  PLANNER_OS=Darwin PLANNER_NVIDIA_SMI=/nonexistent/nvidia-smi PLANNER_WATCH_INTERVAL=1 exec bash "$w/run.sh") >"$w/out" 2>&1 &
pid=$!
for _ in $(seq 120); do
  grep -q "watchdog: memory pressure" "$w/out" && break
  sleep 0.5
done
expect_eq "mac: serving until signalled (port 8080 listening)" "$w/state/port-8080" "$(find "$w/state" -name 'port-*')"
kill -TERM "$pid"
wait "$pid"
expect_eq "mac: TERM -> exit 143" 143 $?
expect_eq "mac: TERM stopped the server" "" "$(find "$w/state" -name 'port-*')"
expect_line "mac: the stub saw its SIGTERM" "$w/calls" "mlx_lm.server stopped 8080"

# --- script -o: never over a file without --force, never over the config, - is stdout ---------
w="$tmp/out"
mkdir -p "$w"
cp "$fixtures/gguf-linux.yaml" "$w/c.yaml"
cp "$w/c.yaml" "$w/c.orig"
mode_of() { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }
printf 'precious\n' >"$w/run.sh"
chmod 0600 "$w/run.sh"
"$planner" script "$w/c.yaml" -o "$w/run.sh" 2>"$w/err"
expect_eq "an existing file without --force: exit 2" 2 $?
expect_eq "the refusal is one line naming the file" "planner: error: cannot write '$w/run.sh': exists; use --force to replace it" "$(cat "$w/err")"
expect_eq "the existing file is unchanged" "precious" "$(cat "$w/run.sh")"
"$planner" script --force "$w/c.yaml" -o "$w/run.sh" 2>"$w/err"
expect_eq "--force replaces it: exit 0" 0 $?
expect_contains "--force wrote the script" "$w/run.sh" "Generated by \`planner script\`"
expect_eq "a replaced 0600 file keeps its mode and gains u+x: 0700" 700 "$(mode_of "$w/run.sh")"
chmod 0640 "$w/run.sh"
"$planner" script --force "$w/c.yaml" -o "$w/run.sh" 2>/dev/null
expect_eq "0640 gains an execute bit per read bit: 0750" 750 "$(mode_of "$w/run.sh")"
(umask 077 && "$planner" script "$w/c.yaml" -o "$w/private.sh" 2>/dev/null)
expect_eq "a new script is 0777 less the umask (077: 0700)" 700 "$(mode_of "$w/private.sh")"

ln -s c.yaml "$w/symlink.yaml"
ln "$w/c.yaml" "$w/hardlink.yaml"
for out in "$w/c.yaml" "$w/./c.yaml" "$w/symlink.yaml" "$w/hardlink.yaml"; do
  "$planner" script --force "$w/c.yaml" -o "$out" 2>"$w/err"
  rc=$?
  expect_eq "-o $(basename "$out") is the config itself: exit 2 even with --force" 2 "$rc"
  expect_eq "-o $(basename "$out"): the message" \
    "planner: error: cannot write '$out': it is the config '$w/c.yaml' itself; choose another file" "$(cat "$w/err")"
done
(cd "$w" && "$planner" script --force ./c.yaml -o c.yaml 2>/dev/null)
expect_eq "./c.yaml -o c.yaml: refused" 2 $?
if cmp -s "$w/c.yaml" "$w/c.orig"; then ok; else bad "the config survived every attempt"; fi
expect_eq "the links are still a symlink and a hard link" "symlink:2" \
  "$([ -L "$w/symlink.yaml" ] && echo symlink):$(stat -c %h "$w/c.yaml" 2>/dev/null || stat -f %l "$w/c.yaml")"

(cd "$w" && "$planner" script c.yaml -o - >"$w/stdout.sh" 2>"$w/err")
expect_eq "-o - exits 0" 0 $?
expect_eq "-o - prints the script" "#!/usr/bin/env bash" "$(head -1 "$w/stdout.sh")"
expect_eq "-o - makes no file named -" "" "$(find "$w" -name '-')"
expect_eq "-o - prints no 'wrote' line" "" "$(grep 'planner: wrote' "$w/stdout.sh" "$w/err")"
if cmp -s "$w/stdout.sh" <(cd "$w" && "$planner" script c.yaml -o "$w/same.sh" 2>/dev/null && cat "$w/same.sh"); then ok; else
  bad "-o - prints what -o FILE writes (same directory)"
fi
expect_eq "no temporary file left by any of these" "" "$(find "$w" -name '.planner-*')"

# --- hostile config: values that try to run a command (tests/cli/launch/hostile.yaml) -------
# `planner launch --force | bash` and run.sh must run the intended commands and nothing else.
w="$tmp/hostile"
mkdir -p "$w/cfg" "$w/run" "$w/stubs" "$w/state" "$w/llama.cpp"
: >"$w/llama.cpp/convert_hf_to_gguf.py"
cp "$fixtures/hostile.yaml" "$w/cfg/"
cp "$stubs"/* "$w/stubs/"
# `planner launch | bash` runs the servers in the foreground: here they record their argv and exit.
for s in llama-server mlx_lm.server; do
  # shellcheck disable=SC2016  # the stub's own text, expanded when it runs
  printf '#!/usr/bin/env bash\n. "$(dirname "$0")/_record"\nstub_record "$@"\n' >"$w/stubs/$s"
done
no_controls() { tr -d '\n\t' <"$1" | LC_ALL=C grep -c '[[:cntrl:]]'; }
(cd "$w/run" && "$planner" launch --force ../cfg/hostile.yaml) >"$w/launch.sh" 2>"$w/launch.err"
expect_eq "hostile: launch --force exits 0" 0 $?
bash -n "$w/launch.sh"
expect_eq "hostile: launch output is valid bash (bash -n)" 0 $?
expect_eq "hostile: no raw control character in the launch output" 0 "$(no_controls "$w/launch.sh")"
expect_contains "hostile: the bad hf_repo is named and skipped" "$w/launch.sh" \
  "# skipped: hf_repo '--local-dir=.\\ntouch INJECTED6' is not a Hugging Face repo id"
expect_contains "hostile: the bad gguf_repo is named and skipped" "$w/launch.sh" \
  "# skipped: gguf_repo '-x;touch INJECTED7' is not a Hugging Face repo id"
: >"$w/calls"
(cd "$w/run" && PATH="$w/stubs:$PATH" STUB_CALLS="$w/calls" STUB_STATE="$w/state" LLAMA_CPP_DIR="$w/llama.cpp" \
  bash "$w/launch.sh") >"$w/launch.out" 2>&1
expect_eq "hostile: the launch commands run (exit 0)" 0 $?
m=../cfg/models/chat
f=evil_touch_INJECTED1___touch_INJECTED2__touch_INJECTED3____touch_INJECT-b648b10c
expected="hf [download] [--local-dir] [$m/hf] [--] [org/fine-model]
python3 [$w/llama.cpp/convert_hf_to_gguf.py] [$m/hf] [--outfile] [$m/$f-f16.gguf] [--outtype] [f16]
llama-quantize [$m/$f-f16.gguf] [$m/$f-Q5_K_M.gguf] [Q5_K_M]
llama-server [-m] [$m/$f-Q5_K_M.gguf] [-c] [4096] [-ngl] [all] [-fa] [auto] [-ctk] [f16] [-ctv] [f16] [--host] [127.0.0.1] [--port] [8080]"
expect_eq "hostile: launch ran exactly the intended commands" "$expected" "$(cat "$w/calls")"
expect_eq "hostile: the model files stay in models/chat/" "" "$(find "$w" -name '*.gguf' ! -path "$w/cfg/models/chat/*")"
expect_eq "hostile: no injected command ran (launch | bash)" "" "$(find "$tmp" -name 'INJECTED*')"

"$planner" script --force "$w/cfg/hostile.yaml" -o "$w/run/run.sh" 2>"$w/script.err"
expect_eq "hostile: script --force exits 0" 0 $?
bash -n "$w/run/run.sh"
expect_eq "hostile: run.sh is valid bash (bash -n)" 0 $?
expect_eq "hostile: no raw control character in run.sh" 0 "$(no_controls "$w/run/run.sh")"
expect_line "hostile: logging.output ../.bashrc is not used" "$w/run/run.sh" "LOG_FILE=../cfg/logs/planner.log"
meminfo "$w/meminfo" 67108864 33554432
rm -rf "$w/cfg/models"
PLANNER_OS=Linux PLANNER_MEMINFO="$w/meminfo" LLAMA_CPP_DIR="$w/llama.cpp" run_script "$w" "$w/run/run.sh"
expect_eq "hostile: run.sh exits 0" 0 $?
expect_eq "hostile: no injected command ran (run.sh)" "" "$(find "$tmp" -name 'INJECTED*')"
expect_eq "hostile: nothing written next to the config's directory (../.bashrc)" "" "$(find "$w" -maxdepth 1 -name '.bashrc')"
expect_contains "hostile: the log says why logging.output was not used" "$w/cfg/logs/planner.log" \
  "note: logging.output '../.bashrc' is not used: it leaves the config's directory"
expect_eq "hostile: every log line starts with a timestamp" "" \
  "$(grep -v '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T' "$w/cfg/logs/planner.log")"

# --- planner script: vLLM on Linux, end to end ------------------------------------------
w="$tmp/vllm"
mkdir -p "$w/cfg" "$w/run"
cp "$fixtures/vllm.yaml" "$w/cfg/"
"$planner" script "$w/cfg/vllm.yaml" -o "$w/run/run.sh" 2>"$w/gen.err"
expect_eq "vllm: script exits 0" 0 $?
meminfo "$w/meminfo" 134217728 67108864  # 128 GiB, half available
PLANNER_OS=Linux PLANNER_MEMINFO="$w/meminfo" run_script "$w" "$w/run/run.sh"
expect_eq "vllm run exits 0" 0 $?
m=../cfg/models
expected="hf [download] [--local-dir] [$m/code/hf] [--] [Qwen/Qwen2.5-7B-Instruct]
hf [download] [--local-dir] [$m/general/hf] [--] [meta-llama/Llama-3.1-8B-Instruct]
hf [download] [--local-dir] [$m/analysis/hf] [--] [Qwen/Qwen3-30B-A3B]
vllm [serve] [$m/general/hf] [--served-model-name] [meta-llama/Llama-3.1-8B-Instruct] [--quantization] [fp8] [--max-model-len] [16384] [--gpu-memory-utilization] [0.85] [--kv-cache-dtype] [fp8] [--tensor-parallel-size] [1] [--max-num-seqs] [64] [--host] [127.0.0.1] [--port] [8081]
vllm stopped 8081
vllm [serve] [$m/analysis/hf] [--served-model-name] [Qwen/Qwen3-30B-A3B] [--max-model-len] [16384] [--gpu-memory-utilization] [0.92] [--kv-cache-dtype] [auto] [--tensor-parallel-size] [1] [--max-num-seqs] [1024] [--host] [127.0.0.1] [--port] [8082]
vllm stopped 8082
vllm [serve] [$m/code/hf] [--served-model-name] [Qwen/Qwen2.5-7B-Instruct] [--max-model-len] [16384] [--gpu-memory-utilization] [0.92] [--kv-cache-dtype] [auto] [--tensor-parallel-size] [1] [--max-num-seqs] [1024] [--host] [127.0.0.1] [--port] [8080]
vllm stopped 8080"
expect_eq "vllm: the stubs got exactly these argv, in this order" "$expected" "$(cat "$w/calls")"
expect_contains "vllm: the skipped AWQ route says why" "$w/run/run.sh" "no AWQ checkpoint of qwen2.5-7b-instruct in the catalog"

# --- shellcheck: every generated script of a config without errors ------------------------
if command -v shellcheck >/dev/null 2>&1; then
  n=0
  for cfg in "$src"/examples/*/*.yaml "$fixtures"/*.yaml "$src"/tests/cli/*.yaml; do
    "$planner" check "$cfg" >/dev/null 2>&1 || continue
    out="$tmp/sc-$n.sh"
    n=$((n + 1))
    if "$planner" script "$cfg" -o "$out" 2>/dev/null && shellcheck "$out"; then ok; else bad "shellcheck: $cfg"; fi
  done
  if [ "$n" -ge 5 ]; then ok; else bad "shellcheck: only $n configs without errors"; fi
else
  echo "shellcheck not installed: generated scripts not checked"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
