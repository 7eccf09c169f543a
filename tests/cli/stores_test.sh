#!/usr/bin/env bash
# Models already on disk, end to end: `check` and `plan` resolving a Hugging Face repo id, an
# Ollama name and an LM Studio repo through stores built in a temp dir (HF_HUB_CACHE,
# OLLAMA_MODELS, HOME pointing at them), and `models --local` listing them.
# Usage: stores_test.sh PLANNER SOURCE_DIR
set -uo pipefail

planner="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tiny="$src/tests/data/gguf-hostile/tiny-valid.gguf"  # 2 layers, Q8_0, general.name "tiny"
tiny_hex="$(sha256sum "$tiny" | cut -c1-64)"

# --- the stores ---------------------------------------------------------------------------------
hub="$work/hub" ol="$work/ollama" home="$work/home"
# A GGUF repo in the Hugging Face cache: refs/main -> snapshots/<sha>, one file per quantization.
snap="$hub/models--st-org--Tiny-GGUF/snapshots/0123abcd"
mkdir -p "$hub/models--st-org--Tiny-GGUF/refs" "$snap"
printf '0123abcd' >"$hub/models--st-org--Tiny-GGUF/refs/main"
cp "$tiny" "$snap/Tiny-Q4_K_M.gguf"
cp "$tiny" "$snap/Tiny-Q8_0.gguf"
# An MLX repo: config.json + one F32 tensor (16 x 4 = 64 parameters, 256 bytes).
mlx="$hub/models--st-org--Tiny-4bit/snapshots/beef"
mkdir -p "$hub/models--st-org--Tiny-4bit/refs" "$mlx"
printf 'beef' >"$hub/models--st-org--Tiny-4bit/refs/main"
printf '{"model_type":"llama","hidden_size":4,"num_hidden_layers":1,"num_attention_heads":1,"vocab_size":16,"max_position_embeddings":4096}' >"$mlx/config.json"
header='{"model.embed_tokens.weight":{"dtype":"F32","shape":[16,4],"data_offsets":[0,256]}}'
{ printf '%b' "\\x$(printf '%02x' "${#header}")\\x00\\x00\\x00\\x00\\x00\\x00\\x00"; printf '%s' "$header"; head -c 256 /dev/zero; } >"$mlx/model.safetensors"
# Ollama: a manifest for st-tiny:14b whose model layer is the GGUF blob and params set num_ctx.
mkdir -p "$ol/blobs" "$ol/manifests/registry.ollama.ai/library/st-tiny"
cp "$tiny" "$ol/blobs/sha256-$tiny_hex"
printf '{"num_ctx":3072}' >"$work/params"
params_hex="$(sha256sum "$work/params" | cut -c1-64)"
mv "$work/params" "$ol/blobs/sha256-$params_hex"
printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":1},{"mediaType":"application/vnd.ollama.image.params","digest":"sha256:%s","size":16}]}' \
  "$tiny_hex" "$params_hex" >"$ol/manifests/registry.ollama.ai/library/st-tiny/14b"
# LM Studio, its home moved by the pointer file.
mkdir -p "$home" "$work/lms/models/st-pub/Tiny-GGUF"
printf '%s\n' "$work/lms" >"$home/.lmstudio-home-pointer"
cp "$tiny" "$work/lms/models/st-pub/Tiny-GGUF/Tiny-Q8_0.gguf"

stores=(env HF_HUB_CACHE="$hub" OLLAMA_MODELS="$ol" HOME="$home")
empty=(env HF_HUB_CACHE="$work/none" OLLAMA_MODELS="$work/none" HOME="$work/none")

config() {  # NAME MODEL [EXTRA]: a config that passes every check, its route naming MODEL
  cat >"$work/$1" <<YAML
hardware: {total_ram_gb: 64, architecture: cpu}
inference: {preferred_format: GGUF, quantization: ${3:-Q4_K_M}, max_context_tokens: 2048, kv_cache_reserve_percent: 35}
monitoring: {memory_pressure_threshold: 0.75, action_on_threshold: truncate_context}
routing:
  code: {model: "$2"}
YAML
}

# --- check and plan: the name is found in a store and read from disk --------------------------
config hf.yaml st-org/Tiny-GGUF
expect_exit 0 "check: a GGUF repo id in the HF cache" -- "${stores[@]}" "$planner" check --color never "$work/hf.yaml"
expect_exit 1 "check: the same name without the store is unknown" -- "${empty[@]}" "$planner" check --color never "$work/hf.yaml"
expect_output "unknown without the store" "unknown model 'st-org/Tiny-GGUF'.*\[LI040\]"
expect_exit 0 "plan: the HF repo" -- "${stores[@]}" "$planner" plan --color never "$work/hf.yaml"
expect_output "plan names the repo, not the hash" "^route code: Tiny-GGUF \(0\.00B\), written 'st-org/Tiny-GGUF'|^route code: Tiny-GGUF \(0\.00B\)$"
expect_output "plan says where it was found" "^  on disk       .*/snapshots/0123abcd/Tiny-Q4_K_M\.gguf in the Hugging Face cache \(refs/main -> snapshots/0123abcd -> Tiny-Q4_K_M\.gguf\)$"
expect_output "the file's own quantization" "^  quantization  Q8_0 "
config hf8.yaml st-org/Tiny-GGUF Q8_0
expect_exit 0 "plan --format json: Q8_0 picks the other file" -- "${stores[@]}" "$planner" plan --format json "$work/hf8.yaml"
expect_output "json local_store" '"path": ".*/Tiny-Q8_0\.gguf"'
expect_output "json store" '"store": "Hugging Face cache"'
config hf6.yaml st-org/Tiny-GGUF Q6_K
expect_exit 1 "check: no file for the quantization" -- "${stores[@]}" "$planner" check --color never "$work/hf6.yaml"
expect_output "which files exist" "hf6\.yaml:5:17: error: route 'code': cannot read model 'st-org/Tiny-GGUF': found in the Hugging Face cache: .*snapshots/0123abcd: no \.gguf file for quantization 'Q6_K'; files: Tiny-Q4_K_M\.gguf, Tiny-Q8_0\.gguf \[LI042\]"

config mlx.yaml st-org/Tiny-4bit
expect_exit 0 "plan: an MLX repo in the HF cache" -- "${stores[@]}" "$planner" plan --format json "$work/mlx.yaml"
expect_output "MLX weights exact" '"weights_bytes": 256,'
expect_output "MLX runtime" '"runtime": "mlx-lm"'

config ollama.yaml st-tiny:14b
expect_exit 0 "check: an Ollama name" -- "${stores[@]}" "$planner" check --color never "$work/ollama.yaml"
expect_exit 0 "plan: the Ollama model" -- "${stores[@]}" "$planner" plan --color never "$work/ollama.yaml"
expect_output "plan: Ollama's name" "^route code: st-tiny:14b \(0\.00B\)$"
expect_output "plan: blob and manifest, num_ctx" "^  on disk       .*/blobs/sha256-$tiny_hex in Ollama's store \(manifest registry\.ollama\.ai/library/st-tiny/14b\); Ollama runs it at num_ctx 3072, the config sets the context$"
expect_output "the config's context" "^  context       2048 tokens"
expect_exit 0 "launch: the Ollama model" -- "${stores[@]}" "$planner" launch "$work/ollama.yaml"
expect_output "llama-server serves the blob, not the name" "^llama-server -m $ol/blobs/sha256-$tiny_hex -c 2048 "
expect_exit 0 "launch: the MLX snapshot" -- "${stores[@]}" "$planner" launch "$work/mlx.yaml"
expect_output "mlx_lm.server serves the snapshot" "^mlx_lm.server --model $mlx "
config latest.yaml st-tiny
expect_exit 1 "an Ollama name without a tag is :latest (absent here)" -- "${stores[@]}" "$planner" check --color never "$work/latest.yaml"
expect_output "st-tiny:latest is not in the store" "unknown model 'st-tiny'"

config lms.yaml st-pub/Tiny-GGUF Q8_0
expect_exit 0 "check: an LM Studio repo (home from the pointer file)" -- "${stores[@]}" "$planner" check --color never "$work/lms.yaml"
expect_exit 0 "plan: LM Studio" -- "${stores[@]}" "$planner" plan --color never "$work/lms.yaml"
expect_output "LM Studio's folder" "^  on disk       .*/lms/models/st-pub/Tiny-GGUF/Tiny-Q8_0\.gguf in LM Studio's models folder"

# --- inspect: store paths show the store's name ---------------------------------------------
expect_exit 0 "inspect an Ollama blob (no extension)" -- "${stores[@]}" "$planner" inspect "$ol/blobs/sha256-$tiny_hex"
expect_output "blob named by its manifest" "^  architecture       llama \(st-tiny:14b\)$"
expect_exit 0 "inspect an HF repo folder" -- "$planner" inspect --format json "$hub/models--st-org--Tiny-4bit"
expect_output "repo folder named by the repo" '"name": "st-org/Tiny-4bit"'

# --- models --local --------------------------------------------------------------------------
expect_exit 0 "models --local" -- "${stores[@]}" "$planner" models --local --ram 16 --arch cpu
expect_output "machine line" "^Machine: 16 GB cpu \(as given\); model budget 12\.48 GiB$"
expect_output "HF GGUF rows" "^Hugging Face cache +st-org/Tiny-GGUF Tiny-Q4_K_M\.gguf +GGUF +Q8_0 +0\.00 GiB +4096 +0\.25 GiB  fits$"
expect_output "MLX row" "^Hugging Face cache +st-org/Tiny-4bit +safetensors +f32 +0\.00 GiB +4096 "
expect_output "Ollama row at num_ctx" "^Ollama +st-tiny:14b +GGUF +Q8_0 +0\.00 GiB +3072 "
expect_output "LM Studio row" "^LM Studio +st-pub/Tiny-GGUF Tiny-Q8_0\.gguf +GGUF "
expect_exit 0 "models --local --format json" -- "${stores[@]}" "$planner" models --local --format json --ram 1 --arch cpu --context 4096
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); m=d["models"]; assert len(m)==5, m; assert [x["store"] for x in m]==["Hugging Face cache"]*3+["Ollama","LM Studio"]; assert all(x["context"]==4096 for x in m); o=m[3]; assert o["num_ctx"]==3072 and o["name"]=="st-tiny:14b" and o["fits"] is True, o' "$work/out"; then pass; else fail "models --local json" "$(cat "$work/out")"; fi
expect_exit 0 "models --local with empty stores" -- "${empty[@]}" "$planner" models --local --ram 16 --arch cpu
expect_output "nothing on disk" "^Models on disk: 0 in "
expect_exit 2 "--ram without --local" -- "$planner" models --ram 16
expect_output "--ram goes with --local" "planner: error: --ram goes with --local"

finish
