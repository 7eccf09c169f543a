#!/usr/bin/env bash
# End-to-end tests of `planner fix`: stdout / --diff / --write, safe vs unsafe, idempotence, that
# fixed example configs pass check where a fix exists, atomic writes keeping the file mode, and
# diffs that `patch` applies. Usage: fix_test.sh PLANNER SOURCE_DIR
set -uo pipefail

planner="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"


same_comments() { diff <(grep "#" "$1") <(grep "#" "$2") >/dev/null; }
only_fixed_keys() { ! grep -Ev "^[<>] +(model|min_ram_gb|max_context_tokens|format): " "$1"; }
no_match() { ! grep -Eq -- "$2" "$1"; }  # FILE PATTERN
exit_pair() { [ "$1" -eq "$2" ] && [ "$3" -ne 0 ]; }  # FIX_RC WANT CHECK_RC

cd "$src" || exit 1
seed=examples/seed/local-inference-config.yaml

# --- stdout mode: the fixed text; the file itself untouched ---------------------------------------
cp "$seed" "$work/seed.yaml"
"$planner" fix "$work/seed.yaml" >"$work/fixed.yaml" 2>"$work/err"
rc=$?
check_that "fix (safe only) on the seed exits 1: the GPU-limit error needs an unsafe fix" [ "$rc" -eq 1 ]
check_that "stdout mode leaves the file alone" cmp -s "$seed" "$work/seed.yaml"
check_that "summary names the applied LI041 fix" grep -q "fixed LI041" "$work/err"
check_that "summary says LI014 is held back as unsafe" grep -q "not fixed LI014 .*--unsafe-fixes" "$work/err"
check_that "every comment of the seed survives" same_comments "$seed" "$work/fixed.yaml"

# --- --unsafe-fixes: no error left; only the fixed lines differ --------------------------------------
"$planner" fix --unsafe-fixes "$work/seed.yaml" >"$work/fixed.yaml" 2>"$work/err"
check_that "fix --unsafe-fixes on the seed exits 0" [ $? -eq 0 ]
"$planner" check "$work/fixed.yaml" >"$work/out" 2>&1
check_that "the fixed seed passes check" [ $? -eq 0 ]
# Lines that changed are exactly the fixed values (and the inserted keys); all others are identical.
diff "$seed" "$work/fixed.yaml" | grep '^[<>]' >"$work/changed"
check_that "some lines changed" [ -s "$work/changed" ]
check_that "only fixed keys changed" only_fixed_keys "$work/changed"

# --- --diff: a patch that reproduces the stdout result --------------------------------------------
"$planner" fix --unsafe-fixes --diff "$work/seed.yaml" >"$work/patch" 2>/dev/null
check_that "--diff starts with the file headers" grep -q "^--- $work/seed.yaml" "$work/patch"
cp "$seed" "$work/patched.yaml"
if command -v patch >/dev/null; then
  check_that "patch applies the diff" patch -s "$work/patched.yaml" "$work/patch"
  check_that "the patched file equals fix's output" cmp -s "$work/patched.yaml" "$work/fixed.yaml"
fi

# --- --write: atomic, keeps the mode, idempotent -------------------------------------------------
cp "$seed" "$work/w.yaml"
chmod 0640 "$work/w.yaml"
ln -s w.yaml "$work/link.yaml"
"$planner" fix --unsafe-fixes --write "$work/link.yaml" >"$work/out" 2>&1
check_that "--write exits 0 on the seed" [ $? -eq 0 ]
check_that "--write wrote through the symlink" [ -L "$work/link.yaml" ]
check_that "--write result equals stdout mode" cmp -s "$work/w.yaml" "$work/fixed.yaml"
check_that "--write keeps the file mode" [ "$(stat -c %a "$work/w.yaml")" = 640 ]
check_that "--write leaves no temporary file" [ "$(find "$work" -name '.planner-*' | wc -l)" -eq 0 ]
cp "$work/w.yaml" "$work/w.before"
"$planner" fix --unsafe-fixes --write "$work/w.yaml" >"$work/out" 2>&1
check_that "fixing twice changes nothing" cmp -s "$work/w.yaml" "$work/w.before"
check_that "the second run reports no fix" no_match "$work/out" "fixed "
"$planner" fix --unsafe-fixes --diff "$work/w.yaml" >"$work/out" 2>/dev/null
check_that "--diff of a fixed file is empty" [ ! -s "$work/out" ]

# --- every example: fixing is idempotent, and what is left has no fix ------------------------------
fixed_clean=0
left_with_errors=0
for f in examples/*/*.yaml tests/fixtures/rules/*/bad*.yaml; do
  case "$f" in *.fixed.yaml | *.unsafe-fixed.yaml) continue ;; esac  # a fixture's fixed text, not a fixture
  name="$(basename "$(dirname "$f")")/$(basename "$f")"
  cp "$f" "$work/ex.yaml"
  "$planner" fix --unsafe-fixes --write "$work/ex.yaml" >/dev/null 2>"$work/err1"
  rc=$?
  cp "$work/ex.yaml" "$work/ex.once"
  "$planner" fix --unsafe-fixes --write "$work/ex.yaml" >/dev/null 2>"$work/err2"
  check_that "$name: fix is idempotent" cmp -s "$work/ex.once" "$work/ex.yaml"
  check_that "$name: a second run finds nothing left to fix" no_match "$work/err2" "fixed |not fixed|re-triggering"
  "$planner" check "$work/ex.yaml" >/dev/null 2>&1
  crc=$?
  if [ "$rc" -eq 0 ]; then
    check_that "$name: fixed, it passes check" [ "$crc" -eq 0 ]
    fixed_clean=$((fixed_clean + 1))
  else
    check_that "$name: fix exits 1 exactly when check still fails" exit_pair "$rc" 1 "$crc"
    left_with_errors=$((left_with_errors + 1))
  fi
done

printf 'examples and bad fixtures: %d pass check once fixed, %d keep errors with no automatic fix\n' \
  "$fixed_clean" "$left_with_errors"

# --- usage -----------------------------------------------------------------------------------------
"$planner" fix "$seed" "$seed" >/dev/null 2>"$work/err"
check_that "several files without --diff/--write is a usage error" [ $? -eq 2 ]
"$planner" fix --diff --write "$seed" >/dev/null 2>&1
check_that "--diff and --write exclude each other" [ $? -ne 0 ] 
"$planner" fix "$work/missing.yaml" >/dev/null 2>"$work/err"
check_that "a missing file exits 2" [ $? -eq 2 ]
check_that "a missing file says so" grep -q "cannot read" "$work/err"

finish
