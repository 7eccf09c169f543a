#!/usr/bin/env bash
# End-to-end tests of `planner init --host` (docs/init.md, docs/cluster.md): the written configs
# are the reviewed goldens tests/golden/init-hosts-*.yaml byte for byte, pass `planner check` with
# no error and no warning, and split only what no host holds alone; bad --host, --link and
# --engine values are one-line errors with exit 2. Usage: init_hosts_test.sh PLANNER SOURCE_DIR
set -uo pipefail

planner="$1"
src="$2"
golden="$src/tests/golden"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$src" || exit 1

# The hosts of each golden; tests/golden/update writes the same commands.
studio_a=(--host "name=studio-a,address=10.0.0.1,ram=64,chip=M2 Max,wired_limit=56")
studio_b=(--host "name=studio-b,address=10.0.0.2,ram=64,chip=M2 Max,wired_limit=56")
mac=(--host "name=mac,ram=64,chip=M2 Max")
box=(--host "name=box,address=10.0.0.2,ram=64,gpu=RTX 4090")

# hosts_golden NAME INIT-ARGS...: init writes tests/golden/init-hosts-NAME.yaml; check passes it
# with no error and no warning, LI031's 16K+ advice aside (as plain init: docs/init.md, Fit). The
# config is left in $work/out for expect_output.
hosts_golden() {
  local name="$1"
  shift
  local file="$work/$name.yaml"
  expect_exit 0 "init --host $name" -- "$planner" init "$@" -o "$file"
  expect_same "init --host $name: the golden config" "$golden/init-hosts-$name.yaml" "$file"
  expect_exit 0 "check of init --host $name" -- "$planner" check --color never --ignore LI031 "$file"
  expect_output "init --host $name: no errors or warnings" "No problems found in 1 file|Found 0 errors, 0 warnings"
  cp "$file" "$work/out"
  : >"$work/err"
}

# --- docs/cluster.md's worked example: two 64 GB M2 Max Mac Studios (wired limit raised to 56 GB)
# and Llama 3.3 70B at 32K. The catalog has its MLX conversion only, so the split is mlx-lm's:
# tensor parallelism (Llama has shard(), no PipelineMixin), 1/2 of every layer on each Mac.
hosts_golden two-macs-70b "${studio_a[@]}" "${studio_b[@]}" --link thunderbolt-5 --model llama-3.3-70b-instruct \
  --tasks general --context 32768
expect_exit 0 "plan of the two Macs" -- "$planner" plan --color never "$work/two-macs-70b.yaml"
expect_output "70B at 32K: one machine would need 55.80 GiB" "general: mlx-distributed \(tensor\), 55.80 GiB on one machine"
expect_output "each Mac holds half of every layer" "studio-b: [0-9.]+ GiB, 1/2 of layers 0-79, embeddings, output"
expect_no_output "no host limit is over" "GiB: OVER"
# The same model at 8K fits one Mac's budget (LI072) but eats into its KV reserve there (LI012):
# init writes neither and says why.
expect_exit 1 "70B at 8K: neither split nor alone" -- "$planner" init "${studio_a[@]}" "${studio_b[@]}" \
  --model llama-3.3-70b-instruct --tasks general
expect_output "70B at 8K: LI072's reason" "^planner: error: no catalog model 'llama-3.3-70b-instruct' fits route 'general' on these hosts; .*host 'studio-a' holds alone .*\[LI072\]$"
check_that "70B at 8K: one line" [ "$(wc -l <"$work/err")" -eq 1 ]

# --- the seed template's tasks on the two Macs: the largest model each route can have; code and
# quick_qa fit the head alone and stay off cluster.routes, reasoning and creative are split.
hosts_golden two-macs-tasks "${studio_a[@]}" "${studio_b[@]}" --link thunderbolt-5
expect_output "two Macs: reasoning split" "^    reasoning: \{engine: mlx-distributed\}"
expect_no_output "two Macs: quick_qa not split" "^    quick_qa: \{engine"

# --- a Mac and a Linux box with an RTX 4090: GGUF through llama.cpp RPC, the only engine on both.
hosts_golden mac-and-nvidia "${mac[@]}" "${box[@]}" --link 10gbe --tasks reasoning
expect_output "Mac + NVIDIA: GGUF" "^  preferred_format: GGUF"
expect_output "Mac + NVIDIA: llama.cpp RPC" "^    reasoning: \{engine: llama.cpp-rpc\}"
expect_exit 0 "plan of the Mac and the box" -- "$planner" plan --color never "$work/mac-and-nvidia.yaml"
expect_output "the box's GPU is first in llama.cpp's order" "devices \(llama.cpp's order\): box:gpu0, mac:metal"
expect_output "the box's GPU within its VRAM" "gpu0 VRAM [0-9.]+ of 23.99 GiB: fits"

# --- one host would do: a quick_qa model fits the head alone, so no cluster: section (LI072)
expect_exit 0 "one host would do" -- "$planner" init "${studio_a[@]}" "${studio_b[@]}" --tasks quick_qa
expect_output "one host would do: the note" "^planner: note: one host would do: 'studio-a' holds every route alone"
expect_no_output "one host would do: no cluster section" "^cluster:"
expect_output "one host would do: the head's hardware" "^  gpu_wired_limit_gb: 56"

# --- --force and no overwrite, as plain init
printf 'keep me\n' >"$work/existing.yaml"
expect_exit 2 "init --host refuses to overwrite" -- "$planner" init "${mac[@]}" "${box[@]}" --tasks reasoning -o "$work/existing.yaml"
expect_output "overwrite message" "exists; use --force"
check_that "the existing file is unchanged" [ "$(cat "$work/existing.yaml")" = "keep me" ]
expect_exit 0 "init --host --force" -- "$planner" init "${mac[@]}" "${box[@]}" --link 10gbe --tasks reasoning -o "$work/existing.yaml" --force
check_that "--force wrote the golden" cmp -s "$work/existing.yaml" "$golden/init-hosts-mac-and-nvidia.yaml"
check_that "no temporary file left" [ "$(find "$work" -name '.planner-*' | wc -l)" -eq 0 ]

# --- bad values: one line on stderr, exit 2, nothing on stdout
# bad NAME PATTERN INIT-ARGS...
bad() {
  local name="$1" pattern="$2"
  shift 2
  expect_exit 2 "$name" -- "$planner" init "$@"
  expect_output "$name: the message" "^planner: error: $pattern"
  check_that "$name: one line" [ "$(wc -l <"$work/err")" -eq 1 ]
  check_that "$name: no config printed" [ ! -s "$work/out" ]
}
two=("${mac[@]}" --host "name=mac2,ram=64,chip=M2 Max")
bad "no name" "--host 'ram=64,chip=M2 Max': name= is required$" --host "ram=64,chip=M2 Max" "${mac[@]}"
bad "ram not a number" "--host 'name=a,ram=lots,chip=M2': ram expects GB as sold, 1 to 4096, got 'lots'$" \
  --host "name=a,ram=lots,chip=M2" "${mac[@]}"
bad "ram out of range" "--host 'name=a,ram=0.5,chip=M2': ram expects" --host "name=a,ram=0.5,chip=M2" "${mac[@]}"
bad "ram in hex" "--host 'name=a,ram=0x40,chip=M2': ram expects GB as sold, 1 to 4096, got '0x40'$" \
  --host "name=a,ram=0x40,chip=M2" "${mac[@]}"
bad "ram with a sign" "--host 'name=a,ram=\+64,chip=M2': ram expects GB as sold, 1 to 4096, got '\+64'$" \
  --host "name=a,ram=+64,chip=M2" "${mac[@]}"
bad "ram with a space" "--host 'name=a,ram= 64,chip=M2': ram expects GB as sold, 1 to 4096, got ' 64'$" \
  --host "name=a,ram= 64,chip=M2" "${mac[@]}"
bad "unknown key" "--host 'name=a,ram=64,colour=red': unknown key 'colour' \(keys: name, ram, arch, chip, gpu, gpus, vram, wired_limit, os_reserve, address\)$" \
  --host "name=a,ram=64,colour=red" "${mac[@]}"
bad "no key=value" "--host 'studio': expected key=value, got 'studio'" --host "studio" "${mac[@]}"
bad "a key twice" "--host 'name=a,ram=64,chip=M2,chip=M3': 'chip' given twice$" --host "name=a,ram=64,chip=M2,chip=M3" "${mac[@]}"
bad "unknown chip" "--host 'name=a,ram=64,chip=M9': unknown Apple chip 'M9'; closest: M1, M2, M3 \(data/hardware.yaml\)$" \
  --host "name=a,ram=64,chip=M9" "${mac[@]}"
bad "unknown GPU" "--host 'name=a,ram=64,gpu=RTX 4080': unknown GPU 'RTX 4080'" --host "name=a,ram=64,gpu=RTX 4080" "${mac[@]}"
bad "a chip and a GPU" "--host 'name=a,ram=64,chip=M2,gpu=RTX 4090': chip= names an Apple chip: use it with arch=apple_silicon \(NVIDIA cards go in gpu=\)$" \
  --host "name=a,ram=64,chip=M2,gpu=RTX 4090" "${mac[@]}"
bad "a wired limit off a Mac" "--host 'name=a,ram=64,gpu=RTX 4090,wired_limit=40': wired_limit= is a macOS setting" \
  --host "name=a,ram=64,gpu=RTX 4090,wired_limit=40" "${mac[@]}"
bad "no machine" "--host 'name=a,ram=64': give ram= and chip=, gpu= or arch=$" --host "name=a,ram=64" "${mac[@]}"
bad "unknown arch" "--host 'name=a,ram=64,arch=beos': arch 'beos' is none of apple_silicon," --host "name=a,ram=64,arch=beos" "${mac[@]}"
bad "gpus without gpu" "--host 'name=a,ram=64,arch=cpu,gpus=2': gpus= counts the GPUs named by gpu=$" \
  --host "name=a,ram=64,arch=cpu,gpus=2" "${mac[@]}"
bad "a name the schema refuses" "--host 'name=a;rm -rf x,ram=64,chip=M2': name expects a name of letters" \
  --host "name=a;rm -rf x,ram=64,chip=M2" "${mac[@]}"
bad "a name with a newline, shown escaped" "--host 'name=a\\\\nb,ram=64,chip=M2': name expects" --host $'name=a\nb,ram=64,chip=M2' "${mac[@]}"
bad "an address the schema refuses" "--host 'name=a,ram=64,chip=M2,address=-x': address expects" \
  --host "name=a,ram=64,chip=M2,address=-x" "${mac[@]}"
bad "one host" "--host: a cluster has 2 to 64 hosts, got 1$" "${mac[@]}"
bad "two hosts of one name" "--host: two hosts are named 'mac'$" "${mac[@]}" "${mac[@]}"
bad "unknown link" "--link 'thunderbolt4' is none of thunderbolt-4, thunderbolt-5, rdma, 1gbe, 10gbe, 25gbe, 100gbe$" \
  "${two[@]}" --link thunderbolt4
bad "unknown engine" "--engine 'ollama' is none of llama.cpp-rpc, mlx-distributed, exo$" "${two[@]}" --engine ollama
bad "vllm-ray" "--engine vllm-ray serves a safetensors checkpoint, which init does not pick" "${two[@]}" --engine vllm-ray
bad "mlx-distributed with a Linux box" "--engine mlx-distributed runs MLX on Macs: host 'box' is linux_nvidia$" \
  "${mac[@]}" "${box[@]}" --engine mlx-distributed
bad "MLX with a Linux box" "--prefer MLX: host 'box' is linux_nvidia, and mlx-lm runs on Macs only$" "${mac[@]}" "${box[@]}" --prefer MLX
bad "llama.cpp RPC and MLX" "--engine llama.cpp-rpc serves GGUF files: drop --prefer MLX$" "${two[@]}" --engine llama.cpp-rpc --prefer MLX
bad "--host with --ram" "--host gives each machine: drop" "${two[@]}" --ram 64
bad "--host with --resident" "--host gives each machine: drop" "${two[@]}" --tasks code,reasoning --resident code,reasoning
bad "a model not in the catalog" "--model 'gpt-9' is not in the catalog" "${two[@]}" --model gpt-9
bad "--link without --host" "--link, --engine and --model go with --host$" --ram 64 --arch apple_silicon --link 10gbe

finish
