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

finish
