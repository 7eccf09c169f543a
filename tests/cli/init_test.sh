#!/usr/bin/env bash
# End-to-end tests of `planner init`, `planner route` and `planner detect`: every generated config
# passes `planner check` with no errors and no warnings; route names its pick and its rejections;
# detect reads the recorded outputs in tests/data/detect/. Usage: init_test.sh PLANNER SOURCE_DIR
set -uo pipefail

planner="$1"
src="$2"
rec="$src/tests/data/detect"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"



# init_passes NAME INIT-ARGS...: init writes a config; check finds 0 errors and 0 warnings, LI031's
# 16K+ advice aside (a warning init accepts when the model fits: docs/init.md, Fit).
init_passes() {
  local name="$1"
  shift
  local file="$work/$name.yaml"
  rm -f "$file"
  expect_exit 0 "init $name" -- "$planner" init "$@" -o "$file"
  [ -f "$file" ] || { fail "init $name: no file written"; return; }
  expect_exit 0 "check of init $name" -- "$planner" check --color never --ignore LI031 "$file"
  expect_output "init $name: no errors or warnings" "No problems found in 1 file|Found 0 errors, 0 warnings"
  cp "$file" "$work/out"
}

cd "$src" || exit 1

# --- init on the decision matrix's Macs (chips sold with that RAM, data/hardware.yaml) and an NVIDIA box
init_passes mac8 --ram 8 --arch apple_silicon --chip M2
expect_output "8 GB: MLX" "preferred_format: MLX"
init_passes mac16 --ram 16 --arch apple_silicon --chip M4
expect_output "16 GB code: the largest model that fits, not the seed's DeepSeek" "model: gemma-3-12b-it"
expect_no_output "16 GB: no DeepSeek-V2-Lite (the seed's coder)" "deepseek-v2-lite"
init_passes mac32 --ram 32 --arch apple_silicon --chip "M2 Max" --tasks creative,analysis --resident creative,analysis
expect_output "32 GB: resident routes" "resident_routes: \[creative, analysis\]"
init_passes mac64 --ram 64 --arch apple_silicon --chip "M2 Ultra" --tasks reasoning
init_passes mac128 --ram 128 --arch apple_silicon --chip "M4 Max" --tasks code,reasoning,quick_qa,creative,general
init_passes rtx4090 --ram 32 --gpu "RTX 4090"
expect_output "4090: GGUF" "preferred_format: GGUF"
expect_output "4090: VRAM" "gpu_vram_gb: 23.99"
expect_no_output "4090: no MLX route" "format: MLX"
init_passes rtx3090 --ram 64 --arch linux_nvidia --gpu "RTX 3090"
init_passes mac32-gguf --ram 32 --arch apple_silicon --chip "M2 Max" --prefer GGUF
expect_output "cross-platform GGUF on a Mac: LI021 silenced with a reason" "ignore\[LI021\] cross-platform"
init_passes mac16-long --ram 16 --arch apple_silicon --context 32768 --tasks reasoning,quick_qa
init_passes mac64-long --ram 64 --arch apple_silicon --chip "M2 Max" --context 32768 --tasks reasoning
expect_exit 0 "check of init mac64-long, LI031 included" -- "$planner" check --color never "$work/mac64-long.yaml"
expect_output "32K on 64 GB: a model above the 7B class, LI031's advice a warning" "warning: route 'reasoning': [0-9]+ tokens of context on .* \[LI031\]"
init_passes mac64-macos26 --ram 64 --arch apple_silicon --macos 26 --tasks reasoning

# --- init from recorded hardware
init_passes detect-mac --detect --from "$rec/macos-m4pro-24gb"
expect_output "detected chip" "chip: M4 Pro"
expect_output "detected from" "Hardware detected from recorded outputs"
init_passes detect-raised --detect --from "$rec/macos-m3-16gb-raised"
expect_output "raised wired limit" "gpu_wired_limit_gb: 13.67"
init_passes detect-nvidia --detect --from "$rec/linux-nvidia-rtx4090"
expect_output "detected VRAM" "gpu_vram_gb: 23.99"
# Several GPUs: each one in hardware.gpus (checked per GPU), not one summed GPU; the GB10 line
# reports no VRAM and no known name, so it is left out.
init_passes detect-nvidia-multi --detect --from "$rec/linux-nvidia-multi"
expect_output "several GPUs: the list" "^  gpus:  # 4 GPUs in CUDA's order"
expect_output "several GPUs: each with its VRAM" "^    - \{chip: RTX 3060 12GB, vram_gb: 12\}"
expect_output "several GPUs: the header" "with 4 GPUs with 195.64 GiB of VRAM together"
expect_no_output "several GPUs: no summed gpu_vram_gb" "gpu_vram_gb:"
expect_exit 1 "init on 0.9 GB: nothing fits" -- "$planner" init --detect --from "$rec/linux-cpu-rpi3"
expect_output "nothing fits message" "no catalog model fits route 'code'"
expect_exit 1 "init on broken recordings" -- "$planner" init --detect --from "$rec/bad-macos"
expect_output "broken recordings message" "sysctl hw.memsize: expected a byte count"

# --- init: usage errors, stdout, -o safety
expect_exit 2 "init without a machine" -- "$planner" init
expect_exit 2 "init unknown chip" -- "$planner" init --ram 16 --arch apple_silicon --chip M9
expect_output "unknown chip lists the closest" "unknown Apple chip 'M9'; closest: M1, M2, M3 \(data/hardware.yaml\)"
# GPU names as people write them (tests/unit/chip_match_test.cpp has the whole table)
init_passes gpu-bare-number --ram 64 --gpu 4090
expect_output "--gpu 4090 is the RTX 4090" "chip: RTX 4090"
expect_output "--gpu 4090: its VRAM" "gpu_vram_gb: 23.99"
init_passes gpu-smi-name --ram 64 --gpu "NVIDIA GeForce RTX 4060 Ti 16GB"
expect_output "nvidia-smi's spelling with the VRAM" "chip: RTX 4060 Ti 16GB"
expect_exit 2 "init --gpu without the VRAM its variants differ by" -- "$planner" init --ram 64 --gpu "RTX 3060"
expect_output "ambiguous GPU asks which" "'RTX 3060' does not say which VRAM variant: name one \(RTX 3060 12GB\) or give --vram"
init_passes gpu-with-vram --ram 64 --gpu "RTX 3060" --vram 12
expect_output "--vram picks the variant" "chip: RTX 3060 12GB"
expect_exit 2 "init unknown GPU" -- "$planner" init --ram 64 --gpu "RTX 4080"
expect_output "unknown GPU lists the closest" "unknown GPU 'RTX 4080'; closest: RTX 4090, RTX 3060 12GB, RTX 3090 \(data/hardware.yaml"
init_passes mac-ram-picks-bin --ram 48 --arch apple_silicon --chip "Apple M4 Max"
expect_output "an M4 Max by any spelling" "chip: M4 Max"
expect_exit 2 "init MLX on Linux" -- "$planner" init --ram 32 --arch linux_nvidia --prefer MLX
expect_exit 2 "init unknown task" -- "$planner" init --ram 16 --arch apple_silicon --tasks code,poetry
expect_exit 2 "init resident not a task" -- "$planner" init --ram 16 --arch apple_silicon --tasks code --resident chat
expect_exit 2 "init --detect with --ram" -- "$planner" init --detect --ram 16
expect_exit 0 "init to stdout" -- "$planner" init --ram 16 --arch apple_silicon
expect_output "stdout config" "^routing:"
mkdir "$work/out-dir"
printf 'keep me\n' >"$work/out-dir/existing.yaml"
expect_exit 2 "init -o refuses to overwrite" -- "$planner" init --ram 16 --arch apple_silicon -o "$work/out-dir/existing.yaml"
expect_output "overwrite message" "exists; use --force"
if [ "$(cat "$work/out-dir/existing.yaml")" = "keep me" ]; then pass; else fail "existing file changed"; fi
expect_exit 0 "init -o --force" -- "$planner" init --ram 16 --arch apple_silicon -o "$work/out-dir/existing.yaml" --force
if grep -q '^routing:' "$work/out-dir/existing.yaml"; then pass; else fail "--force did not replace the file"; fi
if [ "$(find "$work/out-dir" -name '.planner-*' | wc -l)" -eq 0 ]; then pass; else fail "temporary file left behind"; fi
expect_exit 2 "init -o into a missing directory" -- "$planner" init --ram 16 --arch apple_silicon -o "$work/nope/x.yaml"
init16=(init --ram 16 --arch apple_silicon)
"$planner" "${init16[@]}" >"$work/stdout.yaml" 2>/dev/null
(cd "$work/out-dir" && "$planner" "${init16[@]}" -o - >"$work/dash.yaml" 2>"$work/dash.err")
check_that "init -o - exits 0" [ $? -eq 0 ]
check_that "init -o - prints what stdout mode prints" cmp -s "$work/stdout.yaml" "$work/dash.yaml"
check_that "init -o - makes no file named -" [ ! -e "$work/out-dir/-" ]
check_that "init -o - writes no 'wrote' line" [ ! -s "$work/dash.err" ]
(umask 027 && "$planner" "${init16[@]}" -o "$work/out-dir/new.yaml" 2>/dev/null)
check_that "a new config is 0666 less the umask (027: 0640)" [ "$(stat -c %a "$work/out-dir/new.yaml")" = 640 ]
printf 'keep me\n' >"$work/out-dir/private.yaml"
chmod 0600 "$work/out-dir/private.yaml"
"$planner" "${init16[@]}" -o "$work/out-dir/private.yaml" --force 2>/dev/null
check_that "--force: a replaced 0600 file stays 0600" [ "$(stat -c %a "$work/out-dir/private.yaml")" = 600 ]
check_that "--force: it holds the new config" cmp -s "$work/out-dir/private.yaml" "$work/stdout.yaml"
printf 'keep me\n' >"$work/out-dir/ro.yaml"
chmod 0444 "$work/out-dir/ro.yaml"
expect_exit 2 "a read-only file without --force is refused" -- "$planner" "${init16[@]}" -o "$work/out-dir/ro.yaml"
check_that "the read-only file is unchanged" [ "$(cat "$work/out-dir/ro.yaml")" = "keep me" ]
expect_exit 0 "--force replaces a read-only file" -- "$planner" "${init16[@]}" -o "$work/out-dir/ro.yaml" --force
check_that "and it stays read-only (0444)" [ "$(stat -c %a "$work/out-dir/ro.yaml")" = 444 ]
printf 'keep me\n' >"$work/out-dir/a.yaml"
ln -f "$work/out-dir/a.yaml" "$work/out-dir/b.yaml"
"$planner" "${init16[@]}" -o "$work/out-dir/a.yaml" --force 2>/dev/null
check_that "--force on a hard-linked file: the other link sees the config" cmp -s "$work/out-dir/b.yaml" "$work/stdout.yaml"
check_that "no temporary file left by any of these" [ "$(find "$work/out-dir" -name '.planner-*' | wc -l)" -eq 0 ]

# --- route
expect_exit 0 "route code on 16 GB" -- "$planner" route --workload code --ram 16 --arch apple_silicon --chip "M3 Pro"
expect_output "route chosen" "^chosen: gemma-3-12b-it"
expect_output "route: DeepSeek rejected as too big" "^  no +deepseek-v2-lite"
expect_output "route: reason" "too big: weights and overhead [0-9.]+ GiB leave less than the 35% KV reserve"
expect_exit 0 "route from a config file" -- "$planner" route --workload code examples/decision-matrix/02-16gb-pro-code-generation.yaml
expect_output "route from file: same pick" "^chosen: gemma-3-12b-it"
expect_exit 0 "route json" -- "$planner" route --workload quick_qa --ram 8 --arch apple_silicon --format json
expect_output "route json chosen" '"chosen": "[a-z0-9.-]+"'
expect_output "route json bytes" '"model_budget_bytes": 6700148982'
expect_output "route json rejection" '"reasons": \[$'
expect_exit 1 "route: nothing fits on 1 GB" -- "$planner" route --workload reasoning --ram 1 --arch cpu
expect_output "route none" "^chosen: none"
expect_exit 2 "route unknown workload" -- "$planner" route --workload poetry --ram 16 --arch apple_silicon
expect_exit 2 "route file and flags" -- "$planner" route --workload code --ram 16 --arch cpu examples/seed/local-inference-config.yaml

# --- detect from recordings
expect_exit 0 "detect mac" -- "$planner" detect --from "$rec/macos-m4pro-24gb"
expect_output "detect mac arch" "architecture +apple_silicon"
expect_output "detect mac chip" "Apple M4 Pro \(data/hardware.yaml: M4 Pro, 273 GB/s\)"
expect_output "detect mac RAM" "RAM +24.00 GiB \(25769803776 bytes\)"
expect_output "detect mac default limit" "default limit +16.00 GiB"
expect_exit 0 "detect mac json" -- "$planner" detect --from "$rec/macos-m4pro-24gb" --format json
expect_output "detect json ram" '"ram_bytes": 25769803776'
expect_output "detect json default limit" '"default_bytes": 17179885568'
expect_output "detect json wired bytes" '"wired_bytes": 3482091520'
expect_exit 0 "detect raised limit" -- "$planner" detect --from "$rec/macos-m3-16gb-raised"
expect_output "detect raised" "GPU limit +13.67 GiB raised \(iogpu.wired_limit_mb = 14000\)"
expect_exit 0 "detect nvidia multi" -- "$planner" detect --from "$rec/linux-nvidia-multi"
expect_output "detect nvidia arch" "architecture +linux_nvidia"
expect_output "detect GPU 4" "GPU 4 +NVIDIA GB10: VRAM not reported"
expect_output "detect GPU 0 preset" "GPU 0 +NVIDIA GeForce RTX 4090: 23.99 GiB VRAM, 1.21 GiB in use \(data/hardware.yaml: RTX 4090\)"
expect_exit 0 "detect nvidia json" -- "$planner" detect --from "$rec/linux-nvidia-multi" --format json
expect_output "detect nvidia json vram" '"vram_bytes": 25757220864'
expect_exit 1 "detect broken recordings" -- "$planner" detect --from "$rec/bad-macos"
expect_output "detect broken message" "planner: error: sysctl hw.memsize: expected a byte count, got 'sysctl: unknown oid"
expect_output "detect truncated vm_stat" "vm_stat: no 'Pages wired down' line"
expect_exit 1 "detect broken nvidia-smi" -- "$planner" detect --from "$rec/bad-nvidia"
mkdir "$work/empty"
expect_exit 1 "detect: no source in the directory" -- "$planner" detect --from "$work/empty"
expect_output "detect: nothing answered" "no source answered"
expect_exit 2 "detect --from a file" -- "$planner" detect --from "$rec/README.md"
# This machine: planner's own build hosts are Linux. Not under WebAssembly (scripts/test-wasm
# sets PLANNER_TEST_NO_SUBPROCESS): it cannot start nvidia-smi, and says so (docs/wasm.md).
if [ -n "${PLANNER_TEST_NO_SUBPROCESS:-}" ]; then
  skip "detect this machine: this planner cannot start processes (nvidia-smi, sysctl)"
elif [ -r /proc/meminfo ]; then
  expect_exit 0 "detect this machine" -- "$planner" detect
  expect_output "detect this machine reads meminfo" "sources +proc-meminfo"
fi

finish
