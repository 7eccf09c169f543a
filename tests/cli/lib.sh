# shellcheck shell=bash
# Shared by the CLI test scripts: counters, pass / fail / skip, checks on the last command's
# output, and the summary line ctest shows. Source it after `work` (a temporary directory) is set.

: "${work:?set work (a temporary directory) before sourcing lib.sh}"
passed=0
failed=0
skipped=0

pass() { passed=$((passed + 1)); }
fail() {  # NAME [DETAILS]
  failed=$((failed + 1))
  printf 'FAIL: %s\n' "$1" >&2
  [ $# -gt 1 ] && printf '%s\n' "$2" | head -40 | cut -c1-300 >&2
  return 0
}
skip() {
  skipped=$((skipped + 1))
  printf 'SKIP: %s\n' "$1"
}

# check_that NAME COMMAND...: passes when the command succeeds.
check_that() {
  local name="$1"
  shift
  if "$@"; then pass; else fail "$name"; fi
}

# expect_exit CODE NAME -- COMMAND...: stdout to $work/out, stderr to $work/err.
expect_exit() {
  local want="$1" name="$2"
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then pass; else fail "$name: exit $got, want $want" "$(cat "$work/out" "$work/err")"; fi
}

# expect_output NAME PATTERN: the last command's stdout+stderr matches the extended regex.
expect_output() {
  if grep -Eq -- "$2" "$work/out" "$work/err"; then pass; else fail "$1: no match for /$2/" "$(cat "$work/out" "$work/err")"; fi
}
expect_no_output() {
  if grep -Eq -- "$2" "$work/out" "$work/err"; then fail "$1: unexpected /$2/" "$(cat "$work/out" "$work/err")"; else pass; fi
}
# expect_same NAME GOLDEN FILE: FILE is GOLDEN byte for byte (tests/golden/update writes GOLDEN).
expect_same() {
  if diff -u "$2" "$3" >"$work/diff"; then pass; else fail "$1" "$(cat "$work/diff")"; fi
}

# The summary line, and the status ctest reads.
finish() {
  printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  [ "$failed" -eq 0 ]
}
