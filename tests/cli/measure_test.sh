#!/usr/bin/env bash
# End to end: a run script with `validation:` (tests/cli/launch/validation.yaml) run against the
# stub tools (tests/cli/stubs/, tests/cli/measure-stubs/), its planner-run.json checked against
# schema/planner-run.schema.json, and `planner plan --measured` on it and on committed reports
# (tests/cli/measured/), with golden outputs (tests/golden/measured-*).
# Usage: measure_test.sh PLANNER_BINARY SOURCE_DIR [NPM_DIR]. Prints "N passed, M failed, K skipped".
set -uo pipefail
planner=${1:?usage: measure_test.sh PLANNER_BINARY SOURCE_DIR}
src=$(cd "${2:?usage: measure_test.sh PLANNER_BINARY SOURCE_DIR}" && pwd)
planner="$(cd "$(dirname "$planner")" && pwd)/$(basename "$planner")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
stubs="$src/tests/cli/stubs"
fixtures="$src/tests/cli/launch"
measured="$src/tests/cli/measured"
golden="$src/tests/golden"

# expect_eq NAME EXPECTED ACTUAL
expect_eq() { if [ "$2" = "$3" ]; then pass; else fail "$1" "$(diff <(printf '%s\n' "$2") <(printf '%s\n' "$3"))"; fi; }
# expect_in NAME FILE TEXT: FILE holds TEXT (fixed string).
expect_in() { if grep -qF -- "$3" "$2"; then pass; else fail "$1: '$3' not in $2" "$(head -60 "$2")"; fi; }
# jq_eq NAME FILE FILTER EXPECTED: jq -c FILTER of FILE.
jq_eq() { expect_eq "$1" "$4" "$(jq -c "$3" "$2" 2>&1)"; }

# --- the run: validation.prompts on code, the fixed prompts on creative --------------------
w="$work/run"
mkdir -p "$w/cfg/validation" "$w/state"
cp "$fixtures/validation.yaml" "$w/cfg/"
cp "$fixtures/validation/prompts.jsonl" "$w/cfg/validation/"
"$planner" script "$w/cfg/validation.yaml" -o "$w/run.sh" 2>"$w/gen.err"
expect_eq "script exits 0" 0 $?
expect_in "the prompts file is a quoted path relative to the script" "$w/run.sh" "VALIDATION_PROMPTS=cfg/validation/prompts.jsonl"
expect_in "0.15 minutes is a 9 s budget" "$w/run.sh" "VALIDATION_BUDGET_S=9"
expect_in "code runs the prompts file" "$w/run.sh" "  validate 0 code 8080 \"\$SERVER_PID\" prompts"
expect_in "creative runs the fixed prompts" "$w/run.sh" "  validate 1 creative 8081 \"\$SERVER_PID\" smoke"
expect_in "the route's identity, JSON-encoded at generation" "$w/run.sh" \
  "ROUTE_META_0='\"route\":\"code\",\"runtime\":\"llama.cpp\",\"model\":\"qwen2.5-7b-instruct\",\"context\":8192,\"port\":8080'"
if grep -q "adds two numbers" "$w/run.sh"; then fail "a prompt was embedded in run.sh"; else pass; fi
if command -v shellcheck >/dev/null 2>&1; then
  check_that "shellcheck passes the generated script" shellcheck "$w/run.sh"
else
  skip "shellcheck not installed"
fi

# The stub server's replies, by a substring of the request (tests/cli/stubs/curl). JSON escapes
# as the server writes them: \n is a newline in the reply.
printf '%s\t%s\n' 'adds two numbers' 'def add(a, b):\n    return a + b' '6 times 7' '42' \
  'capital of France' 'Lyon' 'Server error' '!fail' 'caf' 'café' 'water wet' 'Maybe.' >"$w/state/replies"
printf '0, 5120\n1, 17\n' >"$w/state/gpu-mem"
printf 'MemTotal:       67108864 kB\nMemFree:        1 kB\nMemAvailable:   6710886 kB\n' >"$w/meminfo"  # 90 % in use
: >"$w/calls"
(cd / && PATH="$src/tests/cli/measure-stubs:$stubs:$PATH" STUB_CALLS="$w/calls" STUB_STATE="$w/state" STUB_SECS=1.000000 \
  PLANNER_RUN_ONCE=1 PLANNER_WATCH_INTERVAL=0 PLANNER_HEALTH_TIMEOUT=20 PLANNER_OS=Linux PLANNER_MEMINFO="$w/meminfo" \
  bash "$w/run.sh") >"$w/out" 2>&1
expect_eq "a run with failed prompts exits 1" 1 $?
log="$w/cfg/logs/inference.log"
expect_in "the exit says how many failed" "$log" "error: validation: 5 prompts failed; see cfg/logs/planner-run.json"
expect_in "line 1 passes (expect)" "$log" "code: prompt at line 1: pass: 20 tokens in 1.00 s = 20.0 tokens/s"
expect_in "line 4 fails (expect)" "$log" "code: prompt at line 4: fail (the reply does not contain \"Paris\")"
expect_in "line 5 is no prompt" "$log" "code: prompt at line 5: fail: not a JSON object with a string \"prompt\""
expect_in "line 6: the server's error" "$log" "code: prompt at line 6: fail (the request failed (curl exit 22))"
expect_in "line 8: a regex awk cannot compile" "$log" "code: prompt at line 8: fail (expect_regex is not a valid regular expression)"
expect_in "line 9: a regex that does not match" "$log" \
  "code: prompt at line 9: fail (the reply does not match expect_regex \"^(yes|no)\$\")"
expect_in "the budget stops code after 9 requests" "$log" "code: validation: 5 passed, 5 failed, 2 skipped (time budget)"
expect_in "creative: the three fixed prompts" "$log" "creative: validation: 3 passed, 0 failed, 0 skipped (time budget)"
expect_in "the watchdog unloads code, the least recently used, at 0.9" "$log" "watchdog: unload_model: stopping route code (pid "
expect_eq "requests sent: 9 for code, 3 for creative" 12 "$(grep -c '/v1/chat/completions {' "$w/state/curl.log")"
expect_in "the prompt went JSON-encoded, \\u00e9 decoded to UTF-8" "$w/state/curl.log" \
  '{"messages":[{"role":"user","content":"Quote \"this\", a backslash \\ and café"}],"max_tokens":128,"temperature":0}'
expect_in "the fixed prompts keep 64 tokens" "$w/state/curl.log" \
  '{"messages":[{"role":"user","content":"Reply with the single word: ready."}],"max_tokens":64,"temperature":0}'
if grep -q 'Left for later' "$w/state/curl.log"; then fail "a prompt past the budget was sent"; else pass; fi
expect_eq "every server stopped" "" "$(find "$w/state" -name 'port-*')"

# --- planner-run.json -----------------------------------------------------------------------
report="$w/cfg/logs/planner-run.json"
if [ -s "$report" ]; then pass; else fail "no $report" "$(cat "$w/out")"; fi
cp "$report" "$work/planner-run.json" 2>/dev/null
if python3 -c 'import jsonschema' 2>/dev/null; then
  check_that "planner-run.json is valid against its schema (python jsonschema, draft 7)" \
    python3 -c 'import json, sys, jsonschema
jsonschema.Draft7Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))' \
    "$src/schema/planner-run.schema.json" "$report"
else
  skip "python3 jsonschema not installed: the report is validated by planner (valijson) only"
fi
# ajv-cli, where the schema test installed it (build/npm-tools): a second validator, and the
# schema compiles under ajv's strict mode.
ajv="${3:-}/node_modules/.bin/ajv"
if [ -n "${3:-}" ] && [ -x "$ajv" ]; then
  check_that "ajv compiles planner-run.schema.json" "$ajv" compile --spec=draft7 --allow-union-types \
    -s "$src/schema/planner-run.schema.json"
  check_that "ajv: planner-run.json is valid" "$ajv" validate --spec=draft7 --allow-union-types \
    -s "$src/schema/planner-run.schema.json" -d "$report"
  cp "$report" "$work/bad-report.json" && sed -i 's/"pass": true/"pass": "yes"/' "$work/bad-report.json"
  if "$ajv" validate --spec=draft7 --allow-union-types -s "$src/schema/planner-run.schema.json" \
    -d "$work/bad-report.json" >/dev/null 2>&1; then fail "ajv accepts a report with \"pass\": \"yes\""; else pass; fi
else
  skip "ajv-cli not installed (the schema test installs it into build/npm-tools)"
fi
if command -v jq >/dev/null 2>&1; then
  jq_eq "report: routes in the order they ran" "$report" '[.routes[].route]' '["code","creative"]'
  jq_eq "report: code's identity" "$report" '.routes[0] | [.runtime, .model, .context, .port]' \
    '["llama.cpp","qwen2.5-7b-instruct",8192,8080]'
  jq_eq "report: tokens/s = 160 tokens over the 8 s of requests with a reply" "$report" '.routes[0].tokens_per_s' '20'
  jq_eq "report: code's tallies and budget" "$report" \
    '.routes[0].validation | [.prompts_file, .budget_s, .spent_s, .stopped_by_budget, .passed, .failed, .skipped]' \
    '["cfg/validation/prompts.jsonl",9,9,true,5,5,2]'
  jq_eq "report: pass/fail per line" "$report" '[.routes[0].validation.results[] | [.line, .pass]]' \
    '[[1,true],[2,true],[3,true],[4,false],[5,false],[6,false],[7,true],[8,false],[9,false],[11,true]]'
  jq_eq "report: one prompt's record" "$report" '.routes[0].validation.results[1]' \
    '{"line":2,"prompt":"What is 6 times 7? Answer with the number only.","expect_regex":"^(42|forty-two)\\.?$","pass":true,"latency_s":1,"completion_tokens":20,"tokens_per_s":20}'
  jq_eq "report: a failure's reason" "$report" '.routes[0].validation.results[3].reason' '"the reply does not contain \"Paris\""'
  jq_eq "report: the unicode prompt decoded" "$report" '.routes[0].validation.results[6].prompt' '"Quote \"this\", a backslash \\ and café"'
  jq_eq "report: the fixed prompts have no file or budget" "$report" \
    '.routes[1].validation | [.prompts_file, .budget_s, .passed]' '[null,null,3]'
  jq_eq "report: peak memory per device (host RSS, nvidia-smi per GPU)" "$report" \
    '[.routes[0].peak_memory[] | [.device, .source, (.bytes > 0)]]' '[["host","rss",true],["gpu0","nvidia-smi",true],["gpu1","nvidia-smi",true]]'
  jq_eq "report: gpu0's 5120 MiB" "$report" '.routes[0].peak_memory[1].bytes' '5368709120'
  jq_eq "report: the watchdog's unload, on code only" "$report" \
    '[.routes[] | [.route, [.watchdog_actions[].action]]]' '[["code",["unload_model"]],["creative",[]]]'
else
  skip "jq not installed: the report's values are not checked"
fi

# --- plan --measured on that report: read back through the schema (valijson) ----------------
"$planner" plan --color never --measured "$report" "$w/cfg/validation.yaml" >"$w/plan.out" 2>"$w/plan.err"
expect_eq "plan --measured exits 0" 0 $?
expect_in "measured tokens/s beside the estimate, flagged" "$w/plan.out" "tokens/s     20.0 measured, "
expect_in "code's validation line, its action counted" "$w/plan.out" "validation   5 passed, 5 failed, 2 skipped (time budget spent); 1 watchdog action"
expect_in "creative's validation line" "$w/plan.out" "3 passed, 0 failed, 0 skipped; 0 watchdog actions"

# --- plan --measured: committed reports, golden text and JSON --------------------------------
cfg="$measured/local-inference-config.yaml"
for case in within off; do
  for fmt in text json; do
    (cd "$src" && "$planner" plan --color never --format "$fmt" --measured "tests/cli/measured/$case.json" \
      tests/cli/measured/local-inference-config.yaml) >"$work/$case.$fmt" 2>"$work/$case.err"
    expect_eq "plan --measured $case.json --format $fmt exits 0" 0 $?
    expect_same "plan --measured $case.json --format $fmt matches tests/golden/measured-$case.$fmt" \
      "$golden/measured-$case.$fmt" "$work/$case.$fmt"
  done
done
expect_in "within: no figure flagged" "$work/within.text" "every measured figure is within 15% of its estimate"
expect_in "off: the count of flagged figures" "$work/off.text" "2 figures off by more than 15% of the estimate"

# --- bad and mismatched reports: one line, PATH:LINE:COL, exit 2 -----------------------------
bad_report() {  # NAME FILE EXPECTED_STDERR
  "$planner" plan --measured "$2" "$cfg" >"$work/bad.out" 2>"$work/bad.err"
  expect_eq "$1: exit 2" 2 $?
  expect_eq "$1: the message" "$3" "$(cat "$work/bad.err")"
  expect_eq "$1: nothing on stdout" "" "$(cat "$work/bad.out")"
}
jq '.routes[0].model = "Qwen/Qwen3-8B"' "$measured/within.json" >"$work/other-model.json"
bad_report "another model" "$work/other-model.json" \
  "planner: error: $work/other-model.json:10:16: route 'code' ran Qwen/Qwen3-8B, the config now serves qwen2.5-7b-instruct; regenerate the run script from the config and run it again"
jq '.routes[0].context = 4096' "$measured/within.json" >"$work/other-context.json"
bad_report "another context" "$work/other-context.json" \
  "planner: error: $work/other-context.json:11:18: route 'code' ran with 4096 tokens of context, the config now serves 8192; regenerate the run script from the config and run it again"
jq '.routes[0].route = "chat"' "$measured/within.json" >"$work/other-route.json"
bad_report "a route the config lacks" "$work/other-route.json" \
  "planner: error: $work/other-route.json:8:16: route 'chat' is not in $cfg: the report is of another config"
jq '.routes[0].tokens_per_s = "fast"' "$measured/within.json" >"$work/bad-type.json"
bad_report "a value of the wrong type" "$work/bad-type.json" \
  "planner: error: $work/bad-type.json:13:23: routes.0.tokens_per_s: expected a number or null, got a quoted string \"fast\""
head -c 200 "$measured/within.json" >"$work/cut.json"
"$planner" plan --measured "$work/cut.json" "$cfg" >/dev/null 2>"$work/bad.err"
expect_eq "a report cut short: exit 2" 2 $?
expect_output_file() { if grep -Eq -- "$2" "$work/bad.err"; then pass; else fail "$1" "$(cat "$work/bad.err")"; fi; }
expect_output_file "a report cut short: one located line" "^planner: error: $work/cut.json:[0-9]+:[0-9]+: "
expect_eq "a report cut short: one line" 1 "$(wc -l <"$work/bad.err")"
"$planner" plan --measured "$work/none.json" "$cfg" >/dev/null 2>"$work/bad.err"
expect_eq "a missing report: exit 2" 2 $?
expect_eq "a missing report: the message" "planner: error: cannot read '$work/none.json': No such file or directory" "$(cat "$work/bad.err")"
"$planner" plan --format svg --measured "$measured/within.json" "$cfg" >/dev/null 2>"$work/bad.err"
expect_eq "--measured with --format svg: exit 2" 2 $?

finish
