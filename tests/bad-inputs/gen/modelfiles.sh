# shellcheck shell=bash
# Hostile model files for tests/bad-inputs/modelfiles.manifest (issue 10: the GGUF, config.json
# and safetensors readers and the estimate they feed). Sourced by tests/cli/bad_inputs_test.sh in
# its work directory, with $src the repository root. Every name starts with mf- (no clash with
# other generators); configs name their model by a path relative to themselves.

: "${src:?set by tests/cli/bad_inputs_test.sh: the repository root}"

# mf_le BYTES VALUE: VALUE (below 2^63) as BYTES little-endian bytes.
mf_le() {
  local i out=""
  for ((i = 0; i < $1; i++)); do out+="$(printf '\\x%02x' $((($2 >> (8 * i)) & 255)))"; done
  printf '%b' "$out"
}
# mf_str TEXT: a GGUF string (u64 length + bytes); TEXT is ASCII.
mf_str() { mf_le 8 "${#1}"; printf '%s' "$1"; }
# mf_head TENSORS KEYS: magic, version 3, tensor count, key count.
mf_head() { printf 'GGUF'; mf_le 4 3; mf_le 8 "$1"; mf_le 8 "$2"; }
# mf_config NAME MODEL...: a config that passes every other check, one route per MODEL.
mf_config() {
  local name="$1" i=0
  shift
  {
    printf 'hardware:\n  total_ram_gb: 64\n  architecture: cpu\ninference:\n  preferred_format: GGUF\n'
    printf '  quantization: Q4_K_M\n  max_context_tokens: 2048\n  kv_cache_reserve_percent: 35\n'
    printf 'monitoring:\n  memory_pressure_threshold: 0.75\n  action_on_threshold: truncate_context\nrouting:\n'
    for model in "$@"; do
      printf '  r%d:\n    model: %s\n' "$i" "$model"
      i=$((i + 1))
    done
  } > "$name"
}
# mf_hf DIR JSON: a model directory with config.json = JSON and a one-tensor model.safetensors.
mf_hf() {
  mkdir -p "$1"
  printf '%s' "$2" > "$1/config.json"
  local header='{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}'
  { mf_le 8 "${#header}"; printf '%s' "$header"; head -c 16 /dev/zero; } > "$1/model.safetensors"
}
# mf_st DIR: a model directory whose model.safetensors header is read from stdin.
mf_st() {
  mkdir -p "$1"
  printf '{"model_type":"llama","num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4}' > "$1/config.json"
  local tmp="$1/.header"
  cat > "$tmp"
  { mf_le 8 "$(wc -c < "$tmp")"; cat "$tmp"; } > "$1/model.safetensors"
  rm -f "$tmp"
}

# --- GGUF files planner refuses (the committed corpus: tests/data/gguf-hostile/README.md) ------
for f in block-count-wraps block-count-int-max block-count-string kv-heads-negative kv-heads-wraps context-nan \
  window-inf heads-fractional file-type-nan embedding-huge vocab-huge experts-huge per-layer-too-long \
  overlapping-tensors; do
  cp "$src/tests/data/gguf-hostile/$f.gguf" "mf-$f.gguf"
done

# 50 MB of arrays of arrays of u8 (3 keys x 4096 x 4096): kept as values this took 5.9 GB and 12 s.
{ mf_le 4 0; mf_le 8 4096; head -c 4096 /dev/zero | tr '\0' '\1'; } > mf-inner.bin
for _ in 1 2 3 4 5 6 7 8; do cat mf-inner.bin mf-inner.bin mf-inner.bin mf-inner.bin mf-inner.bin mf-inner.bin \
  mf-inner.bin mf-inner.bin; done > mf-inner64.bin
for _ in 1 2 3 4 5 6 7 8; do cat mf-inner64.bin mf-inner64.bin mf-inner64.bin mf-inner64.bin mf-inner64.bin \
  mf-inner64.bin mf-inner64.bin mf-inner64.bin; done > mf-inner4096.bin
{
  mf_head 0 4
  mf_str general.architecture; mf_le 4 8; mf_str llama
  for k in a b c; do mf_str "llama.nested_$k"; mf_le 4 9; mf_le 4 9; mf_le 8 4096; cat mf-inner4096.bin; done
} > mf-nested-arrays-50mb.gguf
rm -f mf-inner.bin mf-inner64.bin
# The same arrays under a per-layer key planner reads: still not kept (arrays of arrays).
{
  mf_head 0 2
  mf_str general.architecture; mf_le 4 8; mf_str llama
  mf_str llama.attention.head_count_kv; mf_le 4 9; mf_le 4 9; mf_le 8 4096; cat mf-inner4096.bin
} > mf-nested-per-layer-key.gguf
rm -f mf-inner4096.bin
# 2^24 - 16 empty strings (a sparse 134 MB: zeros are empty strings), the walked-element budget.
{ mf_head 0 1; mf_str tokenizer.ggml.merges; mf_le 4 9; mf_le 4 8; mf_le 8 16777200; } > mf-merges-16m.gguf
truncate -s $(($(wc -c < mf-merges-16m.gguf) + 16777200 * 8)) mf-merges-16m.gguf
# 2^24 + 1 of them: over the budget, refused at the count (sparse as well).
{ mf_head 0 1; mf_str tokenizer.ggml.merges; mf_le 4 9; mf_le 4 8; mf_le 8 16777217; } > mf-elements-over-budget.gguf
truncate -s $(($(wc -c < mf-elements-over-budget.gguf) + 16777217 * 8)) mf-elements-over-budget.gguf
# Counts and lengths over the header's caps (each refused before any loop).
mf_head 262145 0 > mf-tensor-count-over-cap.gguf
mf_head 0 65537 > mf-key-count-over-cap.gguf
{ mf_head 0 1; mf_le 8 65537; head -c 65600 /dev/zero; } > mf-key-over-cap.gguf
# A 1 MiB string value (a chat template of that size): stepped over, the file reads.
{ mf_head 0 2; mf_str general.architecture; mf_le 4 8; mf_str llama
  mf_str tokenizer.chat_template; mf_le 4 8; mf_le 8 1048576; head -c 1048576 /dev/zero | tr '\0' 'x'; } > mf-long-string-value.gguf
# Invalid UTF-8 in the name (replaced by U+FFFD); the JSON output must stay valid UTF-8.
{ mf_head 0 2; mf_str general.architecture; mf_le 4 8; mf_str llama
  mf_le 8 12; printf 'general.name'; mf_le 4 8; mf_le 8 9; printf 'ok\xff\xfe\xc0\xaf\xed\xa0\x80'; } > mf-invalid-utf8.gguf
# 10,000 layers (the cap) with a per-layer head_count_kv of alternating zeros: read and estimated.
{
  mf_head 0 4; mf_str general.architecture; mf_le 4 8; mf_str llama
  mf_str llama.block_count; mf_le 4 4; mf_le 4 10000
  mf_str llama.attention.head_count; mf_le 4 4; mf_le 4 8
  mf_str llama.attention.head_count_kv; mf_le 4 9; mf_le 4 4; mf_le 8 10000
  for ((i = 0; i < 625; i++)); do printf '\0\0\0\0\x08\0\0\0\0\0\0\0\x08\0\0\0\0\0\0\0\x08\0\0\0\0\0\0\0\x08\0\0\0\0\0\0\0\x08\0\0\0\0\0\0\0\x08\0\0\0\0\0\0\0\x08\0\0\0\0\0\0\0\x08\0\0\0'; done
} > mf-per-layer-at-cap.gguf
# Every hyperparameter at its limit (10,000 layers of 65,536 KV heads of 65,536): a KV cache of
# 2^71 bytes at 2^24 tokens, which inspect's JSON cast to an integer (undefined; it printed 0).
{
  mf_head 0 8; mf_str general.architecture; mf_le 4 8; mf_str llama
  mf_str llama.block_count; mf_le 4 4; mf_le 4 10000
  for k in head_count head_count_kv key_length value_length; do mf_str "llama.attention.$k"; mf_le 4 4; mf_le 4 65536; done
  mf_str llama.embedding_length; mf_le 4 4; mf_le 4 1048576
  mf_str llama.context_length; mf_le 4 4; mf_le 4 1073741824
} > mf-all-at-limits.gguf
# 2^18 - 1 tensors (the tensor cap), empty (a 0 dim, so all may sit at offset 0): the largest
# header the reader accepts. printf repeats its format for each name seq prints.
{
  mf_head 262143 2; mf_str general.architecture; mf_le 4 8; mf_str llama
  mf_str llama.block_count; mf_le 4 4; mf_le 4 32
  # shellcheck disable=SC2046  # one name a word
  printf '\x07\0\0\0\0\0\0\0%s\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' $(seq -f 't%06.0f' 0 262142)
} > mf-tensors-at-cap.gguf
truncate -s $((($(wc -c < mf-tensors-at-cap.gguf) + 31) / 32 * 32)) mf-tensors-at-cap.gguf  # the data section's start

# --- config.json ---------------------------------------------------------------------------------
base='"model_type":"llama","hidden_size":4096,"num_attention_heads":32,"vocab_size":32000'
mf_hf mf-hf-layers-int-max "{$base,\"num_hidden_layers\":2147483647}"
mf_hf mf-hf-layers-int-max-types "{$base,\"num_hidden_layers\":2147483647,\"sliding_window\":4096,\"layer_types\":[\"sliding_attention\",\"full_attention\"]}"
mf_hf mf-hf-kv-heads-wraps "{$base,\"num_hidden_layers\":32,\"num_key_value_heads\":4294967297}"
mf_hf mf-hf-negative-heads "{\"model_type\":\"llama\",\"num_hidden_layers\":32,\"hidden_size\":4096,\"num_attention_heads\":-32}"
mf_hf mf-hf-fractional-head-dim "{$base,\"num_hidden_layers\":32,\"head_dim\":128.5}"
mf_hf mf-hf-string-layers "{$base,\"num_hidden_layers\":\"32\"}"
mf_hf mf-hf-huge-float "{\"model_type\":\"llama\",\"num_hidden_layers\":2,\"vocab_size\":1e300}"
mf_hf mf-hf-quant-bits-wraps "{$base,\"num_hidden_layers\":32,\"quantization\":{\"group_size\":64,\"bits\":4294967300}}"
mf_hf mf-hf-window-over-cap "{$base,\"num_hidden_layers\":32,\"sliding_window\":2147483648}"
mf_hf mf-hf-experts-over-cap "{$base,\"num_hidden_layers\":32,\"num_local_experts\":4294967296}"
# layer_types of 100,000 entries (the old period search: 23 s), and 10,000 with no shorter period.
{ printf '{%s,"sliding_window":4096,"layer_types":[' "$base"; yes '"sliding_attention",' | head -n 99999 | tr -d '\n'
  printf '"full_attention"]}'; } > mf-layer-types.json
mf_hf mf-hf-layer-types-100k "$(cat mf-layer-types.json)"
{ printf '{%s,"num_hidden_layers":10000,"sliding_window":4096,"layer_types":[' "$base"; yes '"sliding_attention",' | head -n 9999 | tr -d '\n'
  printf '"full_attention"]}'; } > mf-layer-types.json
mf_hf mf-hf-layer-types-10k "$(cat mf-layer-types.json)"
rm -f mf-layer-types.json
# 250,000 MLX per-module overrides (7 MB): one search for an error's byte, not one per module
# (that was quadratic: over 100 s). The second file's last override is out of range.
mf_hf mf-hf-quant-overrides "{$base,\"num_hidden_layers\":2,\"quantization\":{\"group_size\":64,\"bits\":4,$(seq -f '"l.%.0f":{"bits":4},' 1 250000 | tr -d '\n')\"last\":{\"bits\":4}}}"
mf_hf mf-hf-quant-override-bad "{$base,\"num_hidden_layers\":2,\"quantization\":{\"group_size\":64,\"bits\":4,$(seq -f '"l.%.0f":{"bits":4},' 1 250000 | tr -d '\n')\"last\":{\"bits\":64}}}"
# 2^20 + 1 values in a 2 MB config.json.
mkdir -p mf-hf-too-many-values
{ printf '{%s,"num_hidden_layers":2,"x":[' "$base"; yes '0,' | head -n 1048576 | tr -d '\n'; printf '0]}'; } > mf-hf-too-many-values/config.json

# --- safetensors -----------------------------------------------------------------------------------
# 98 MB of `0,`: under safetensors' 100,000,000-byte header limit; parsed, it took 1.9 GB and 11 s.
{ printf '{"x":['; yes '0,' | head -n 49000000 | tr -d '\n'; printf '0]}'; } | mf_st mf-st-values-98mb
# A tensor name with a terminal escape and 1 MB of letters: cut and escaped in the message.
{ printf '{"evil\\u001b]0;title\\u0007'; head -c 1000000 /dev/zero | tr '\0' 'a'; printf '": {}}'; } | mf_st mf-st-hostile-name
# An index of 1.1 million entries (the limit is 2^20 values).
mkdir -p mf-st-index-values
printf '{"model_type":"llama","num_hidden_layers":2}' > mf-st-index-values/config.json
{ printf '{"weight_map":{'; seq -f '"t%.0f":"a",' 1 1100000 | tr -d '\n'; printf '"z":"a"}}'; } > mf-st-index-values/model.safetensors.index.json

# --- configs whose route names such a model (paths relative to the config) ------------------------
mf_config mf-route-gguf-wraps.yaml ./mf-block-count-wraps.gguf
mf_config mf-route-gguf-nan.yaml ./mf-context-nan.gguf
mf_config mf-route-gguf-overlap.yaml ./mf-overlapping-tensors.gguf
mf_config mf-route-nested-arrays.yaml ./mf-nested-arrays-50mb.gguf
mf_config mf-route-hf-layers.yaml ./mf-hf-layers-int-max
mf_config mf-route-hf-layer-types.yaml ./mf-hf-layer-types-100k
mf_config mf-route-hf-quant-bits.yaml ./mf-hf-quant-bits-wraps
mf_config mf-route-st-values.yaml ./mf-st-values-98mb
mf_config mf-route-all-at-limits.yaml ./mf-all-at-limits.gguf
# 50 routes on the largest header the reader accepts: read once, not 50 times (19.5 s before).
mapfile -t mf_models < <(yes ./mf-tensors-at-cap.gguf | head -n 50)
mf_config mf-route-50-on-one-file.yaml "${mf_models[@]}"
# A config's own models: section with 2^31 - 1 layers: the estimate took 40 s a route. (The range
# error itself is the schema's; this case pins only the time.)
cat > mf-models-layers-int-max.yaml <<'EOF'
hardware:
  total_ram_gb: 64
  architecture: cpu
inference:
  preferred_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: 2048
models:
  deep:
    params_b: 7
    layers: 2147483647
    kv_heads: 8
    head_dim: 128
routing:
  code:
    model: deep
EOF
