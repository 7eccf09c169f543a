# shellcheck shell=bash
# Broken model stores for tests/bad-inputs/stores.manifest (issue 11: planner/modelfile/hf_cache,
# ollama_store, lmstudio_store). Sourced by tests/cli/bad_inputs_test.sh in its work directory,
# with $src the repository root. Every name starts with st- (no clash with other generators).
# The stores are a Hugging Face cache (st-hf) and an Ollama store (st-ollama); the exports below
# point planner at them for every case sourced after this file, which also keeps the corpus from
# reading the stores of the machine it runs on.

: "${src:?set by tests/cli/bad_inputs_test.sh: the repository root}"

export HF_HUB_CACHE="$PWD/st-hf" OLLAMA_MODELS="$PWD/st-ollama"

# st_config NAME MODEL: a config whose only route r0 names MODEL (line 14, column 12).
st_config() {
  {
    printf 'hardware:\n  total_ram_gb: 64\n  architecture: cpu\ninference:\n  preferred_format: GGUF\n'
    printf '  quantization: Q4_K_M\n  max_context_tokens: 2048\n  kv_cache_reserve_percent: 35\n'
    printf 'monitoring:\n  memory_pressure_threshold: 0.75\n  action_on_threshold: truncate_context\nrouting:\n'
    printf '  r0:\n    model: %s\n' "$2"
  } > "$1"
}

# --- Hugging Face cache: refs/main -> snapshots/<sha> --------------------------------------------
hf=st-hf
# refs/main names a snapshot that is not there.
mkdir -p "$hf/models--st-org--dangling/refs" "$hf/models--st-org--dangling/snapshots"
printf 'aaaa' > "$hf/models--st-org--dangling/refs/main"
st_config st-hf-dangling.yaml st-org/dangling
# No refs/main: the snapshots present are listed.
mkdir -p "$hf/models--st-org--noref/snapshots/bbbb"
st_config st-hf-noref.yaml st-org/noref
# refs/main is a symlink to itself.
mkdir -p "$hf/models--st-org--refloop/refs"
ln -s main "$hf/models--st-org--refloop/refs/main"
st_config st-hf-refloop.yaml st-org/refloop
# The snapshot is a symlink loop.
mkdir -p "$hf/models--st-org--snaploop/refs" "$hf/models--st-org--snaploop/snapshots"
printf 'cccc' > "$hf/models--st-org--snaploop/refs/main"
ln -s cccc "$hf/models--st-org--snaploop/snapshots/cccc"
st_config st-hf-snaploop.yaml st-org/snaploop
# refs/main of 1 GB (sparse).
mkdir -p "$hf/models--st-org--hugeref/refs" "$hf/models--st-org--hugeref/snapshots"
truncate -s 1G "$hf/models--st-org--hugeref/refs/main"
st_config st-hf-hugeref.yaml st-org/hugeref
# refs/main that tries to leave the repo.
mkdir -p "$hf/models--st-org--escape/refs" "$hf/models--st-org--escape/snapshots"
printf '../../../etc' > "$hf/models--st-org--escape/refs/main"
st_config st-hf-escape.yaml st-org/escape
# A GGUF repo without the route's quantization.
mkdir -p "$hf/models--st-org--Tiny-GGUF/refs" "$hf/models--st-org--Tiny-GGUF/snapshots/dddd"
printf 'dddd' > "$hf/models--st-org--Tiny-GGUF/refs/main"
cp "$src/tests/data/gguf-hostile/tiny-valid.gguf" "$hf/models--st-org--Tiny-GGUF/snapshots/dddd/Tiny-Q8_0.gguf"
cp "$src/tests/data/gguf-hostile/tiny-valid.gguf" "$hf/models--st-org--Tiny-GGUF/snapshots/dddd/Tiny-F16.gguf"
st_config st-hf-no-quant.yaml st-org/Tiny-GGUF

# --- Ollama: manifests/<host>/<namespace>/<model>/<tag> -> blobs/sha256-<hex> ---------------------
ol=st-ollama
lib="$ol/manifests/registry.ollama.ai/library"
mkdir -p "$ol/blobs" "$lib"
gguf_hex="$(sha256sum "$src/tests/data/gguf-hostile/tiny-valid.gguf" | cut -c1-64)"
cp "$src/tests/data/gguf-hostile/tiny-valid.gguf" "$ol/blobs/sha256-$gguf_hex"
zeros=0000000000000000000000000000000000000000000000000000000000000000
# st_manifest MODEL TAG LAYERS: a manifest whose layers are the JSON text LAYERS.
st_manifest() {
  mkdir -p "$lib/$1"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","layers":[%s]}' \
    "$3" > "$lib/$1/$2"
}
model_layer() { printf '{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:%s","size":1}' "$1"; }
# A good one, for inspect's name of a blob.
st_manifest st-good latest "$(model_layer "$gguf_hex")"
# Manifest JSON cut short.
mkdir -p "$lib/st-notjson"
printf '{"schemaVersion":2,"layers":[{"mediaType":' > "$lib/st-notjson/latest"
st_config st-ollama-notjson.yaml st-notjson
# The model blob is missing.
st_manifest st-noblob 14b "$(model_layer "$zeros")"
st_config st-ollama-noblob.yaml st-noblob:14b
# A digest that is not sha256 hex (a path, even).
st_manifest st-baddigest latest '{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:../../etc/passwd"}'
st_config st-ollama-baddigest.yaml st-baddigest
# A 1 GB manifest (sparse).
mkdir -p "$lib/st-huge"
truncate -s 1G "$lib/st-huge/latest"
st_config st-ollama-huge.yaml st-huge
# 100,000 nested brackets.
mkdir -p "$lib/st-deep"
head -c 100000 /dev/zero | tr '\0' '[' > "$lib/st-deep/latest"
st_config st-ollama-deep.yaml st-deep
# The manifest is a symlink loop.
mkdir -p "$lib/st-loop"
ln -s latest "$lib/st-loop/latest"
st_config st-ollama-loop.yaml st-loop
# A params blob that is not JSON.
printf '{num_ctx: 8192}' > "$ol/blobs/sha256-1111111111111111111111111111111111111111111111111111111111111111"
st_manifest st-badparams latest "$(model_layer "$gguf_hex"),{\"mediaType\":\"application/vnd.ollama.image.params\",\"digest\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\"}"
st_config st-ollama-badparams.yaml st-badparams
# A model stored as safetensors tensors (ollama's MLX format).
printf '{"model_format":"safetensors","file_type":"bf16"}' > "$ol/blobs/sha256-2222222222222222222222222222222222222222222222222222222222222222"
mkdir -p "$lib/st-mlx"
printf '{"schemaVersion":2,"config":{"digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222"},"layers":[]}' \
  > "$lib/st-mlx/latest"
st_config st-ollama-mlx.yaml st-mlx
