#!/usr/bin/env bash
# CI formats (docs/output-formats.md "sarif" and "github", docs/integrations.md): SARIF's
# fingerprints, helpUri, invocations and regions, what a failed run writes, annotations' ends,
# the rule pages helpUri points at (docs/rules/, current), and the GitHub Action (action.yml,
# scripts/action/, examples/github-actions/planner-action.yml).
# Usage: ci_formats_test.sh PLANNER SOURCE_DIR [BUILD_DIR]  (BUILD_DIR: default PLANNER's dir)
# shellcheck disable=SC2016 # single-quoted ${{ }}, $GITHUB_ACTION_PATH and backticks are the files' own text
set -uo pipefail

planner="$(realpath "$1")"
src="$(realpath "$2")"
build="$(realpath "${3:-$(dirname "$planner")}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
seed=examples/seed/local-inference-config.yaml
version="$(sed -n 's/^project(planner VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"
cd "$src" || exit 1

# expect NAME COMMAND...: passes when COMMAND succeeds.
expect() {
  local name="$1"
  shift
  if "$@"; then pass; else fail "$name"; fi
}
# same NAME GOT WANT
same() { if [ "$2" = "$3" ]; then pass; else fail "$1" "got:  $2"$'\n'"want: $3"; fi; }

# --- the rule pages are what the build prints (scripts/rule-docs into a scratch directory)
"$src/scripts/rule-docs" "$planner" "$work/rules" >/dev/null 2>"$work/err" || fail "scripts/rule-docs" "$(cat "$work/err")"
if diff -ru "$src/docs/rules" "$work/rules" >"$work/diff"; then pass; else fail "docs/rules/ is current (run scripts/rule-docs)" "$(cat "$work/diff")"; fi
same "one page per rule, and the index" "$(find "$src/docs/rules" -name 'LI*.md' | wc -l)" "$("$planner" rules | wc -l)"
expect "the index links LI014's page" grep -qF '| [LI014](LI014.md) | `route-exceeds-gpu-limit` | error |' "$src/docs/rules/README.md"
expect "LI014's page is its explain text" grep -qx '# LI014 route-exceeds-gpu-limit' "$src/docs/rules/LI014.md"

if ! command -v jq >/dev/null 2>&1; then
  skip "jq is not installed: the SARIF, annotation and action checks need it"
  finish
  exit $?
fi

# --- SARIF: fingerprints, helpUri, invocations, regions
"$planner" check --format sarif "$seed" >"$work/seed.sarif"
same "seed: exit 1 (errors)" "$?" 1
run0='.runs[0]'
same "helpUri of LI014" "$(jq -r "$run0.tool.driver.rules[] | select(.id == \"LI014\") | .helpUri" "$work/seed.sarif")" \
  "https://github.com/planner/planner/blob/v$version/docs/rules/LI014.md"
same "every rule's helpUri is its page" \
  "$(jq -r --arg base "https://github.com/planner/planner/blob/v$version/docs/rules/" \
    "[$run0.tool.driver.rules[] | select(.helpUri != \$base + .id + \".md\")] | length" "$work/seed.sarif")" 0
for page in $(jq -r "$run0.tool.driver.rules[].helpUri | sub(\".*/blob/v[0-9.]+/\"; \"\")" "$work/seed.sarif"); do
  [ -f "$src/$page" ] || fail "helpUri names a committed page: $page"
done
pass
same "a successful run: executionSuccessful true, no notifications" \
  "$(jq -c "$run0.invocations" "$work/seed.sarif")" '[{"executionSuccessful":true}]'
same "columnKind" "$(jq -r "$run0.columnKind" "$work/seed.sarif")" utf16CodeUnits
same "LI041's region ends after the model name" \
  "$(jq -c "$run0.results[] | select(.ruleId == \"LI041\") | .locations[0].physicalLocation.region" "$work/seed.sarif")" \
  '{"startLine":16,"startColumn":12,"endLine":16,"endColumn":32}'
same "every result has a fingerprint of 16 hex digits" \
  "$(jq -r "[$run0.results[].partialFingerprints[\"plannerFinding/v1\"] | select(test(\"^[0-9a-f]{16}$\"))] | length" "$work/seed.sarif")" \
  "$(jq -r "$run0.results | length" "$work/seed.sarif")"
same "fingerprints are distinct (the two LI016 differ by path)" \
  "$(jq -r "[$run0.results[].partialFingerprints[]] | unique | length" "$work/seed.sarif")" \
  "$(jq -r "$run0.results | length" "$work/seed.sarif")"
# Lines inserted above every finding and a figure changed: the same fingerprints, other lines.
mkdir -p "$work/moved/examples/seed"
{ printf '# a comment\n# another\n\n'; sed 's/total_ram_gb: 16/total_ram_gb: 16.0/' "$seed"; } >"$work/moved/$seed"
(cd "$work/moved" && "$planner" check --format sarif "$seed") >"$work/moved.sarif"
fps() { jq -r "$run0.results[] | .ruleId + \" \" + .partialFingerprints[\"plannerFinding/v1\"]" "$1" | sort; }
same "fingerprints survive lines moving" "$(fps "$work/moved.sarif")" "$(fps "$work/seed.sarif")"
same "...while the lines moved (LI012, line 12 + 3)" \
  "$(jq -r "[$run0.results[] | select(.ruleId == \"LI012\")][0].locations[0].physicalLocation.region.startLine" "$work/moved.sarif")" 15
# Two findings of one rule on one path are told apart by their occurrence index: the same
# unknown key in two routes has two paths; the same path twice cannot occur, so the index is 0.
same "occurrence index 0 hashes as documented (LI041 on routing.code.model)" \
  "$(jq -r "$run0.results[] | select(.ruleId == \"LI041\") | .partialFingerprints[\"plannerFinding/v1\"]" "$work/seed.sarif")" \
  "$(node -e '
      let h = 0xcbf29ce484222325n; const m = (1n << 64n) - 1n;
      for (const s of ["LI041", process.argv[1], "routing.code.model", "0"]) {
        for (const b of Buffer.from(s)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & m;
        h = ((h ^ 0x1fn) * 0x100000001b3n) & m;
      }
      console.log(h.toString(16).padStart(16, "0"));' "$seed" 2>/dev/null || echo "(node missing)")"
# UTF-16 columns: 'é' is 2 bytes, 1 UTF-16 unit; '😀' is 4 bytes, 2 units; `nope` is at byte
# column 29 (11 + 2 + 4 + 11 bytes before it), UTF-16 column 26 (11 + 1 + 2 + 11 units).
printf 'hardware: {total_ram_gb: 16, architecture: apple_silicon}\ninference: {preferred_format: MLX, max_context_tokens: 4096}\nrouting: {"é😀": {model: nope}}\n' >"$work/utf.yaml"
same "json columns are bytes" "$("$planner" check --format json --select LI040 "$work/utf.yaml" | jq -c '.files[0].diagnostics[0] | [.line, .column, .end_line, .end_column]')" '[3,29,3,33]'
same "sarif columns are UTF-16 units" "$("$planner" check --format sarif --select LI040 "$work/utf.yaml" | jq -c "$run0.results[0].locations[0].physicalLocation.region")" \
  '{"startLine":3,"startColumn":26,"endLine":3,"endColumn":30}'

# --- a run that failed: no "clean" log
"$planner" check --format sarif no-such.yaml >"$work/failed.sarif" 2>"$work/err"
same "a missing input: exit 2" "$?" 2
same "failed run: executionSuccessful false" "$(jq -r "$run0.invocations[0].executionSuccessful" "$work/failed.sarif")" false
same "failed run: the notification names the file" \
  "$(jq -c "$run0.invocations[0].toolExecutionNotifications" "$work/failed.sarif")" \
  '[{"level":"error","message":{"text":"cannot read '"'"'no-such.yaml'"'"': No such file or directory"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"no-such.yaml"}}}]}]'
same "failed run: no results key (absent = not analysed, §3.14.23)" "$(jq -r "$run0 | has(\"results\")" "$work/failed.sarif")" false
"$planner" check --format sarif "$seed" no-such.yaml >"$work/partial.sarif" 2>/dev/null
same "one input of two missing: exit 2" "$?" 2
same "...no results either (a partial log would close the missing file's alerts)" "$(jq -r "$run0 | has(\"results\")" "$work/partial.sarif")" false
same "...one notification" "$(jq -r "$run0.invocations[0].toolExecutionNotifications | length" "$work/partial.sarif")" 1
for inputs in "no-such.yaml" "$seed no-such.yaml"; do
  # shellcheck disable=SC2086 # two inputs in one word
  "$planner" check --format sarif -o "$work/out.sarif" $inputs >"$work/out" 2>"$work/err"
  same "-o with '$inputs': exit 2" "$?" 2
  expect "-o with '$inputs': no file written" test ! -e "$work/out.sarif"
  expect "-o with '$inputs': stderr says so" grep -qF "planner: error: no SARIF log written to '$work/out.sarif': the run failed" "$work/err"
done
"$planner" check --format sarif -o "$work/out.sarif" "$seed" >"$work/out" 2>"$work/err"
same "-o with findings: exit 1" "$?" 1
same "-o with findings: the log is written, with results" "$(jq -r "$run0.results | length" "$work/out.sarif")" 9

# --- github annotations: the end, escaped as before
"$planner" check --format github "$seed" >"$work/gh" 2>&1
expect "LI041 annotation has endLine/endColumn" grep -qF '::warning file=examples/seed/local-inference-config.yaml,line=16,col=12,endLine=16,endColumn=32,title=LI041 seed-model-name::' "$work/gh"
"$planner" check --format github no-such.yaml >"$work/gh" 2>/dev/null
same "github: a missing input, exit 2 and no annotation" "$?:$(wc -c <"$work/gh")" "2:0"
printf 'a: 1\n' >"$work/whole.yaml"
"$planner" check --format github --select LI050 "$work/whole.yaml" >"$work/gh"
expect "a whole-file finding has neither line nor end" grep -Eq '^::warning file=[^,]*whole.yaml,title=LI050 ' "$work/gh"

# --- the action: action.yml
"$build/yaml_to_json" "$src/action.yml" "$work/action.json" 2>"$work/err" || fail "action.yml is YAML" "$(cat "$work/err")"
same "action: composite" "$(jq -r .runs.using "$work/action.json")" composite
same "action: name, description" "$(jq -r '[.name, .description] | map(type) | join(",")' "$work/action.json")" "string,string"
same "action: inputs" "$(jq -r '.inputs | keys | join(",")' "$work/action.json")" "args,format,paths,sarif-file"
same "action: input defaults" "$(jq -r '[.inputs.paths.default, .inputs.format.default, .inputs["sarif-file"].default] | join(",")' "$work/action.json")" \
  "local-inference-config.yaml,github,planner.sarif"
same "action: outputs from the check step" "$(jq -r '.outputs | to_entries | sort_by(.key) | map(.key + "=" + .value.value) | join(" ")' "$work/action.json")" \
  'exit-code=${{ steps.check.outputs.exit-code }} sarif-file=${{ steps.check.outputs.sarif-file }}'
same "action: the cache restored, then saved after the build, keyed on the key step" \
  "$(jq -c '[.runs.steps[] | select(.uses != null) | [.uses, .if, .with.key, .with.path]]' "$work/action.json")" \
  '[["actions/cache/restore@v4",null,"${{ steps.key.outputs.key }}","${{ steps.key.outputs.dir }}"],["actions/cache/save@v4","steps.cache.outputs.cache-hit != '"'true'"'","${{ steps.key.outputs.key }}","${{ steps.key.outputs.dir }}"]]'
same "action: builds only on a cache miss" "$(jq -r '.runs.steps[] | select(.run != null and (.run | contains("scripts/action/build"))) | .if' "$work/action.json")" \
  "steps.cache.outputs.cache-hit != 'true'"
same "action: every run step is bash" "$(jq -r '[.runs.steps[] | select(.run != null and .shell != "bash")] | length' "$work/action.json")" 0
same "action: no \${{ }} in a shell line (inputs come through env)" "$(jq -r '[.runs.steps[] | select(.run != null and (.run | contains("${{")))] | length' "$work/action.json")" 0
steps_run="$(jq -r '.runs.steps[] | select(.run != null) | .run' "$work/action.json" | sed -n 's|^"$GITHUB_ACTION_PATH/\(scripts/action/[a-z-]*\)"$|\1|p')"
same "action: four run steps, each a script of scripts/action/" "$(echo "$steps_run" | wc -l)" 4
for s in $steps_run; do
  expect "action: $s exists and is executable" test -x "$src/$s"
  if command -v shellcheck >/dev/null 2>&1; then
    shellcheck -s bash "$src/$s" >"$work/sc" 2>&1 || fail "shellcheck $s" "$(cat "$work/sc")"
  fi
done
pass

# The cache key: version, OS, architecture, sources; stable.
key_of() {
  : >"$work/gh_out"
  GITHUB_ACTION_PATH="$src" GITHUB_OUTPUT="$work/gh_out" RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$work/rt" \
    "$src/scripts/action/cache-key" >/dev/null && sed -n 's/^key=//p' "$work/gh_out"
}
key="$(key_of)"
expect "cache key: planner-$version-Linux-X64-<16 hex>" grep -Eqx "planner-$version-Linux-X64-[0-9a-f]{16}" <<<"$key"
same "cache key is stable" "$(key_of)" "$key"
# The build step builds nothing when the binary is there (a second use in the job).
mkdir -p "$work/bin"
ln -s "$planner" "$work/bin/planner"
out="$(PLANNER_BIN_DIR="$work/bin" RUNNER_TEMP="$work/rt" GITHUB_ACTION_PATH=/nonexistent "$src/scripts/action/build")"
same "build: already built, nothing done" "$?:$out" "0:planner is already built in $work/bin"
: >"$work/gh_path"
PLANNER_BIN_DIR="$work/bin" GITHUB_PATH="$work/gh_path" "$src/scripts/action/add-path" >"$work/out"
same "add-path: runs planner and adds its directory" "$(cat "$work/out") / $(cat "$work/gh_path")" "planner $version / $work/bin"

# The check step, as the action runs it (PATH has planner, inputs in the environment).
check_step() {  # DIR FORMAT PATHS [ARGS]: status in $rc, outputs in $work/gh_out
  : >"$work/gh_out"
  (cd "$1" && PATH="$work/bin:$PATH" GITHUB_OUTPUT="$work/gh_out" PLANNER_FORMAT="$2" PLANNER_PATHS="$3" \
    PLANNER_ARGS="${4:-}" PLANNER_SARIF_FILE=planner.sarif bash --noprofile --norc -e "$src/scripts/action/check") >"$work/out" 2>"$work/err"
  rc=$?
}
ws="$work/ws"
mkdir -p "$ws/configs"
cp "$seed" "$ws/local-inference-config.yaml"
cp "$seed" "$ws/configs/local-inference-config.a.yaml"
cp tests/cli/clean.yaml "$ws/configs/local-inference-config.b.yaml"
check_step "$ws" sarif local-inference-config.yaml
same "action sarif, findings: the step passes, the log is written" "$rc $(tr '\n' ' ' <"$work/gh_out")" "0 exit-code=1 sarif-file=planner.sarif "
same "...and has the results" "$(jq -r "$run0.results | length" "$ws/planner.sarif")" 9
check_step "$ws" sarif "local-inference-config.yaml missing.yaml"
same "action sarif, an input missing: the step fails, no log (the old one removed), no output path" \
  "$rc $(tr '\n' ' ' <"$work/gh_out")$(test -e "$ws/planner.sarif" && echo 'file left')" "2 exit-code=2 sarif-file= "
check_step "$ws" github 'configs/*.yaml' "--select LI041"
same "action github: globs expanded, args passed, fails on errors? (LI041 is a warning: passes)" "$rc" 0
expect "...annotations for the globbed file only, LI041 only" \
  test "$(grep -c '^::' "$work/out")" -eq 1 -a "$(grep -c 'file=configs/local-inference-config.a.yaml,.*title=LI041' "$work/out")" -eq 1
check_step "$ws" github 'configs/*.yaml'
same "action github, errors: the step fails" "$rc $(tr '\n' ' ' <"$work/gh_out")" "1 exit-code=1 sarif-file= "
PLANNER_SARIF_FILE=$'a\nb' GITHUB_OUTPUT="$work/gh_out" PATH="$work/bin:$PATH" bash "$src/scripts/action/check" >/dev/null 2>&1
same "action: a sarif-file of two lines is refused" "$?" 2

# The example workflow: upload only when the check step wrote a log.
"$build/yaml_to_json" examples/github-actions/planner-action.yml "$work/wf.json" 2>"$work/err" || fail "planner-action.yml is YAML" "$(cat "$work/err")"
same "workflow: the SARIF step is the action with format sarif" \
  "$(jq -c '.jobs.check.steps[] | select(.id == "planner") | [.uses, .with.format]' "$work/wf.json")" '["planner/planner@v0.1.0","sarif"]'
same "workflow: the upload runs only with a SARIF file" \
  "$(jq -r '.jobs.check.steps[] | select(.uses == "github/codeql-action/upload-sarif@v3") | [.if, .with.sarif_file] | join(" | ")' "$work/wf.json")" \
  "always() && steps.planner.outputs.sarif-file != '' | \${{ steps.planner.outputs.sarif-file }}"
same "workflow: may upload" "$(jq -r '.jobs.check.permissions["security-events"]' "$work/wf.json")" write

# The workflow without the action (examples/github-actions/planner.yml): its SARIF step leaves no
# planner.sarif when an input is missing, so its `hashFiles('planner.sarif') != ''` skips the upload.
"$build/yaml_to_json" examples/github-actions/planner.yml "$work/wf2.json" 2>"$work/err" || fail "planner.yml is YAML" "$(cat "$work/err")"
jq -r '.jobs.check.steps[] | select(.run != null and (.run | contains("--format sarif"))) | .run' "$work/wf2.json" >"$work/sarif-step.sh"
same "planner.yml: the upload's condition" \
  "$(jq -r '.jobs.check.steps[] | select(.uses == "github/codeql-action/upload-sarif@v3") | .if' "$work/wf2.json")" "always() && hashFiles('planner.sarif') != ''"
echo '{}' >"$ws/planner.sarif"  # a stale log from an earlier step must not survive
(cd "$ws" && PATH="$work/bin:$PATH" PLANNER_CONFIGS="local-inference-config.yaml missing.yaml" \
  bash --noprofile --norc -eo pipefail "$work/sarif-step.sh") >"$work/out" 2>&1
# (the step's status is `[ 2 -eq 1 ]`'s: 1, a failed step)
same "planner.yml, an input missing: the step fails and leaves no planner.sarif" "$?$(test -e "$ws/planner.sarif" && echo ' file left')" 1
(cd "$ws" && PATH="$work/bin:$PATH" PLANNER_CONFIGS="local-inference-config.yaml" \
  bash --noprofile --norc -eo pipefail "$work/sarif-step.sh") >"$work/out" 2>&1
same "planner.yml, findings: the step passes and writes planner.sarif" "$?$(test -s "$ws/planner.sarif" && echo ' written')" "0 written"

finish
