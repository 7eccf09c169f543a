#!/usr/bin/env bash
# cluster: (docs/cluster.md) end to end: the plan and the per-host commands of each engine against
# reviewed goldens, the generated shell through shellcheck, and hostile host values refused.
# Usage: cluster_test.sh PLANNER SOURCE_DIR
set -uo pipefail

planner="$1"
src="$2"
golden="$src/tests/golden"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$src" || exit 1
rpc=examples/cluster/two-macs-70b.yaml
mlx=examples/cluster/two-macs-mlx-tensor.yaml

expect_exit 0 "the llama.cpp RPC example checks without errors" -- "$planner" check "$rpc"
expect_exit 0 "the mlx tensor example checks without errors" -- "$planner" check "$mlx"
for pair in rpc:"$rpc" mlx:"$mlx" exo:examples/cluster/uneven-macs-exo.yaml vllm:examples/cluster/two-gpu-boxes-vllm.yaml; do
  name="${pair%%:*}"
  file="${pair#*:}"
  "$planner" plan --color never "$file" >"$work/plan-$name.text"
  expect_same "plan of the $name cluster" "$golden/cluster-plan-$name.text" "$work/plan-$name.text"
  "$planner" launch "$file" >"$work/launch-$name.text"
  expect_same "launch of the $name cluster" "$golden/cluster-launch-$name.text" "$work/launch-$name.text"
  if command -v shellcheck >/dev/null; then
    expect_exit 0 "the $name cluster's commands pass shellcheck" -- shellcheck -s bash "$work/launch-$name.text"
  fi
done
"$planner" plan --format json "$rpc" >"$work/plan-rpc.json"
expect_exit 0 "plan json has the cluster section" -- grep -q '"cluster": {' "$work/plan-rpc.json"

# A host address that is not a host name or IP is a schema error, and launch makes nothing of it.
# shellcheck disable=SC2016 # the \$(...) is the hostile text, not to expand
sed 's/address: 10.0.0.2/address: "$(touch pwned)"/' "$rpc" >"$work/hostile.yaml"
expect_exit 1 "a hostile address is an error" -- "$planner" check --select LI002 "$work/hostile.yaml"
expect_output "the address's pattern is named" 'cluster\.hosts\.1\.address: expected .*got .\$\(touch pwned\)'
expect_exit 1 "launch refuses it" -- "$planner" launch "$work/hostile.yaml"

# --- planner script: one script for every host, run as `run.sh HOST` ---------------------------
stubs="$src/tests/cli/stubs"
meminfo() { printf 'MemTotal:       %s kB\nMemFree:        1 kB\nMemAvailable:   %s kB\n' "$2" "$3" >"$1"; }

# launch_argv LAUNCH HOST: the commands `planner launch` printed for HOST, one per line as the
# stubs record them (tool [arg] ...); the hostfile's mkdir/printf and curl (the curl stub logs
# elsewhere) left out, and a host's `sudo sysctl iogpu.wired_limit_mb`, which is run by hand (the
# script's preflight checks the limit instead). The lines are planner's own output for the example
# configs: eval only splits their quoted words.
launch_argv() {
  local line on=0
  while IFS= read -r line; do
    case "$line" in
      "## on $2 ("*) on=1; continue ;;
      "## on "* | "# cluster route"*) on=0; continue ;;
      "" | "#"* | mkdir* | curl* | sudo*) continue ;;
    esac
    [ "$on" = 1 ] || continue
    eval "set -- $line"
    local out=$1
    shift
    for a in "$@"; do out="$out [$a]"; done
    printf '%s\n' "$out"
  done <"$1"
}

# run_host DIR HOST [ENV...]: runs DIR/run.sh HOST once with the stubs first on PATH.
run_host() {
  local dir=$1 host=$2
  shift 2
  mkdir -p "$dir/state"
  : >"$dir/calls"
  (cd / && env PATH="$stubs:$PATH" STUB_CALLS="$dir/calls" STUB_STATE="$dir/state" PLANNER_RUN_ONCE=1 \
    PLANNER_WATCH_INTERVAL=0 PLANNER_HEALTH_TIMEOUT=20 LLAMA_CPP_DIR="$dir/llama.cpp" "$@" bash "$dir/run.sh" "$host") \
    >"$dir/out" 2>&1
}

# The commands each host ran (the stubs' records less sysctl's and the stop lines), sorted: the
# head downloads before `ray start --head` where launch prints it after.
ran() { grep -v '^sysctl \[\| stopped ' "$1/calls" | LC_ALL=C sort; }

# env_for NAME HOST: the machine each example plans for (its RAM; the wired limit its hardware sets).
env_for() {
  case "$1:$2" in
    rpc:*) host_env=(PLANNER_OS=Darwin STUB_MEMSIZE=68719476736 STUB_WIRED=57344) ;;
    mlx:*) host_env=(PLANNER_OS=Darwin STUB_MEMSIZE=38654705664 STUB_WIRED=0) ;;
    exo:big) host_env=(PLANNER_OS=Darwin STUB_MEMSIZE=68719476736 STUB_WIRED=0) ;;
    exo:small) host_env=(PLANNER_OS=Darwin STUB_MEMSIZE=34359738368 STUB_WIRED=0) ;;
    vllm:*)
      meminfo "$work/meminfo" 134217728 67108864  # 128 GiB, half in use
      host_env=(PLANNER_OS=Linux PLANNER_MEMINFO="$work/meminfo")
      ;;
  esac
}
mac_env=(PLANNER_OS=Darwin STUB_MEMSIZE=68719476736 STUB_WIRED=57344)
for case in rpc:"$rpc":studio-a:studio-b mlx:"$mlx":mbp-a:mbp-b exo:examples/cluster/uneven-macs-exo.yaml:big:small \
  vllm:examples/cluster/two-gpu-boxes-vllm.yaml:box-a:box-b; do
  IFS=: read -r name file head worker <<<"$case"
  "$planner" script "$file" -o - >"$work/script-$name.sh" 2>"$work/err"
  expect_same "script of the $name cluster" "$golden/cluster-script-$name.sh" "$work/script-$name.sh"
  if command -v shellcheck >/dev/null; then
    expect_exit 0 "the $name cluster's script passes shellcheck" -- shellcheck -s bash "$work/script-$name.sh"
  fi
  "$planner" launch --format json "$file" >"$work/launch-$name.json"
  expect_same "launch json of the $name cluster" "$golden/cluster-launch-$name.json" "$work/launch-$name.json"
  for fmt in json:json markdown:md svg:svg html:html; do
    "$planner" plan --format "${fmt%%:*}" "$file" >"$work/plan-$name.${fmt#*:}"
    expect_same "plan ${fmt%%:*} of the $name cluster" "$golden/cluster-plan-$name.${fmt#*:}" "$work/plan-$name.${fmt#*:}"
  done

  w="$work/run-$name"
  mkdir -p "$w/llama.cpp"
  : >"$w/llama.cpp/convert_hf_to_gguf.py"
  cp "$file" "$w/cluster.yaml"
  "$planner" script "$w/cluster.yaml" -o "$w/run.sh" 2>/dev/null
  (cd "$w" && LLAMA_CPP_DIR="$w/llama.cpp" "$planner" launch cluster.yaml) >"$w/launch.text"
  for host in "$worker" "$head"; do
    env_for "$name" "$host"
    run_host "$w" "$host" "${host_env[@]}"
    rc=$?
    if [ "$rc" = 0 ]; then pass; else fail "$name: run.sh $host: exit $rc" "$(cat "$w/out")"; fi
    expected=$(LLAMA_CPP_DIR="$w/llama.cpp" launch_argv "$w/launch.text" "$host" | LC_ALL=C sort)
    check_that "$name: $host ran what launch prints for it" [ -n "$expected" ]
    if [ "$(ran "$w")" = "$expected" ]; then pass; else
      fail "$name: $host: the stubs' argv differ from launch's" "$(diff <(printf '%s\n' "$expected") <(ran "$w"))"
    fi
    check_that "$name: $host: every server it started stopped" [ -z "$(find "$w/state" -name 'port-*')" ]
  done
done

# llama.cpp RPC: the worker's rpc-server is kept until the script ends; the head's llama-server
# is health-checked and validated.
w="$work/run-rpc"
run_host "$w" studio-b "${mac_env[@]}"
expect_exit 0 "rpc worker: its calls are recorded" -- grep -qx 'ggml-rpc-server stopped 50052' "$w/calls"
check_that "rpc worker: checked against its own wired limit" grep -q 'the routes need 57344 MiB' "$w/out"
run_host "$w" studio-a "${mac_env[@]}"
check_that "rpc head: llama-server validated" grep -q 'general: prompt at line 1: pass: 20 tokens in 0.50 s = 40.0 tokens/s' "$w/out"
# exo: the head waits for its node's API and prints the placement preview.
w="$work/run-exo"
check_that "exo head: asked for the preview" \
  grep -qF 'http://localhost:52415/instance/previews?model_id=mlx-community/Llama-3.3-70B-Instruct-4bit' "$w/state/curl.log"
check_that "exo head: printed it" grep -qF '"memory_delta_by_node"' "$w/out"
# docs/cluster.md's worked example shows the script as planner writes it.
doc_block=$(awk '/^The run script for both Macs/ { on = 1 } on && /^```bash$/ { body = 1; next } body && /^```$/ { exit }
  body { print }' "$src/docs/cluster.md")
if [ -n "$doc_block" ] && [[ "$(cat "$golden/cluster-script-rpc.sh")" == *"$doc_block"* ]]; then pass; else
  fail "docs/cluster.md's script excerpt is not the golden's" "$doc_block"
fi
# A host the config does not name: a usage error, nothing run.
run_host "$work/run-rpc" studio-c "${mac_env[@]}"
check_that "an unknown host is refused" grep -qF "usage: this script HOST, HOST one of: studio-a studio-b; got 'studio-c'" "$work/run-rpc/out"
check_that "and nothing ran" [ ! -s "$work/run-rpc/calls" ]
# A worker whose RAM is not the config's: the preflight stops it.
run_host "$work/run-rpc" studio-b PLANNER_OS=Darwin STUB_MEMSIZE=34359738368 STUB_WIRED=57344
check_that "a 32 GB worker planned as 64 GB stops" grep -q 'this machine has 32768 MiB of RAM; the config plans for 65536 MiB' "$work/run-rpc/out"

finish
