# shellcheck shell=bash
# Inputs for schema.manifest (lengths, counts and ranges) too big to commit. Sourced by
# tests/cli/bad_inputs_test.sh in its work directory.
: "${src:?set by tests/cli/bad_inputs_test.sh: the repository root}"
head_cfg() {  # a valid hardware + inference, then the routing: line
  printf 'hardware:\n  total_ram_gb: 32\n  architecture: apple_silicon\ninference:\n'
  printf '  preferred_format: GGUF\n  quantization: Q4_K_M\n  max_context_tokens: 8192\nrouting:\n'
}
long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }
# A 30,000-character route name as an explicit key: std::regex overflowed the stack on it.
{ head_cfg; printf '  ? '; long 30000; printf '\n  : {model: qwen3-8b}\n'; } > route-name-30k.yaml
{ head_cfg; printf '  code:\n    model: '; long 5000 m; echo; } > model-value-5k.yaml
{ head_cfg; printf '  code:\n    model: qwen3-8b\nlogging:\n  output: '; long 4097 l; echo; } > log-output-4097.yaml
{ head_cfg; printf '  code: {model: qwen3-8b}\nmodels:\n  '; long 300 n; printf ': {params_b: 7, layers: 32, kv_heads: 8, head_dim: 128}\n'; } > model-name-300.yaml
# A 1 MB file whose scalar is aliased 99,000 times: the node limit alone let ~99 GB of text through.
{ printf 'a: &big '; long 500000 x; printf '\nb: ['; for ((i = 0; i < 9900; i++)); do printf '*big,*big,*big,*big,*big,*big,*big,*big,*big,*big,'; done; printf '*big]\n'; } > alias-bytes-bomb.yaml
# 100 KB unknown model name shared by 50 routes (5 MB after aliases, under the byte limit).
{ head_cfg; printf '  r0:\n    model: &m '; long 100000 q; echo; for ((i = 1; i < 50; i++)); do printf '  r%d:\n    model: *m\n' "$i"; done; } > long-unknown-model-50-routes.yaml
# As many routes as the 100,000-node limit lets through (24,000 in 340 KB), 4,000 user models
# named by 4,000 routes, and 49,000 keys with a duplicate at the end: hashed lookups, not scans.
{ head_cfg; printf '  r: &r {model: qwen3-8b}\n'; for ((i = 0; i < 24000; i++)); do printf '  r%d: *r\n' "$i"; done; } > routes-24k.yaml
{ printf 'hardware:\n'; for ((i = 0; i < 49000; i++)); do printf '  k%d: 1\n' "$i"; done; printf '  k7: 2\n'; } > keys-49k-duplicate.yaml
{ printf 'hardware: {total_ram_gb: 32}\nmodels:\n'; for ((i = 0; i < 4000; i++)); do printf '  m%d: {params_b: 7, layers: 32, kv_heads: 8, head_dim: 128}\n' "$i"; done
  printf 'inference: {preferred_format: GGUF, quantization: Q4_K_M, max_context_tokens: 8192}\nrouting:\n'
  for ((i = 0; i < 4000; i++)); do printf '  r%d: {model: m%d}\n' "$i" "$((i * 7 % 4000))"; done; } > models-4k-routes-4k.yaml
# 50 routes naming a user model of 2,147,483,647 layers (above the schema's maximum).
{ head_cfg; for ((i = 0; i < 50; i++)); do printf '  r%d: {model: mine}\n' "$i"; done
  printf 'models:\n  mine: {params_b: 7, layers: 2147483647, kv_heads: 8, head_dim: 128}\n'; } > models-layers-max-50-routes.yaml
# Classic Mac line ends (CR only): read as line ends, not as one line.
printf 'hardware:\r  total_ram_gb: [16]\r  architecture: apple_silicon\r' > cr-only.yaml
printf 'hardware:\r\n  total_ram_gb: 16\r  architecture: [x]\n' > mixed-line-ends.yaml
