#!/usr/bin/env bash
# The hostile-input corpus (tests/bad-inputs/*.manifest, format in tests/bad-inputs/README.md):
# each case must give its documented exit status and a one-line message with its location,
# without crashing, hanging, using unbounded memory, printing raw control bytes, leaving a
# temporary file or changing a file it was not asked to write.
# Usage: bad_inputs_test.sh PLANNER SOURCE_DIR
set -uo pipefail

planner="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$2"
corpus="$src/tests/bad-inputs"
work="$(mktemp -d)"
background_pids=()  # writers the generators leave running (a FIFO's writer)
cleanup() {
  local pid
  for pid in "${background_pids[@]}"; do kill "$pid" 2>/dev/null; done
  chmod -R u+rwX "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Limits per case (issue 10): 10 s and 2 GiB of address space. ASan reserves terabytes of
# address space, so a sanitizer build cannot run under ulimit -v: the cap is dropped for it (ASan
# bounds its own allocations), and its hang guard is 30 s: the largest input, 250,000 quantization
# overrides in 5 MB of config.json, takes 0.6 s of CPU natively and 4.8 s under ASan + UBSan,
# which a loaded 2-core machine stretched past 10 s.
timeout_s=10
mem_kb=2097152
if ! (ulimit -v "$mem_kb" && "$planner" --version) >/dev/null 2>&1; then
  mem_kb=unlimited
  timeout_s=30
  echo "note: $planner does not start under ulimit -v (a sanitizer build?): no memory cap, ${timeout_s} s per case" >&2
fi

# --- Inputs: the committed ones, then the generated ones ----------------------------------------
committed=()
for f in "$corpus"/*; do
  case "$(basename "$f")" in *.manifest | README.md | gen) continue ;; esac
  committed+=("$(basename "$f")")
  cp -R "$f" "$work"/
done
cd "$work" || exit 1
for gen in "$corpus"/gen/*.sh; do
  # shellcheck source=/dev/null
  source "$gen"
  cd "$work" || exit 1
done

# chmod 000 stops everyone but root: as root (CI), files named unreadable* are read as nobody
# instead, when setpriv can.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups "$planner" --version >/dev/null 2>&1; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    chmod 755 "$work"
  else
    as_user=(skip)
  fi
fi

out_file="$work/.case-stdout"
err_file="$work/.case-stderr"

# One post-condition of the CHECKS column; prints why it failed, or nothing.
post_check() {
  local check="$1" all="$2" name arg a b
  name="${check%%:*}"
  arg="${check#*:}"
  case "$name" in
    json)
      python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' < "$out_file" 2>/dev/null ||
        echo "stdout is not valid UTF-8 JSON" ;;
    unchanged) [ "$(cksum < "$arg")" = "${snapshots[$arg]:-}" ] || echo "$arg changed" ;;
    changed) [ "$(cksum < "$arg")" != "${snapshots[$arg]:-}" ] || echo "$arg did not change" ;;
    absent) [ ! -e "$arg" ] && [ ! -L "$arg" ] || echo "$arg exists" ;;
    exists) [ -e "$arg" ] || echo "$arg does not exist" ;;
    mode)
      a="${arg%%=*}" b="${arg#*=}"
      [ "$(stat -c '%04a' "$a" 2>/dev/null)" = "$b" ] || echo "$a has mode $(stat -c '%04a' "$a" 2>/dev/null), want $b" ;;
    lacks) if grep -qF -- "$arg" <<<"$all"; then echo "output contains '$arg'"; fi ;;
    has) grep -qF -- "$arg" <<<"$all" || echo "output lacks '$arg'" ;;
    same) a="${arg%%=*}" b="${arg#*=}"; cmp -s "$a" "$b" || echo "$a and $b differ" ;;
    *) echo "unknown check '$check'" ;;
  esac
}

declare -A snapshots
run_case() {
  local file="$1" command="$2" want_exit="$3" loc="$4" fragment="$5" checks="$6"
  local prefix=() argv=() tok substituted=0 writes=0
  read -ra argv <<<"$command"
  for i in "${!argv[@]}"; do
    tok="${argv[$i]}"
    if [[ "$tok" == *"{}"* ]]; then argv[i]="${tok//\{\}/$file}" substituted=1; fi
    case "$tok" in --write | --force) writes=1 ;; esac
  done
  ((substituted)) || argv+=("$file")
  if [[ "$(basename "$file")" == unreadable* ]] && ((${#as_user[@]})); then
    if [ "${as_user[0]}" = skip ]; then
      skip "$command $file: running as root, and cannot run planner as nobody (setpriv)"
      return
    fi
    prefix=("${as_user[@]}")
  fi
  # Snapshots of the input and of every file a check names, before the run.
  snapshots=()
  local f
  for f in "$file" $(tr ';' '\n' <<<"$checks" | sed -n 's/^\(unchanged\|changed\)://p'); do
    if [ -f "$f" ] && [ ! -p "$f" ] && [ -r "$f" ]; then snapshots[$f]="$(cksum < "$f")"; fi
  done
  local got
  (ulimit -v "$mem_kb"; exec timeout "$timeout_s" "${prefix[@]}" "$planner" "${argv[@]}") > "$out_file" 2> "$err_file" < /dev/null
  got=$?
  local out name="$command | $file"
  out="$(cat "$out_file" "$err_file" | tr -d '\0')"
  if [ "$got" -eq 124 ]; then fail "$name: still running after ${timeout_s}s" "$out"; return; fi
  if [ "$got" -ge 128 ]; then fail "$name: killed by signal $((got - 128))" "$out"; return; fi
  if grep -Eq 'Sanitizer|runtime error:|terminate called|std::bad_alloc' <<<"$out"; then
    fail "$name: crashed" "$out"; return
  fi
  if [ "$got" -ne "$want_exit" ]; then fail "$name: exit $got, want $want_exit" "$out"; return; fi
  if [ "$fragment" != "-" ]; then
    local line
    line="$(grep -F -- "$fragment" <<<"$out" | head -1)"
    if [ -z "$line" ]; then fail "$name: no message containing '$fragment'" "$out"; return; fi
    if [ "$loc" != "-" ] && [[ "$line" != "$file:$loc: "* ]]; then
      fail "$name: message not at $file:$loc" "$line"; return
    fi
  fi
  # `fix` prints the user's own (fixed) text or a diff of it on stdout: its bytes are theirs.
  local shown=("$err_file")
  [ "${argv[0]}" = fix ] || shown+=("$out_file")
  if LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]' "${shown[@]}"; then
    fail "$name: raw control bytes in the output" "$(cat -v "${shown[@]}")"; return
  fi
  if [[ ";$checks;" != *";json;"* ]] && LC_ALL=C awk 'length > 400 { found = 1 } END { exit !found }' "$out_file" "$err_file"; then
    fail "$name: an output line is longer than 400 bytes" "$(cut -c1-300 "$out_file" "$err_file")"; return
  fi
  local leftover
  leftover="$(find "$work" -name '.planner-*' -print)"
  if [ -n "$leftover" ]; then
    fail "$name: left a temporary file behind" "$leftover"
    find "$work" -name '.planner-*' -exec rm -rf {} +
    return
  fi
  if ((!writes)) && [ -n "${snapshots[$file]:-}" ] && [ "$(cksum < "$file")" != "${snapshots[$file]}" ]; then
    fail "$name: changed its input without --write or --force"; return
  fi
  local check why
  while IFS= read -r check; do
    [ -n "$check" ] || continue
    why="$(post_check "$check" "$out")"
    if [ -n "$why" ]; then fail "$name: $why" "$out"; return; fi
  done < <(tr ';' '\n' <<<"$checks")
  pass
}

trim() {
  local s="${1#"${1%%[![:space:]]*}"}"
  printf '%s' "${s%"${s##*[![:space:]]}"}"
}
cases=0
referenced=" "
for manifest in "$corpus"/*.manifest; do
  while IFS='|' read -r file cmd want_exit loc fragment checks; do
    file="$(trim "$file")"
    if [ -z "$file" ] || [[ "$file" == "#"* ]]; then continue; fi
    cases=$((cases + 1))
    referenced+="$file "
    run_case "$file" "$(trim "$cmd")" "$(trim "$want_exit")" "$(trim "$loc")" "$(trim "$fragment")" "$(trim "${checks:-}")"
  done < "$manifest"
done

# Every committed input is in a manifest (a file added without an expectation tests nothing).
for f in "${committed[@]}"; do
  if [[ "$referenced" == *" $f "* ]]; then pass; else fail "$f is in tests/bad-inputs but in no manifest"; fi
done
min_cases=150
if [ "$cases" -ge "$min_cases" ]; then pass; else fail "only $cases cases in the manifests (want $min_cases or more)"; fi
echo "$cases cases"
finish
