# shellcheck shell=bash
# Inputs for yaml.manifest that are too big, binary or special to commit. Sourced by
# tests/cli/bad_inputs_test.sh in its work directory ($src: the repository root).
: "${src:?set by tests/cli/bad_inputs_test.sh: the repository root}"
printf '\xef\xbb\xbf# with a UTF-8 byte order mark\nhardware:\n  total_ram_gb: "16"\n' > utf8-bom.yaml
printf '# CRLF line endings\r\nhardware:\r\n  total_ram_gb: "16"\r\n' > crlf.yaml
printf '\xff\xfeh\0a\0r\0d\0' > utf16-bom.yaml
printf 'hard\0ware: \x01\x02\xff\xfe\x80' > binary.yaml
printf 'hardware:\n  total_ram_gb: \xc3\x28\n' > invalid-utf8.yaml
# 100 MB of text: planner must refuse it from its first MiB, not read it all.
yes 'key: value' | head -c 100000000 > big-100mb.yaml
# 200,000 levels in 400 KB (flow), and in block style on one line ("- - - ... x").
{ printf 'a: '; head -c 200000 /dev/zero | tr '\0' '['; head -c 200000 /dev/zero | tr '\0' ']'; echo; } > deep-flow-200k.yaml
{ printf 'a: '; yes '{a: ' | head -n 200000 | tr -d '\n'; head -c 200000 /dev/zero | tr '\0' '}'; echo; } > deep-flow-map-200k.yaml
{ printf 'a: '; yes -- '- ' | head -n 200000 | tr -d '\n'; echo x; } > deep-block-seq-200k.yaml
# Block mappings indented one more space a level: 1,300 levels is ~0.85 MB, under the size limit.
{ echo 'a:'; for ((i = 1; i <= 1300; i++)); do printf '%*sk%d:\n' "$i" '' "$i"; done; } > deep-block-map-1300.yaml
# A suppression comment on a 500 KB line (the suppression scanner reads it with a regex).
{ echo 'hardware: {total_ram_gb: 16, architecture: apple_silicon}'; printf '# planner: ignore['
  head -c 500000 /dev/zero | tr '\0' 'a'; echo; } > long-suppression-line.yaml
mkdir directory.yaml
ln -s wrong-types.yaml symlink.yaml
ln -s nowhere.yaml dangling-symlink.yaml
mkfifo fifo.yaml
cat wrong-types.yaml > fifo.yaml &   # even a pipe with a writer is refused: config files only
background_pids+=("$!")
mkfifo fifo-no-writer.yaml          # opening it for reading must not wait for a writer
cp wrong-types.yaml unreadable.yaml
chmod 000 unreadable.yaml
# Model files and directories for `inspect`.
printf 'not a model file at all\n' | tee not-gguf.gguf > not-a-model.txt
truncate -s 100000000 big-100mb.gguf
mkdir directory.gguf empty-dir truncated-config config-not-object deep-config short-safetensors \
  huge-header-safetensors past-eof-header-safetensors not-json-safetensors
printf '{"model_type": "llama", "hidden_size":' > truncated-config/config.json
printf '[1, 2, 3]' > config-not-object/config.json
{ printf '{"model_type": "llama", "hidden_size": '; head -c 100000 /dev/zero | tr '\0' '['
  head -c 100000 /dev/zero | tr '\0' ']'; printf '}'; } > deep-config/config.json
for d in short-safetensors huge-header-safetensors past-eof-header-safetensors not-json-safetensors; do
  cp "$src/fuzz/seeds/hf_config/dense.json" "$d/config.json"
done
printf 'abc' > short-safetensors/model.safetensors
printf '\xff\xff\xff\xff\xff\xff\xff\x00{}' > huge-header-safetensors/model.safetensors
printf '\x00\x10\x00\x00\x00\x00\x00\x00{"a":' > past-eof-header-safetensors/model.safetensors
printf '\x04\x00\x00\x00\x00\x00\x00\x00[1] ' > not-json-safetensors/model.safetensors
