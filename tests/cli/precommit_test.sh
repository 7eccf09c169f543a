#!/usr/bin/env bash
# The real pre-commit (Debian's package) against a throwaway repository whose
# .pre-commit-config.yaml points at a local clone of this repository, offline, with this
# repository's .pre-commit-hooks.yaml as it is in the work tree (committed into the clone).
# Usage: precommit_test.sh PLANNER SOURCE_DIR. Exit 77 (ctest: skipped) without pre-commit.
set -uo pipefail

planner="$(realpath "$1")"
src="$(realpath "$2")"
if ! command -v pre-commit >/dev/null 2>&1 || ! command -v git >/dev/null 2>&1; then
  echo "SKIP: pre-commit or git is not installed (./scripts/test installs Debian's pre-commit)"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  printf 'FAIL: %s\n' "$1" >&2
  [ $# -gt 1 ] && printf '%s\n' "$2" | tail -40 >&2
  return 0
}

# Nothing of the user's: no git or pre-commit configuration, no cache, no network.
export HOME="$work/home" PRE_COMMIT_HOME="$work/pre-commit-cache" XDG_CACHE_HOME="$work/cache"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export NO_COLOR=1 PRE_COMMIT_COLOR=never
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
mkdir -p "$HOME"
bindir="$work/bin"
mkdir -p "$bindir"
ln -s "$planner" "$bindir/planner"
base_path="$PATH"
with_planner="$bindir:$PATH"
# A PATH without any planner, for the hook that must find it on PATH.
no_planner=""
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -x "$d/planner" ] || no_planner="${no_planner:+$no_planner:}$d"
done

# The hook repository: a clone of this one, plus the work tree's hook files committed on top
# (pre-commit checks out `rev:`, so uncommitted edits would otherwise be missed).
hooks="$work/planner-hooks"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  git clone --quiet "$src" "$hooks" 2>"$work/clone.err" || { fail "git clone $src" "$(cat "$work/clone.err")"; }
else
  git init --quiet "$hooks"
fi
mkdir -p "$hooks/scripts"
cp "$src/.pre-commit-hooks.yaml" "$hooks/"
cp "$src/scripts/pre-commit" "$src/scripts/setup" "$hooks/scripts/"
git -C "$hooks" add .pre-commit-hooks.yaml scripts/pre-commit scripts/setup
git -C "$hooks" commit --quiet --allow-empty -m "hooks as in the work tree" || fail "commit into the hook clone"
rev="$(git -C "$hooks" rev-parse HEAD)"

seed="$src/examples/seed/local-inference-config.yaml"
clean="$src/tests/cli/clean.yaml"

# new_repo NAME HOOK-ID...: a git repository using the given hooks of the clone at $rev.
new_repo() {
  local dir="$work/$1"
  shift
  git init --quiet "$dir"
  {
    printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n' "$hooks" "$rev"
    for id in "$@"; do printf '      - id: %s\n' "$id"; done
  } >"$dir/.pre-commit-config.yaml"
  git -C "$dir" add .pre-commit-config.yaml
  printf '%s\n' "$dir"
}

# run_in DIR PATH COMMAND...: runs in DIR with PATH, output in $work/out, status in $rc.
rc=0
run_in() {
  local dir="$1" path="$2"
  shift 2
  (cd "$dir" && PATH="$path" "$@") >"$work/out" 2>&1
  rc=$?
}
expect_rc() {
  if [ "$rc" -eq "$1" ]; then pass; else fail "$2: exit $rc, want $1" "$(cat "$work/out")"; fi
}
expect_out() {
  if grep -Eq -- "$1" "$work/out"; then pass; else fail "$2: no match for /$1/" "$(cat "$work/out")"; fi
}

for hook in planner-check-system planner-check; do
  repo="$(new_repo "$hook" "$hook")"
  run_in "$repo" "$with_planner" pre-commit install
  expect_rc 0 "$hook: pre-commit install"

  # A bad config: the commit is refused and planner's diagnostic is in the output.
  mkdir -p "$repo/configs"
  cp "$seed" "$repo/local-inference-config.yaml"
  git -C "$repo" add local-inference-config.yaml
  run_in "$repo" "$with_planner" git commit -m bad
  expect_rc 1 "$hook: commit of the seed config is refused"
  expect_out "local-inference-config.yaml:12:23: error: route 'quick_qa': context of 8192 tokens.*\[LI030\]" "$hook: diagnostic"
  expect_out "planner check.*Failed" "$hook: pre-commit reports the hook failed"
  if git -C "$repo" rev-parse --verify -q HEAD >/dev/null; then fail "$hook: a commit was made"; else pass; fi

  # A clean config passes and is committed.
  cp "$clean" "$repo/local-inference-config.yaml"
  git -C "$repo" add local-inference-config.yaml
  run_in "$repo" "$with_planner" git commit -m clean
  expect_rc 0 "$hook: commit of a clean config"
  expect_out "planner check.*Passed" "$hook: pre-commit reports the hook passed"

  # Files the hook's pattern does not match are not checked, however bad...
  cp "$seed" "$repo/other.yaml"
  cp "$seed" "$repo/configs/local-inference-config.yml.bak"
  git -C "$repo" add other.yaml configs/local-inference-config.yml.bak
  run_in "$repo" "$with_planner" git commit -m unrelated
  expect_rc 0 "$hook: non-matching files are ignored"
  expect_out "planner check.*no files to check.*Skipped" "$hook: skipped without matching files"

  # ...and matching ones in subdirectories and with suffixes are.
  cp "$seed" "$repo/configs/local-inference-config.prod.yaml"
  git -C "$repo" add configs/local-inference-config.prod.yaml
  run_in "$repo" "$with_planner" pre-commit run --files configs/local-inference-config.prod.yaml
  expect_rc 1 "$hook: configs/local-inference-config.prod.yaml is checked"
  expect_out "configs/local-inference-config.prod.yaml:[0-9]+:[0-9]+: error: .*\[LI014\]" "$hook: diagnostic in a subdirectory"
done

# planner-check-system uses the planner on PATH and nothing else: without one it fails, saying so.
repo="$work/planner-check-system"
git -C "$repo" rm --quiet --cached configs/local-inference-config.prod.yaml
run_in "$repo" "$no_planner" pre-commit run --all-files
expect_rc 1 "planner-check-system without planner on PATH fails"
expect_out "Executable \`planner\` not found" "planner-check-system names the missing executable"

PATH="$base_path"
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
