# shellcheck shell=bash
# Inputs for writes.manifest: files that fix --write, script -o and init -o must treat with care
# (modes, links, the config as its own output, existing files). Sourced by
# tests/cli/bad_inputs_test.sh in its work directory ($src: the repository root). Every case
# has files of its own: a case that writes must not change another's input.
: "${src:?sourced by tests/cli/bad_inputs_test.sh, which sets src}"
writes_props="$src/tests/fixtures/fix-properties"
cp "$writes_props/anchored-routes.fixed.yaml" writes-anchored.expected.yaml
cp "$writes_props/merged-routes.unsafe-fixed.yaml" writes-merged.expected.yaml
cp "$writes_props/merged-routes.yaml" writes-merged.yaml
for writes_name in anchored twice ro ro-force setuid setgid sticky private hardlink-a symlink-target; do
  cp "$writes_props/anchored-routes.yaml" "writes-$writes_name.yaml"
done
chmod 0444 writes-ro.yaml writes-ro-force.yaml
chmod 4755 writes-setuid.yaml
chmod 2750 writes-setgid.yaml
chmod 1644 writes-sticky.yaml
chmod 0600 writes-private.yaml
ln -f writes-hardlink-a.yaml writes-hardlink-b.yaml
ln -sf writes-symlink-target.yaml writes-symlink.yaml

# One route whose value carries properties around it; the fixed text beside it.
writes_head='hardware: {total_ram_gb: 32, architecture: apple_silicon}
inference: {preferred_format: MLX, fallback_format: GGUF, quantization: Q4_K_M, max_context_tokens: 4096, kv_cache_reserve_percent: 35}
monitoring: {memory_pressure_threshold: 0.75, action_on_threshold: truncate_context}
routing:
  code:'
writes_route() {  # NAME BEFORE AFTER: writes-NAME.yaml and writes-NAME.expected.yaml
  printf '%s\n%s\n' "$writes_head" "$2" >"writes-$1.yaml"
  printf '%s\n%s\n' "$writes_head" "$3" >"writes-$1.expected.yaml"
}
# The model's name says Q8_0, the route's quantization another: LI052's safe fix edits the value.
writes_q8='    model: Qwen3-8B-Q8_0.gguf'
writes_route tagged "$writes_q8"$'\n    quantization: !!str Q4_K_M' "$writes_q8"$'\n    quantization: !!str Q8_0'
writes_route tag-anchor "$writes_q8"$'\n    quantization: !!str &q Q4_K_M # note' \
  "$writes_q8"$'\n    quantization: !!str &q Q8_0 # note'
writes_route verbatim-tag "$writes_q8"$'\n    quantization: !<tag:yaml.org,2002:str> Q4_K_M' \
  "$writes_q8"$'\n    quantization: !<tag:yaml.org,2002:str> Q8_0'
writes_route anchor-next-line "$writes_q8"$'\n    quantization: &q # the anchor alone\n      Q4_K_M' \
  "$writes_q8"$'\n    quantization: &q # the anchor alone\n      Q8_0'
writes_route quoted-key '    "modle": deepseek-v2-lite' '    "model": deepseek-v2-lite'
writes_route anchored-key '    &k modle: deepseek-v2-lite' '    &k model: deepseek-v2-lite'
# A plain scalar folded over two lines: its bytes are not its value, so no edit at all.
writes_route folded "$writes_q8"$'\n    quantization: Q4_K\n      _M' "$writes_q8"$'\n    quantization: Q4_K\n      _M'
# LI016 on reasoning only, through the alias: raising it at the anchor would raise quick_qa's too.
printf '%s\n' "${writes_head%  code:}" '  quick_qa:' '    model: phi-3-mini-4k-instruct' '    min_ram_gb: &ram 12' \
  '  reasoning:' '    model: deepseek-v2-lite' '    min_ram_gb: *ram' >writes-through-alias.yaml

# script -o and init -o: existing outputs, and the config under other names.
cp "$src/tests/cli/launch/gguf-linux.yaml" writes-script.yaml
for writes_name in self self-dot self-symlink-of self-hardlink-of; do cp writes-script.yaml "writes-$writes_name.yaml"; done
ln -sf writes-self-symlink-of.yaml writes-self-symlink.yaml
ln -f writes-self-hardlink-of.yaml writes-self-hardlink.yaml
printf 'precious\n' | tee writes-run-existing.sh writes-run-0600.sh writes-run-0644.sh >/dev/null
chmod 0600 writes-run-0600.sh
chmod 0644 writes-run-0644.sh
mkdir -p writes-outdir
cp -R "$src/tests/data/detect/macos-m4pro-24gb" writes-detect
printf 'precious\n' | tee writes-init-existing.yaml writes-init-0600.yaml writes-init-ro.yaml writes-init-link-a.yaml >/dev/null
chmod 0600 writes-init-0600.yaml
chmod 0444 writes-init-ro.yaml
ln -f writes-init-link-a.yaml writes-init-link-b.yaml
