#!/usr/bin/env bash
# Ecosystem: `planner --version`, the generated shell completions and man page, `cmake --install`,
# the CPack .deb, and the example GitHub Actions workflow's planner steps.
# Usage: integrations_test.sh PLANNER SOURCE_DIR [BUILD_DIR]  (BUILD_DIR: default PLANNER's dir)
set -uo pipefail

planner="$(realpath "$1")"
src="$(realpath "$2")"
build="$(realpath "${3:-$(dirname "$planner")}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# run COMMAND...: output in $work/out, stderr in $work/err, status in $rc.
rc=0
run() {
  "$@" >"$work/out" 2>"$work/err"
  rc=$?
}
expect_rc() {
  if [ "$rc" -eq "$1" ]; then pass; else fail "$2: exit $rc, want $1" "$(cat "$work/out" "$work/err")"; fi
}
expect_out() {
  if grep -Eq -- "$1" "$work/out"; then pass; else fail "$2: no match for /$1/" "$(head -c 3000 "$work/out")"; fi
}
has() { command -v "$1" >/dev/null 2>&1; }
# expect NAME COMMAND...: passes when COMMAND succeeds.
expect() {
  local name="$1"
  shift
  if "$@"; then pass; else fail "$name"; fi
}

# --- --version: "planner X.Y.Z" on stdout, exit 0, alone or before a subcommand
version="$(sed -n 's/^project(planner VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"
run "$planner" --version
expect_rc 0 "--version"
if [ "$(cat "$work/out")" = "planner $version" ] && [ ! -s "$work/err" ]; then pass; else fail "--version prints 'planner $version'" "$(cat "$work/out" "$work/err")"; fi
run "$planner" --version check
expect_rc 0 "--version with a subcommand"
expect_out "^planner $version\$" "--version with a subcommand prints the version"

# --- the subcommands and options, as `--help` lists them (the reference the generated files are
# checked against: parsed from CLI11's help text, not from the generator's own model)
run "$planner" --help
subs=()
while read -r name; do subs+=("$name"); done < <(sed -n '/^Subcommands:/,$p' "$work/out" | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p')
if [ "${#subs[@]}" -ge 10 ]; then pass; else fail "--help lists the subcommands" "$(cat "$work/out")"; fi
: >"$work/options"
for s in "${subs[@]}"; do
  # Option lines: "  -o,--output TEXT   description"; only their first word names options.
  "$planner" "$s" --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr ',' '\n' | sed "s/^/$s /" >>"$work/options"
done
if grep -q '^check --format$' "$work/options" && grep -q '^plan --color$' "$work/options"; then pass; else fail "options parsed from --help" "$(cat "$work/options")"; fi

# --- completions: produced for each shell, naming every subcommand and option
for shell in bash zsh fish; do
  run "$planner" completion "$shell"
  expect_rc 0 "completion $shell"
  cp "$work/out" "$work/completion.$shell"
  missing=""
  for s in "${subs[@]}"; do grep -qw -- "$s" "$work/completion.$shell" || missing+=" $s"; done
  while read -r s opt; do
    case "$shell" in
      fish) [ "${opt#--}" != "$opt" ] && pat="-l ${opt#--}" || pat="-s ${opt#-}" ;;
      *) pat="$opt" ;;
    esac
    [ "$opt" = --help ] || [ "$opt" = -h ] || grep -qF -- "$pat" "$work/completion.$shell" || missing+=" $s:$opt"
  done <"$work/options"
  if [ -z "$missing" ]; then pass; else fail "completion $shell lacks:$missing"; fi
done
run "$planner" completion tcsh
expect_rc 2 "completion of an unknown shell is a usage error"

expect "bash -n on the bash completion" bash -n "$work/completion.bash"
if has shellcheck; then
  run shellcheck -s bash "$work/completion.bash"
  expect_rc 0 "shellcheck on the bash completion"
fi
# The bash completion at work: what it offers after a few command lines (compopt works only while
# bash itself completes, so it is a no-op here).
complete_words() {
  bash -c 'compopt() { :; }; source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _planner; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$work/completion.bash" "$@" 2>&1
}
expect "bash: 'planner ch' completes to check" [ "$(complete_words planner ch)" = check ]
expect "bash: --format s completes to sarif" [ "$(complete_words planner check --format s)" = sarif ]
expect "bash: --str completes to --strict" [ "$(complete_words planner check --str)" = --strict ]
expect "bash: completion z completes to zsh" [ "$(complete_words planner completion z)" = zsh ]
li01="$("$planner" rules | awk '$1 ~ /^LI01/ {printf "%s ", $1}')"
expect "planner rules lists LI01x codes" [ -n "$li01" ]
expect "bash: --select LI01 offers the LI01x rule codes of planner rules" [ "$(complete_words planner check --select LI01 | tr '\n' ' ')" = "$li01" ]
expect "bash: --ignore LI04 offers rule codes" [ -n "$(complete_words planner check --ignore LI04)" ]
expect "bash: explain LI03 completes rule codes" [ "$(complete_words planner explain LI030)" = LI030 ]
expect "bash: route --workload quick completes workloads" [ "$(complete_words planner route --workload quick | tr '\n' ' ')" = "quick_qa quick " ]
expect "bash: --kv-type q completes KV types" [ "$(complete_words planner route --kv-type q | tr '\n' ' ')" = "q8_0 q4_0 " ]
expect "bash: plan --format completes formats" [ -n "$(complete_words planner plan --format j)" ]
mkdir -p "$work/cdir" && touch "$work/cdir/local-inference-config.yaml"
expect "bash: check completes file names" [ "$(cd "$work/cdir" && complete_words planner check loc)" = local-inference-config.yaml ]
if has zsh; then expect "zsh -n" zsh -n "$work/completion.zsh"; else skip "zsh not installed: zsh -n not run"; fi
if has fish; then expect "fish -n" fish -n "$work/completion.fish"; else skip "fish not installed: fish -n not run"; fi

# --- man page: every subcommand and option, renders without warnings
run "$planner" man
expect_rc 0 "planner man"
cp "$work/out" "$work/planner.1"
missing=""
for s in "${subs[@]}"; do grep -q "^\.SS \"$s\"" "$work/planner.1" || missing+=" $s"; done
while read -r s opt; do
  [ "$opt" = -h ] || grep -qF -- "\\fB${opt//-/\\-}\\fR" "$work/planner.1" || missing+=" $s:$opt"
done <"$work/options"
if [ -z "$missing" ]; then pass; else fail "man page lacks:$missing"; fi
if has groff; then
  run groff -man -Tutf8 -ww -z "$work/planner.1"
  if [ "$rc" -eq 0 ] && [ ! -s "$work/err" ]; then pass; else fail "groff -man -ww: warnings" "$(cat "$work/err")"; fi
  run env MANWIDTH=80 man -l "$work/planner.1"
  expect_rc 0 "man -l renders the page"
  expect_out "planner check \[options\] \[files\.\.\.\]" "man -l shows the synopsis"
  expect_out "EXIT STATUS" "man -l shows the exit status section"
else
  skip "groff not installed: man page not rendered"
fi

# --- cmake --install: the layout of the files
if [ -f "$build/cmake_install.cmake" ] && has cmake; then
  # The man page and completions are made by the `all` target (planner_docs), not by `planner`.
  expect "the build made share/planner.1 (build the planner_docs target)" [ -s "$build/share/planner.1" ]
  run cmake --install "$build" --prefix "$work/prefix"
  expect_rc 0 "cmake --install"
  for f in bin/planner share/man/man1/planner.1.gz share/bash-completion/completions/planner \
    share/zsh/vendor-completions/_planner share/fish/vendor_completions.d/planner.fish \
    share/doc/planner/README.md share/doc/planner/CHANGELOG.md share/doc/planner/copyright \
    share/doc/planner/changelog.gz share/doc/planner/docs/integrations.md \
    share/doc/planner/examples/seed/local-inference-config.yaml; do
    expect "installed: $f" [ -s "$work/prefix/$f" ]
  done
  run "$work/prefix/bin/planner" --version
  expect_out "^planner $version\$" "the installed planner runs"
  gzip -dc "$work/prefix/share/man/man1/planner.1.gz" >"$work/installed.1"
  expect "the installed man page is the binary's" cmp -s "$work/installed.1" "$work/planner.1"
  gzip -dc "$work/prefix/share/doc/planner/changelog.gz" >"$work/changelog"
  expect "the Debian changelog carries the version" grep -q "^planner ($version) unstable; urgency=medium\$" "$work/changelog"
  expect "the installed bash completion is the binary's" cmp -s "$work/prefix/share/bash-completion/completions/planner" "$work/completion.bash"
  # The schemas editors are pointed at (docs/integrations.md): the committed files, which are
  # also what the binary embeds and `planner schema` prints.
  for f in local-inference-config.schema.json planner-settings.schema.json planner-run.schema.json; do
    expect "installed: share/planner/schema/$f is schema/$f" cmp -s "$work/prefix/share/planner/schema/$f" "$src/schema/$f"
  done
  "$planner" schema >"$work/schema.json"
  expect "planner schema prints the installed schema" cmp -s "$work/schema.json" "$work/prefix/share/planner/schema/local-inference-config.schema.json"
else
  fail "no cmake_install.cmake in $build (pass the build directory as the third argument)"
fi

# --- cpack: a .deb holding the binary, with the Depends the binary needs
if has cpack && has dpkg-deb && [ -f "$build/CPackConfig.cmake" ]; then
  run cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg"
  expect_rc 0 "cpack -G DEB"
  deb="$(find "$work/pkg" -maxdepth 1 -name 'planner_*.deb' | head -1)"
  if [ -n "$deb" ]; then
    pass
    run dpkg-deb -c "$deb"
    expect_out " \./usr/bin/planner$" "the .deb holds usr/bin/planner"
    expect_out " \./usr/share/man/man1/planner\.1\.gz$" "the .deb holds the compressed man page"
    expect_out " \./usr/share/bash-completion/completions/planner$" "the .deb holds the bash completion"
    expect_out " \./usr/share/planner/schema/local-inference-config\.schema\.json$" "the .deb holds the config schema"
    expect_out " \./usr/share/planner/schema/planner-settings\.schema\.json$" "the .deb holds the settings schema"
    run dpkg-deb -f "$deb" Package Version Architecture Depends
    expect_out "^Version: $version\$" "the .deb's version"
    expect_out "^Architecture: $(dpkg --print-architecture)\$" "the .deb's architecture"
    if ! readelf -d "$planner" 2>/dev/null | grep -q NEEDED; then
      if grep -q '^Depends:' "$work/out"; then fail "a static planner's .deb has no Depends" "$(cat "$work/out")"; else pass; fi
    else
      expect_out "^Depends: .*libc6" "a dynamic planner's .deb depends on libc6"
    fi
    mkdir -p "$work/deb"
    dpkg-deb -x "$deb" "$work/deb"
    # Every /usr/share/planner path the docs point editors at is in the package.
    documented="$(grep -ohE '/usr/share/planner/[A-Za-z0-9_./-]+\.json' "$src"/docs/*.md "$src/README.md" | sort -u)"
    expect "the docs name the packaged schema path" [ -n "$documented" ]
    for p in $documented; do
      expect "documented $p is in the .deb" [ -s "$work/deb$p" ]
    done
    run "$work/deb/usr/bin/planner" check "$src/tests/cli/clean.yaml"
    expect_rc 0 "the packaged planner checks a config"
    # lintian: no error and no warning (the static-binary tag is overridden with its reason in
    # cmake/debian/lintian-overrides); informational tags are allowed.
    if has lintian; then
      run lintian --tag-display-limit 0 "$deb"
      if grep -E '^[EW]: ' "$work/out" "$work/err" >/dev/null; then
        fail "lintian reports errors or warnings" "$(cat "$work/out" "$work/err")"
      else
        pass
      fi
      run dpkg-deb -f "$deb" Maintainer
      expect_out "^[^<]+ <[^ @]+@[^ @]+>\$" "the Maintainer field is 'Name <address>'"
    else
      skip "lintian not installed: the .deb is not linted"
    fi
  else
    fail "cpack made no planner_*.deb" "$(cat "$work/out" "$work/err")"
  fi
else
  skip "cpack or dpkg-deb missing: no .deb built"
fi

# --- the example GitHub Actions workflow: valid YAML, and its planner steps work as written
wf="$src/examples/github-actions/planner.yml"
if [ -x "$build/yaml_to_json" ]; then
  run "$build/yaml_to_json" "$wf" "$work/wf.json"
  expect_rc 0 "the workflow is valid YAML (no duplicate keys)"
  for want in '"push":' '"pull_request":' '"security-events":"write"' \
    '"uses":"github/codeql-action/upload-sarif@v3"' '"sarif_file":"planner.sarif"'; do
    expect "the workflow has $want" grep -qF -- "$want" "$work/wf.json"
  done
else
  fail "no yaml_to_json in $build to parse the workflow"
fi
# The run: blocks that call planner, each as GitHub runs it (bash -eo pipefail).
awk -v dir="$work" '
  function flush() { if (body ~ /planner (check|plan)/) { n++; f = dir "/step" n ".sh"; printf "%s", body > f; close(f) } body = ""; inrun = 0 }
  inrun && ($0 ~ "^" ind "  " || $0 ~ /^ *$/) { sub("^" ind "  ", ""); body = body $0 "\n"; next }
  inrun { flush() }
  /^ *(- )?run: \|$/ { match($0, /^ */); ind = substr($0, 1, RLENGTH); if ($0 ~ /- run/) ind = ind "  "; inrun = 1; next }
  END { if (inrun) flush() }' "$wf"
configs="$(sed -n 's/^  PLANNER_CONFIGS: //p' "$wf")"
steps=("$work"/step*.sh)
if [ "${#steps[@]}" -eq 3 ] && [ -n "$configs" ]; then pass; else fail "three planner steps and PLANNER_CONFIGS in the workflow" "${steps[*]} / $configs"; fi
for step in "${steps[@]}"; do
  [ -f "$step" ] || continue
  if has shellcheck; then
    run shellcheck -s bash "$step"
    expect_rc 0 "shellcheck on the workflow step $(grep -o -- '--format [a-z]*' "$step")"
  fi
done
mkdir -p "$work/ci-bin"
ln -sf "$planner" "$work/ci-bin/planner"
for config in seed clean; do
  dir="$work/ci-$config"
  mkdir -p "$dir"
  if [ "$config" = seed ]; then cp "$src/examples/seed/local-inference-config.yaml" "$dir/local-inference-config.yaml"
  else cp "$src/tests/cli/clean.yaml" "$dir/local-inference-config.yaml"; fi
  for step in "${steps[@]}"; do
    [ -f "$step" ] || continue
    (cd "$dir" && PATH="$work/ci-bin:$PATH" PLANNER_CONFIGS="$configs" GITHUB_STEP_SUMMARY="$dir/summary.md" \
      bash --noprofile --norc -eo pipefail "$step") >"$work/out" 2>"$work/err"
    rc=$?
    if grep -q -- '--format markdown' "$step"; then
      expect_rc 0 "$config: the plan step succeeds"
      expect "$config: the job summary has the memory plan" grep -qxF '## Memory plan: local\-inference\-config\.yaml' "$dir/summary.md"
    elif grep -q -- '--format sarif' "$step"; then
      expect_rc 0 "$config: the SARIF step succeeds (findings do not stop the upload)"
      expect "$config: planner.sarif is SARIF 2.1.0" grep -q '"version": "2.1.0"' "$dir/planner.sarif"
    else
      if [ "$config" = seed ]; then
        expect_rc 1 "seed: the annotation step fails the job"
        expect_out '^::error file=local-inference-config.yaml,line=[0-9]+,col=[0-9]+,endLine=[0-9]+,endColumn=[0-9]+,title=LI0' "seed: ::error annotations"
      else
        expect_rc 0 "clean: the annotation step passes"
      fi
    fi
  done
done

finish
