#!/usr/bin/env bash
# planner's SARIF against two validators from npm (tests/sarif/package.json, its lock):
#   1. the OASIS SARIF 2.1.0 JSON Schema (tests/data/sarif/, the file as the npm package named in
#      its README ships it, checked by its sha256 here) with ajv-cli and ajv-formats, so "format":
#      "uri" is checked too;
#   2. Microsoft's sarif-multitool `validate --rule-kind "Gh;Sarif"`: the SARIF rules and the
#      GitHub ingestion rules (GH1xxx); a result at level error or warning fails.
# Logs: every config under examples/, every rule fixture's bad*.yaml, and the log of a run that
# failed (exit 2: an input missing). A broken log must be refused by both (the validators run).
# Usage: validate_test.sh PLANNER SOURCE_DIR. Exit 77 (ctest: skipped) without node and npm or
# without the validators installed (PLANNER_TEST_TOOLS=1 ./scripts/setup runs `npm ci` here).
set -uo pipefail
planner="$(realpath "$1")"
src="$(realpath "$2")"
tools="$src/tests/sarif/node_modules"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node or npm is not installed"
  exit 77
fi
multitool="$tools/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -f "$tools/ajv-cli/dist/index.js" ] || [ ! -f "$tools/ajv-formats/package.json" ] || [ ! -f "$multitool" ]; then
  echo "SKIP: the SARIF validators are not installed (PLANNER_TEST_TOOLS=1 ./scripts/setup, or npm ci --prefix tests/sarif)"
  exit 77
fi
[ -x "$multitool" ] || chmod u+x "$multitool"  # npm 11 may not run the package's chmod postinstall
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=../cli/lib.sh
source "$src/tests/cli/lib.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 HOME="$work/home"
mkdir -p "$HOME" "$work/logs"

schema="$src/tests/data/sarif/sarif-schema-2.1.0.json"
want_sha=10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454  # tests/data/sarif/README.md
if [ "$(sha256sum "$schema" | cut -d' ' -f1)" = "$want_sha" ]; then pass; else fail "the OASIS schema is the file its README names"; fi

# One log per config, written as code scanning gets it: from the repository root, relative paths.
n=0
log_of() {  # CONFIG -> a log in $work/logs, named after the config
  local name
  name="$(printf '%s' "$1" | tr '/' '_')"
  (cd "$src" && "$planner" check --format sarif "$1") >"$work/logs/$name.sarif.json" 2>"$work/err"
  local rc=$?
  if [ "$rc" -le 1 ]; then pass; else fail "$1: planner check --format sarif exit $rc" "$(cat "$work/err")"; fi
  n=$((n + 1))
}
while IFS= read -r f; do log_of "$f"; done < <(cd "$src" && find examples tests/fixtures/rules -name '*.yaml' \
  \( -path 'examples/*' -o -name 'bad*.yaml' \) | LC_ALL=C sort)
# A run that failed: the only input missing (exit 2). Its log has no results (docs/output-formats.md):
# it passes the schema, and GitHub's rules refuse it with GH1014 alone (no `results`: GitHub will
# not ingest it, which is the point: ingested, it would close every open alert).
mkdir -p "$work/failed"
(cd "$src" && "$planner" check --format sarif no-such-config.yaml) >"$work/failed/failed-run.sarif.json" 2>"$work/err"
rc=$?
if [ "$rc" -eq 2 ]; then pass; else fail "a missing input: exit $rc, want 2"; fi
if grep -q '"executionSuccessful": false' "$work/failed/failed-run.sarif.json"; then pass; else fail "the failed run's log says executionSuccessful: false" "$(cat "$work/failed/failed-run.sarif.json")"; fi
if grep -q '"results"' "$work/failed/failed-run.sarif.json"; then fail "the failed run's log has no results key"; else pass; fi
echo "$n logs"

# A log both validators must refuse: a tool URI that is not a URI (schema), a result with no
# region and an absolute URI without a base (GitHub rules).
cat >"$work/broken.sarif.json" <<'JSON'
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "informationUri": "not a uri"}},
 "results": [{"ruleId": "X1", "message": {"text": "m"},
   "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///abs/x.yaml"}}}]}]}]}
JSON

# --- 1. the OASIS schema (ajv, draft-07, formats checked). One ajv run over every log: node and the
# schema's compilation once, not once per group (each line of its output names its file).
ajv() { node "$tools/ajv-cli/dist/index.js" validate -s "$schema" -c ajv-formats --strict=false --all-errors --errors=text "$@"; }
(cd "$tools/.." && ajv -d "$work/logs/*.sarif.json" -d "$work/failed/failed-run.sarif.json" -d "$work/broken.sarif.json") >"$work/ajv.out" 2>&1
valid="$(grep -c "^$work/logs/.* valid$" "$work/ajv.out")"
if [ "$valid" -eq "$n" ] && ! grep -q "^$work/logs/.* invalid$" "$work/ajv.out"; then pass; else fail "OASIS schema: $valid of $n logs valid" "$(grep -v ' valid$' "$work/ajv.out")"; fi
if grep -qx "$work/failed/failed-run.sarif.json valid" "$work/ajv.out"; then pass; else fail "OASIS schema: the failed run's log is valid" "$(cat "$work/ajv.out")"; fi
if grep -qx "$work/broken.sarif.json invalid" "$work/ajv.out" && grep -q 'informationUri must match format "uri"' "$work/ajv.out"; then pass
else fail "OASIS schema refuses the broken log" "$(cat "$work/ajv.out")"; fi

# --- 2. sarif-multitool with the GitHub rules; results at level error or warning fail
# (a result without a level is a warning: SARIF §3.27.10).
verdict() {  # MULTITOOL_OUTPUT -> one line per error/warning; the count of notes on stderr
  # shellcheck disable=SC2016 # JavaScript in single quotes, not shell
  node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    let notes = 0;
    for (const r of log.runs[0].results || []) {
      const level = r.level || "warning";
      if (level === "note" || level === "none") { notes++; continue; }
      const where = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "?";
      console.log(`${r.ruleId} ${level} ${where}: ${r.message.id} ${(r.message.arguments || []).join(" | ")}`);
    }
    console.error(`${notes} notes`);' "$1"
}
# One multitool run over every log (the .NET start-up once): each result names the log it is about.
# -j: the pinned OASIS schema, not the one the logs' $schema names (the multitool would fetch it).
"$multitool" validate --rule-kind "Gh;Sarif" --level "Error;Warning;Note" -j "$schema" -o "$work/mt.sarif" \
  "$work"/logs/*.sarif.json "$work/failed/failed-run.sarif.json" "$work/broken.sarif.json" >"$work/mt.out" 2>&1
rc=$?
if [ -f "$work/mt.sarif" ]; then pass; else fail "sarif-multitool validate ran (exit $rc)" "$(cat "$work/mt.out")"; fi
if [ -f "$work/mt.sarif" ]; then
  verdict "$work/mt.sarif" >"$work/mt.bad" 2>"$work/mt.notes"
  grep "/logs/" "$work/mt.bad" >"$work/mt.logs.bad"
  if [ ! -s "$work/mt.logs.bad" ]; then pass; else fail "sarif-multitool (Gh;Sarif): errors or warnings" "$(cat "$work/mt.logs.bad")"; fi
  echo "sarif-multitool: $(cat "$work/mt.notes") (advisory) over $n logs and 2 more"
  failed_run="$(grep "/failed/failed-run.sarif.json:" "$work/mt.bad" | cut -d' ' -f1-2)"
  if [ "$failed_run" = "GH1014 error" ]; then pass
  else fail "sarif-multitool: the failed run's log has one error, GH1014 (no results: GitHub refuses it)" "$(cat "$work/mt.bad")"; fi
  if grep "/broken.sarif.json:" "$work/mt.bad" | grep -q '^GH1018 error'; then pass
  else fail "sarif-multitool refuses the broken log (GH1018)" "$(cat "$work/mt.bad")"; fi
fi

finish
