#!/usr/bin/env bash
# The published schemas (docs/schemastore.md): the settings schema's defaults are what
# `check --show-settings` assumes, the SchemaStore entries name the schemas' $id and the hook's
# file patterns, the docs point editors at paths that exist outside this repository, and every
# example validates with a second validator, ajv-cli from npm (the draft the schemas declare),
# as it does with planner's own valijson: a file planner finds schema errors in (LI002, LI003)
# ajv rejects too, and every other well-formed example both accept.
# Usage: schema_test.sh PLANNER SOURCE_DIR SCHEMA_EXAMPLES [NPM_DIR]
#   SCHEMA_EXAMPLES: build/schema_examples, which writes the model and quantization examples.
#   NPM_DIR: where ajv-cli is installed or reused (default: a temporary directory). The ajv
#   checks are skipped, with a message, where npm is missing or cannot install ajv-cli.
set -uo pipefail

planner="$(realpath "$1")"
src="$(realpath "$2")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
schema_examples="$(realpath "$3")"
npm_dir="${4:-$work/npm}"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

config_schema="$src/schema/local-inference-config.schema.json"
settings_schema="$src/schema/planner-settings.schema.json"
# json_at FILE PYTHON-EXPRESSION-ON-d: one value of a JSON file, printed as JSON.
json_at() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2])))' "$1" "$2"; }

# --- the settings schema's defaults are check's (its --show-settings in a directory with none)
mkdir -p "$work/none"
(cd "$work/none" && "$planner" check --show-settings) >"$work/shown" 2>&1
for key in format strict; do
  want="$(json_at "$settings_schema" "d['properties']['$key']['default']" | tr -d '"')"
  if grep -qx "$key: $want  (default)" "$work/shown"; then pass; else fail "settings schema default $key: $want is check's" "$(cat "$work/shown")"; fi
done

# --- schema_examples: the committed schema is current; a stale copy is found and rewritten to it
if "$schema_examples" "$config_schema" >"$work/out" 2>&1 && grep -q ": current (" "$work/out"; then pass; else fail "schema_examples: the committed schema is current" "$(cat "$work/out")"; fi
python3 - "$config_schema" "$work/stale.json" <<'PY'
import sys
text = open(sys.argv[1]).read()
# The catalog's first model dropped from routing.R.model's examples, as a data change would leave it.
first = '"allam-7b-instruct-preview", '
assert text.count(first) == 1, "the catalog's first model id changed: update this test"
open(sys.argv[2], "w").write(text.replace(first, "", 1))
PY
# The catalog's size, read from the committed (current) schema: one model example per catalog model.
catalog_size="$(json_at "$config_schema" "len(d['definitions']['route']['properties']['model']['examples'])")"
"$schema_examples" "$work/stale.json" >"$work/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -qF "the examples are stale (model: $((catalog_size - 1)) in the file, $catalog_size in the catalog" "$work/out"; then pass; else fail "schema_examples finds a stale schema ($catalog_size models): exit $rc" "$(cat "$work/out")"; fi
"$schema_examples" --write "$work/stale.json" >"$work/out" 2>&1
if cmp -s "$work/stale.json" "$config_schema"; then pass; else fail "schema_examples --write restores the committed schema" "$(cat "$work/out")"; fi

# --- docs/schemastore.md: one catalog entry per schema, url = the schema's $id, fileMatch = the
# pre-commit hook's files pattern (.pre-commit-hooks.yaml) for the config, .planner.yaml for settings
if python3 - "$src" >"$work/entries" 2>&1 <<'PY'
import json, re, sys
src = sys.argv[1]
doc = open(src + "/docs/schemastore.md").read()
blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", doc, re.S)]
entries = {b["url"]: b for b in blocks if isinstance(b, dict) and "fileMatch" in b}
hook = re.search(r"files: (\S+)", open(src + "/.pre-commit-hooks.yaml").read()).group(1)
want = {
    "local-inference-config.schema.json": ["local-inference-config*.yaml", "local-inference-config*.yml"],
    "planner-settings.schema.json": [".planner.yaml"],
}
bad = []
for name, patterns in want.items():
    sid = json.load(open(src + "/schema/" + name))["$id"]
    e = entries.get(sid)
    if e is None:
        bad.append(f"no entry with url {sid}")
        continue
    if e["fileMatch"] != patterns:
        bad.append(f"{name}: fileMatch {e['fileMatch']}, want {patterns}")
    for key in ("name", "description"):
        if not e.get(key):
            bad.append(f"{name}: no {key}")
# The config patterns match what the hook's regex matches, and only that.
for p in want["local-inference-config.schema.json"]:
    sample = p.replace("*", ".laptop")
    if not re.search(hook, "configs/" + sample):
        bad.append(f"the hook's pattern {hook} does not match {sample}")
for other in ("local-inference-config.json", "my-local-inference-config.yaml"):
    if re.search(hook, other):
        bad.append(f"the hook's pattern {hook} matches {other}, which fileMatch does not")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
then pass; else fail "docs/schemastore.md's catalog entries" "$(cat "$work/entries")"; fi

# --- no doc points editors at a schema path that exists only inside this repository
if grep -rnE 'schema=\.{0,2}/?schema/|"\./schema/' "$src/docs" "$src/README.md" >"$work/inrepo"; then
  fail "a doc points the YAML language server into the repository" "$(cat "$work/inrepo")"
else
  pass
fi
# ... and the URL they give is the $id.
id="$(json_at "$config_schema" "d['\$id']" | tr -d '"')"
if grep -rqF "\$schema=$id" "$src/docs/integrations.md"; then pass; else fail "docs/integrations.md gives the modeline with the \$id $id"; fi

# --- a second validator: ajv-cli
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  skip "npm or node not installed: the examples are not validated with ajv-cli"
  finish
  exit
fi
ajv="$npm_dir/node_modules/.bin/ajv"
if [ ! -x "$ajv" ]; then
  mkdir -p "$npm_dir"
  # ajv-cli 5.0.0 (ajv 8): draft-07 with --spec=draft7, YAML data read through js-yaml.
  if ! npm install --prefix "$npm_dir" --no-audit --no-fund --no-save --loglevel=error ajv-cli@5.0.0 >"$work/npm.log" 2>&1; then
    skip "npm could not install ajv-cli@5.0.0: the examples are not validated with it ($(tail -1 "$work/npm.log"))"
    finish
    exit
  fi
fi
draft="$(json_at "$config_schema" "d['\$schema']" | tr -d '"')"
if [ "$draft" = "http://json-schema.org/draft-07/schema#" ]; then pass; else fail "the config schema declares draft-07 (ajv is run with --spec=draft7), not $draft"; fi

# Both schemas compile under ajv's default strict mode; the integer-or-"all" keys
# (gpu_layers, cpu_moe_layers) are union types, allowed explicitly.
for s in "$config_schema" "$settings_schema"; do
  if "$ajv" compile --spec=draft7 --allow-union-types -s "$s" >"$work/out" 2>&1; then pass; else fail "ajv compiles $(basename "$s")" "$(cat "$work/out")"; fi
done

# Each example: planner's verdict (schema codes or not, from check --format json) against ajv's.
# A file that is not a well-formed YAML document for planner (LI001: malformed, duplicate keys,
# an alias bomb, 10,000 levels) is not a schema question; the others are SchemaStore's test files.
mapfile -t examples < <(cd "$src" && find examples -name '*.yaml' | sort)
if [ "${#examples[@]}" -ge 60 ]; then pass; else fail "examples found: ${#examples[@]}"; fi
positive=0 negative=0 not_yaml=0
# planner's verdict per file first, then one ajv process per schema for all of them (ajv-cli
# prints "FILE valid" or "FILE invalid" for each -d): node's start-up once per schema, not once per example.
declare -A planner_codes=()
config_files=() settings_files=()
for f in "${examples[@]}"; do
  case "$f" in
    */.planner.yaml)
      # planner validates settings when it loads them: exit 0 from --show-settings in their directory.
      if (cd "$src/$(dirname "$f")" && "$planner" check --show-settings >/dev/null 2>&1); then codes=""; else codes="LI002"; fi
      settings_files+=(-d "$f")
      ;;
    *)
      codes="$("$planner" check --format json "$src/$f" 2>/dev/null | grep -oE '"code": "LI00[1-3]"' | sort -u | tr -d '" ' | sed 's/code://' | tr '\n' ' ')"
      case "$codes" in *LI001*) not_yaml=$((not_yaml + 1)) && continue ;; esac
      config_files+=(-d "$f")
      ;;
  esac
  planner_codes[$f]="$codes"
done
: >"$work/ajv.out"
ajv_all() { # SCHEMA -d FILE...
  local schema=$1
  shift
  [ $# -gt 0 ] || return 0
  (cd "$src" && "$ajv" validate --spec=draft7 --allow-union-types -s "$schema" "$@") >>"$work/ajv.out" 2>&1
}
ajv_all "$config_schema" "${config_files[@]}"
ajv_all "$settings_schema" "${settings_files[@]}"
for f in "${examples[@]}"; do
  [ -n "${planner_codes[$f]+set}" ] || continue
  codes="${planner_codes[$f]}"
  if [ -n "$codes" ]; then
    negative=$((negative + 1))
    if grep -qxF "$f invalid" "$work/ajv.out"; then pass; else fail "$f: planner reports $codes, ajv accepts it" "$(grep -F "$f" "$work/ajv.out")"; fi
  else
    positive=$((positive + 1))
    if grep -qxF "$f valid" "$work/ajv.out"; then pass; else fail "$f: planner's schema check accepts it, ajv does not" "$(grep -F -A5 "$f" "$work/ajv.out")"; fi
  fi
done
printf 'ajv-cli: %d examples valid for both, %d invalid for both expected, %d not YAML documents\n' "$positive" "$negative" "$not_yaml"
# The split docs/schemastore.md states: the broken/ files that are schema errors are the negatives.
if [ "$negative" -eq 2 ] && [ "$not_yaml" -eq 4 ]; then pass; else fail "negatives 2 (02-wrong-types, 03-unknown-key-typo) and 4 not YAML, got $negative and $not_yaml"; fi

finish
