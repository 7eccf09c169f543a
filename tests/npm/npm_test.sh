#!/usr/bin/env bash
# The npm package (packages/npm, docs/wasm.md), offline, from its tarball:
#   - `npm install -g --prefix TMP planner-lint-*.tgz`, then TMP/bin/planner gives the native
#     binary's stdout, stderr and exit status;
#   - the Windows argument rewriting of lib/args.js (run here with path.win32; not on Windows);
#   - the planner-check-node hook of .pre-commit-hooks.yaml with the real pre-commit, on a PATH
#     holding node, npm, git, pre-commit and a shell but no compiler, cmake or make.
# Usage: npm_test.sh PLANNER SOURCE_DIR [TARBALL]. Without TARBALL it packs one from the existing
# wasm build (scripts/pack-npm, nothing rebuilt). Exit 77 (ctest: skipped) without node and npm.
set -uo pipefail

planner="$(realpath "$1")"
src="$(realpath "$2")"
tarball="${3:-}"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node or npm is not installed"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=../cli/lib.sh
source "$src/tests/cli/lib.sh"

if [ -z "$tarball" ]; then
  tarball="$(PLANNER_NPM_NO_BUILD=1 "$src/scripts/pack-npm" 2>"$work/pack.err")" || {
    cat "$work/pack.err" >&2
    echo "FAIL: scripts/pack-npm (build the wasm first: scripts/build-wasm)"
    exit 1
  }
fi
tarball="$(realpath "$tarball")"

# Nothing of the user's and no network: npm's cache, config and registry are cut off.
export HOME="$work/home" npm_config_cache="$work/npm-cache" npm_config_offline=true
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export NO_COLOR=1
mkdir -p "$HOME"

# --- the tarball: what it holds, and its version is the project's
version="$(sed -n 's/^project(planner VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"
tar -tzf "$tarball" | LC_ALL=C sort >"$work/contents"
for f in package/package.json package/bin/planner.js package/lib/planner.js package/lib/planner.wasm package/lib/args.js package/README.md; do
  if grep -qxF "$f" "$work/contents"; then pass; else fail "tarball holds $f" "$(cat "$work/contents")"; fi
done
tar -xzOf "$tarball" package/package.json >"$work/package.json"
node -e '
  const p = require(process.argv[1]);
  const want = { name: "planner-lint", version: process.argv[2], bin: "bin/planner.js", engines: ">=18" };
  const got = { name: p.name, version: p.version, bin: p.bin && p.bin.planner, engines: p.engines && p.engines.node };
  if (JSON.stringify(got) !== JSON.stringify(want)) { console.error(JSON.stringify(got), "!=", JSON.stringify(want)); process.exit(1); }
' "$work/package.json" "$version" >"$work/out" 2>&1
check_that "package.json: name, version $version, bin, engines" test $? -eq 0
hook_pin="$(sed -n "s/.*additional_dependencies: \['planner-lint@\([0-9.]*\)'\].*/\1/p" "$src/.pre-commit-hooks.yaml")"
if [ "$hook_pin" = "$version" ]; then pass; else fail "planner-check-node pins planner-lint@$version (found '$hook_pin')"; fi

# --- npm install -g from the tarball, offline
prefix="$work/prefix"
expect_exit 0 "npm install -g --prefix from the tarball" -- npm install -g --prefix "$prefix" "$tarball"
npm_planner="$prefix/bin/planner"
check_that "npm put planner in PREFIX/bin" test -x "$npm_planner"

# same_as_native NAME ARGS...: stdout, stderr and exit status of the npm planner equal native's.
same_as_native() {
  local name="$1"
  shift
  "$planner" "$@" >"$work/n.out" 2>"$work/n.err"
  local nrc=$?
  "$npm_planner" "$@" >"$work/w.out" 2>"$work/w.err"
  local wrc=$?
  if [ "$nrc" -eq "$wrc" ] && cmp -s "$work/n.out" "$work/w.out" && cmp -s "$work/n.err" "$work/w.err"; then pass; else
    fail "$name: npm planner differs from native (exit $wrc, native $nrc)" \
      "$(diff "$work/n.out" "$work/w.out" | head -20; diff "$work/n.err" "$work/w.err" | head -10)"
  fi
  cp "$work/w.out" "$work/out"  # for expect_output
  cp "$work/w.err" "$work/err"
}
cd "$src" || exit 1
seed=examples/seed/local-inference-config.yaml
same_as_native "--version" --version
same_as_native "check of the seed (exit 1)" check "$seed"
same_as_native "check of a clean config (exit 0)" check tests/cli/clean.yaml
same_as_native "check --format sarif" check --format sarif "$seed"
same_as_native "plan --format json" plan --format json "$seed"
same_as_native "missing file (exit 2)" check "$work/nope.yaml"
same_as_native "usage error (exit 2)" check --format xml "$seed"
same_as_native "absolute path" check "$src/$seed"
(cd "$src/examples" && "$npm_planner" check seed/local-inference-config.yaml >"$work/out" 2>&1)
check_that "relative path from another directory: exit 1" test $? -eq 1
expect_output "relative path: the seed's LI030" "^seed/local-inference-config.yaml:12:23: error: .*\[LI030\]"
# fix --write writes the real file through node's fs.
cp "$seed" "$work/fixme.yaml"
cp "$seed" "$work/fixme-native.yaml"
"$npm_planner" fix --write "$work/fixme.yaml" >/dev/null 2>&1
"$planner" fix --write "$work/fixme-native.yaml" >/dev/null 2>&1
check_that "fix --write: the file written as native writes it" cmp -s "$work/fixme.yaml" "$work/fixme-native.yaml"
if cmp -s "$work/fixme.yaml" "$seed"; then fail "fix --write changed nothing"; else pass; fi
# The environment reaches planner: a GGUF repo in the Hugging Face cache HF_HUB_CACHE names.
snap="$work/hub/models--st-org--Tiny-GGUF/snapshots/0123abcd"
mkdir -p "$work/hub/models--st-org--Tiny-GGUF/refs" "$snap"
printf '0123abcd' >"$work/hub/models--st-org--Tiny-GGUF/refs/main"
cp "$src/tests/data/gguf-hostile/tiny-valid.gguf" "$snap/Tiny-Q4_K_M.gguf"
HF_HUB_CACHE="$work/hub" same_as_native "HF_HUB_CACHE reaches planner: models --local" models --local --ram 16 --arch cpu
expect_output "models --local lists the repo in HF_HUB_CACHE" "^Hugging Face cache +st-org/Tiny-GGUF Tiny-Q4_K_M\.gguf"

# --- lib/args.js on Windows paths (path.win32; the conversion only, not a run on Windows)
# shellcheck disable=SC2016  # JavaScript's template literals, not shell expansions
node -e '
  const { nodeArgs } = require(process.argv[1]);
  const cases = [
    [["check", "C:\\proj\\local-inference-config.yaml"], "check local-inference-config.yaml"],
    [["check", "c:\\proj\\configs\\a.yaml"], "check configs/a.yaml"],
    [["check", "C:\\other\\a.yaml"], "check ../other/a.yaml"],
    [["check", "D:\\a.yaml"], "check D:/a.yaml"],
    [["fix", "--write", "configs\\b.yaml"], "fix --write configs/b.yaml"],
    [["launch", "--out=C:\\proj\\run.ps1", "x.yaml"], "launch --out=run.ps1 x.yaml"],
    [["check", "--select", "LI014", "-"], "check --select LI014 -"],
  ];
  let bad = 0;
  for (const [args, want] of cases) {
    const got = nodeArgs(args, "win32", "C:\\proj").join(" ");
    if (got !== want) { console.error(`${args.join(" ")}: got ${got}, want ${want}`); bad++; }
  }
  const unix = nodeArgs(["check", "a\\b.yaml"], "linux", "/x").join(" ");
  if (unix !== "check a\\b.yaml") { console.error(`linux: ${unix}`); bad++; }
  process.exit(bad ? 1 : 0);
' "$prefix/lib/node_modules/planner-lint/lib/args.js" >"$work/out" 2>&1
check_that "args.js: Windows paths made relative with '/', others untouched" test $? -eq 0
[ "$failed" -eq 0 ] || cat "$work/out" >&2

# --- pre-commit's node hook, no compiler on PATH
if command -v pre-commit >/dev/null 2>&1 && command -v git >/dev/null 2>&1; then
  export PRE_COMMIT_HOME="$work/pre-commit-cache" XDG_CACHE_HOME="$work/cache" PRE_COMMIT_COLOR=never
  export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
  export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
  unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
  # A PATH of links to what pre-commit, git, npm and a shell need, and nothing that compiles.
  tools="$work/tools"
  mkdir -p "$tools"
  for t in node npm git pre-commit bash sh env cat ls mkdir rm cp mv ln chmod uname dirname basename \
    sed grep head tail tr readlink realpath which sort tar gzip; do
    p="$(command -v "$t")" && ln -s "$p" "$tools/$t"
  done
  for t in cc c++ gcc g++ clang clang++ cmake make ninja em++ emcc; do
    if PATH="$tools" command -v "$t" >/dev/null 2>&1; then fail "the hook's PATH has $t"; else pass; fi
  done

  # The hook repository: a clone of this one with the work tree's hook files committed on top.
  hooks="$work/planner-hooks"
  if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    git clone --quiet "$src" "$hooks" 2>"$work/clone.err" || fail "git clone $src" "$(cat "$work/clone.err")"
  else
    git init --quiet "$hooks"
  fi
  cp "$src/.pre-commit-hooks.yaml" "$src/package.json" "$hooks/"
  git -C "$hooks" add .pre-commit-hooks.yaml package.json
  git -C "$hooks" commit --quiet --allow-empty -m "hooks as in the work tree" || fail "commit into the hook clone"
  rev="$(git -C "$hooks" rev-parse HEAD)"

  repo="$work/repo"
  git init --quiet "$repo"
  # planner-lint from the tarball instead of the registry (the hook pins the release).
  printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: planner-check-node\n        additional_dependencies: [%s]\n' \
    "$hooks" "$rev" "$tarball" >"$repo/.pre-commit-config.yaml"
  cp "$src/$seed" "$repo/local-inference-config.yaml"
  git -C "$repo" add .pre-commit-config.yaml local-inference-config.yaml
  t0="${EPOCHREALTIME/./}"
  (cd "$repo" && PATH="$tools" pre-commit run --all-files) >"$work/out" 2>&1
  rc=$?
  first_ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
  # The time is reported, not asserted (speed belongs in bench/): docs/wasm.md records it.
  echo "pre-commit first run (node env + npm install of the tarball + check): $first_ms ms"
  if [ "$rc" -eq 1 ]; then pass; else fail "planner-check-node on the seed: exit $rc, want 1" "$(cat "$work/out")"; fi
  expect_output "planner-check-node: diagnostic" "local-inference-config.yaml:12:23: error: route 'quick_qa': context of 8192 tokens.*\[LI030\]"
  expect_output "planner-check-node: pre-commit reports the hook failed" "planner check \(npm package, no compiler\).*Failed"
  cp "$src/tests/cli/clean.yaml" "$repo/local-inference-config.yaml"
  git -C "$repo" add local-inference-config.yaml
  (cd "$repo" && PATH="$tools" pre-commit run --all-files) >"$work/out" 2>&1
  rc=$?
  if [ "$rc" -eq 0 ]; then pass; else fail "planner-check-node on a clean config: exit $rc, want 0" "$(cat "$work/out")"; fi
  expect_output "planner-check-node: passed" "planner check \(npm package, no compiler\).*Passed"
else
  skip "planner-check-node: pre-commit or git is not installed"
fi

printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
