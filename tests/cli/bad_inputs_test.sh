#!/usr/bin/env bash
# The bad-input corpus (tests/bad-inputs/manifest): each case must give its documented exit status
# and a one-line message with its location, without crashing, hanging or using unbounded memory.
# Inputs too big, binary or special to commit are generated here. Usage: bad_inputs_test.sh PLANNER SOURCE_DIR
set -uo pipefail

planner="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$2"
corpus="$src/tests/bad-inputs"
work="$(mktemp -d)"
fifo_writer=""
cleanup() {
  if [ -n "$fifo_writer" ]; then kill "$fifo_writer" 2>/dev/null; fi
  chmod -R u+rwX "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"


# Hang guard and memory cap per case. ASan reserves terabytes of address space, so a sanitizer
# build cannot run under ulimit -v: the cap is dropped for it (ASan bounds its own allocations).
timeout_s=20
mem_kb=1048576
if ! (ulimit -v "$mem_kb" && "$planner" --version) >/dev/null 2>&1; then
  mem_kb=unlimited
  echo "note: $planner does not start under ulimit -v (a sanitizer build?): no memory cap" >&2
fi

# --- Generated inputs ---------------------------------------------------------------------------
cp "$corpus"/*.yaml "$work"/
cd "$work" || exit 1
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
cat wrong-types.yaml > fifo.yaml &   # a pipe with a writer is read like a file (cf. <(...))
fifo_writer=$!
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

# chmod 000 stops everyone but root: as root (CI), read it as nobody instead when setpriv can.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups "$planner" --version >/dev/null 2>&1; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    chmod 755 "$work"
  else
    as_user=(skip)
  fi
fi

out_file="$work/.case-output"

# --- Cases --------------------------------------------------------------------------------------
run_case() {
  local file="$1" cmd="$2" want_exit="$3" loc="$4" fragment="$5"
  local prefix=()
  if [ "$file" = unreadable.yaml ] && ((${#as_user[@]})); then
    if [ "${as_user[0]}" = skip ]; then
      skipped=$((skipped + 1))
      echo "skip: $file: running as root, and cannot run planner as nobody (setpriv) to test it" >&2
      return
    fi
    prefix=("${as_user[@]}")
  fi
  local out got
  (ulimit -v "$mem_kb"; exec timeout "$timeout_s" "${prefix[@]}" "$planner" "$cmd" "$file") > "$out_file" 2>&1
  got=$?
  out="$(tr -d '\0' < "$out_file")"  # the binary cases echo their bytes
  local name="$cmd $file"
  if [ "$got" -eq 124 ]; then fail "$name: still running after ${timeout_s}s" "$out"; return; fi
  if grep -Eq 'Sanitizer|runtime error:|terminate called|Segmentation fault|Aborted|std::bad_alloc' <<<"$out"; then
    fail "$name: crashed" "$out"; return
  fi
  if [ "$got" -ne "$want_exit" ]; then fail "$name: exit $got, want $want_exit" "$out"; return; fi
  local line
  line="$(grep -F -- "$fragment" <<<"$out" | head -1)"
  if [ -z "$line" ]; then fail "$name: no message containing '$fragment'" "$out"; return; fi
  if [ "$loc" != "-" ] && [[ "$line" != "$file:$loc: "* ]]; then
    fail "$name: message not at $file:$loc" "$line"; return
  fi
  if [ "${#line}" -gt 400 ]; then fail "$name: message longer than 400 characters" "$line"; return; fi
  pass
}

trim() {
  local s="${1#"${1%%[![:space:]]*}"}"
  printf '%s' "${s%"${s##*[![:space:]]}"}"
}
cases=0
while IFS='|' read -r file cmd want_exit loc fragment; do
  file="$(trim "$file")"
  if [ -z "$file" ] || [[ "$file" == "#"* ]]; then continue; fi
  cases=$((cases + 1))
  run_case "$file" "$(trim "$cmd")" "$(trim "$want_exit")" "$(trim "$loc")" "$(trim "$fragment")"
done < "$corpus/manifest"

# Every committed input is in the manifest (a file added without an expectation tests nothing).
for f in "$corpus"/*.yaml; do
  if grep -q "^$(basename "$f") " "$corpus/manifest"; then pass; else fail "$(basename "$f") is not in the manifest"; fi
done
if [ "$cases" -ge 40 ]; then pass; else fail "only $cases cases read from the manifest"; fi

finish
