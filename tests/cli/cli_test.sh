#!/usr/bin/env bash
# End-to-end tests of the planner executable: exit codes, output formats against reviewed golden
# files, suppressions, rule selection, colors. Usage: cli_test.sh PLANNER SOURCE_DIR
set -uo pipefail

planner="$1"
src="$2"
golden="$src/tests/golden"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"




cd "$src" || exit 1
seed=examples/seed/local-inference-config.yaml
clean=tests/cli/clean.yaml

# --- exit codes
expect_exit 1 "seed template has errors" -- "$planner" check "$seed"
expect_exit 0 "clean config" -- "$planner" check "$clean"
expect_exit 2 "missing file" -- "$planner" check "$work/nope.yaml"
expect_output "missing file message" "cannot read '.*nope.yaml': No such file"
mkdir -p "$work/emptydir"
expect_exit 2 "a directory with no config" -- "$planner" check "$work/emptydir"
expect_output "empty directory message" "^planner: error: no local-inference-config\*\.yaml under '.*emptydir' \(--include GLOB adds other names\)$"
expect_exit 2 "unknown flag" -- "$planner" check --bogus "$clean"
expect_exit 2 "bad --format value" -- "$planner" check --format xml "$clean"
expect_exit 2 "no subcommand" -- "$planner"
expect_exit 0 "--help" -- "$planner" check --help
expect_exit 0 "--version" -- "$planner" --version

# --- inputs: a directory, stdin, the config found upward (issue 14 item 2)
from_file() { local f="$1"; shift; "$@" <"$f"; }  # FILE COMMAND...: the command reads FILE as stdin
in_dir() { local d="$1"; shift; (cd "$d" && "$@"); }
mkdir -p "$work/tree/a/b" "$work/tree/.git" "$work/tree/team"
cp "$seed" "$work/tree/team/local-inference-config.prod.yaml"
cp "$clean" "$work/tree/a/local-inference-config.yml"
cp "$clean" "$work/tree/.git/local-inference-config.yaml"
cp "$clean" "$work/tree/a/b/other.yaml"
ln -s "$src/examples/seed" "$work/tree/link"
expect_exit 1 "a directory: its config files, recursively" -- "$planner" check --format json "$work/tree"
files_seen="$(grep -o "\"path\": \"$work/tree/[^\"]*\"" "$work/out" | sort -u | sed "s|$work/tree/||g" | tr '\n' ' ')"
check_that "the walk finds the hook's file names, not hidden dirs, links or other names ($files_seen)" \
  [ "$files_seen" = '"path": "a/local-inference-config.yml" "path": "team/local-inference-config.prod.yaml" ' ]
expect_exit 1 "--include adds other names" -- "$planner" check --format json --include 'a/b/*.yaml' "$work/tree"
expect_output "--include matched a/b/other.yaml" '"path": "[^"]*/a/b/other\.yaml"'
expect_exit 1 "--include by file name" -- "$planner" check --format json --include 'other.*' "$work/tree"
expect_output "--include by name matched other.yaml" 'a/b/other\.yaml'
expect_exit 1 "stdin: check -" -- from_file "$seed" "$planner" check --color never -
expect_output "stdin findings are named -" "^-:12:23: error: .*\[LI030\]$"
expect_exit 1 "stdin with --stdin-filename" -- from_file "$seed" "$planner" check --color never --stdin-filename "$seed" -
expect_output "stdin findings carry --stdin-filename" "^examples/seed/local-inference-config\.yaml:12:23: error: .*\[LI030\]$"
expect_exit 2 "- given twice" -- from_file /dev/null "$planner" check - -
expect_output "- twice message" "^planner: error: '-' \(standard input\) given twice$"
head -c 2000000 /dev/zero | tr '\0' 'a' >"$work/huge.txt"
expect_exit 1 "stdin over the size limit is a finding, read no further" -- from_file "$work/huge.txt" "$planner" check -
expect_output "stdin size limit" "LI001"
cp "$clean" "$work/tree/local-inference-config.yaml"
expect_exit 0 "no argument: the config upward from a subdirectory" -- in_dir "$work/tree/a/b" "$planner" check --format json
expect_output "found two levels up" '"path": "\.\./\.\./local-inference-config\.yaml"'
expect_exit 2 "no argument and no config upward" -- in_dir "$work/emptydir" "$planner" check
expect_output "no config upward message" "^planner: error: no local-inference-config\.yaml in this directory or any parent"

# --- CLI habits (issue 14 item 4)
expect_exit 1 "-q: findings only" -- "$planner" check -q --color never "$seed"
expect_no_output "-q drops the summary" "^Found "
expect_output "-q keeps the findings" "\[LI030\]$"
expect_exit 0 "--exit-zero with errors" -- "$planner" check --exit-zero "$seed"
expect_output "--exit-zero still prints them" "\[LI030\]$"
expect_exit 2 "--exit-zero keeps 2 for unreadable input" -- "$planner" check --exit-zero "$work/nope.yaml"
expect_exit 1 "--statistics" -- "$planner" check --statistics "$seed"
expect_output "--statistics: count, code, name" "^    2  LI016  min-ram-understated$"
expect_output "--statistics: one line per rule" "^    1  LI030  context-beyond-trained$"
expect_no_output "--statistics lists no finding" "\[LI030\]"
expect_exit 2 "--statistics is text only" -- "$planner" check --statistics --format json "$seed"
expect_exit 1 "--output-file" -- "$planner" check --format sarif -o "$work/report.sarif" "$seed"
check_that "--output-file holds the SARIF, stdout is empty" [ -s "$work/report.sarif" ] && [ ! -s "$work/out" ]
"$planner" check --format sarif "$seed" >"$work/stdout.sarif"
check_that "--output-file is what stdout would have been" cmp -s "$work/report.sarif" "$work/stdout.sarif"
expect_exit 2 "--output-file never replaces a file without --force" -- "$planner" check -o "$work/report.sarif" "$clean"
expect_output "refusal message" "^planner: error: cannot write '.*report\.sarif': "
check_that "the refused file is untouched" cmp -s "$work/report.sarif" "$work/stdout.sarif"
expect_exit 0 "--output-file --force replaces it" -- "$planner" check --force -o "$work/report.sarif" "$clean"
check_that "replaced with the new report" grep -q "No problems found in 1 file" "$work/report.sarif"
expect_exit 2 "no report file when nothing could be read" -- "$planner" check --format sarif -o "$work/none.sarif" "$work/nope.yaml"
check_that "no empty 'clean' SARIF was written" [ ! -e "$work/none.sarif" ]
expect_exit 0 "-V" -- "$planner" -V
expect_output "-V prints the version" "^planner [0-9]+\.[0-9]+\.[0-9]+$"
expect_exit 2 "a mistyped subcommand" -- "$planner" chek "$seed"
expect_output "did you mean check" "^planner: error: unknown command 'chek'; did you mean 'check'\?$"
expect_exit 2 "a word no command is near" -- "$planner" zzzzzz
expect_output "no suggestion, a pointer to --help" "^planner: error: unknown command 'zzzzzz'; see planner --help$"
expect_exit 2 "a mistyped flag" -- "$planner" check --stirct "$seed"
expect_output "did you mean --strict" "^planner: error: unknown option '--stirct' for 'planner check'; did you mean '--strict'\?$"
expect_exit 2 "a mistyped flag with a value" -- "$planner" plan --formt=json "$seed"
expect_output "did you mean --format" "^planner: error: unknown option '--formt' for 'planner plan'; did you mean '--format'\?$"
expect_exit 1 "FORCE_COLOR colours a pipe" -- env -u NO_COLOR FORCE_COLOR=1 "$planner" check "$seed"
expect_output "FORCE_COLOR: escape codes" $'\e\\['
expect_exit 1 "CLICOLOR_FORCE colours a pipe" -- env -u NO_COLOR CLICOLOR_FORCE=1 "$planner" check "$seed"
expect_output "CLICOLOR_FORCE: escape codes" $'\e\\['
expect_exit 1 "FORCE_COLOR=0 does not" -- env -u NO_COLOR FORCE_COLOR=0 "$planner" check "$seed"
expect_no_output "FORCE_COLOR=0: no escape codes" $'\e\\['
expect_exit 1 "NO_COLOR wins over FORCE_COLOR" -- env NO_COLOR=1 FORCE_COLOR=1 "$planner" check "$seed"
expect_no_output "NO_COLOR: no escape codes" $'\e\\['
# The pattern the walk matches is the hooks' `files:` (stated in .pre-commit-hooks.yaml too).
check_that "the hooks match the names the walk matches" \
  [ "$(grep -c '^  files: (^|/)local-inference-config\[^/\]\*\\\.ya?ml\$$' "$src/.pre-commit-hooks.yaml")" -ge 2 ]

# --- project settings: .planner.yaml found upward, flags override it (issue 14 item 3)
mkdir -p "$work/sproj/configs/sub"
cp "$seed" "$work/sproj/configs/local-inference-config.yaml"
cp "$seed" "$work/sproj/configs/sub/local-inference-config.yaml"
printf 'ignore: [LI030]\nstrict: true\nformat: github\nper-file-ignores:\n  "configs/sub/*.yaml": [LI014]\n' >"$work/sproj/.planner.yaml"
expect_exit 0 "--show-settings" -- in_dir "$work/sproj/configs" "$planner" check --show-settings
expect_output "settings file found upward" "^settings file: $work/sproj/\.planner\.yaml$"
expect_output "format from the file" "^format: github  \($work/sproj/\.planner\.yaml\)$"
expect_output "ignore from the file" "^ignore: LI030  \($work/sproj/\.planner\.yaml\)$"
expect_output "per-file-ignores listed" '^  configs/sub/\*\.yaml: LI014$'
expect_exit 0 "--show-settings with flags" -- in_dir "$work/sproj" "$planner" check --show-settings --format json --ignore LI016
expect_output "a flag overrides format" "^format: json  \(command line\)$"
expect_output "a flag replaces ignore" "^ignore: LI016  \(command line\)$"
expect_output "strict stays the file's" "^strict: true  \($work/sproj/\.planner\.yaml\)$"
expect_exit 1 "settings apply: github format, LI030 ignored" -- in_dir "$work/sproj" "$planner" check configs
expect_output "github format from the settings" "^::error file=configs/local-inference-config\.yaml,line=15,col=3"
expect_no_output "LI030 ignored by the settings" "LI030"
expect_output "LI014 in configs/" "file=configs/local-inference-config\.yaml,.*LI014"
expect_no_output "per-file-ignores drops LI014 in configs/sub" "file=configs/sub/local-inference-config\.yaml,.*LI014"
expect_exit 1 "--isolated ignores the settings" -- in_dir "$work/sproj" "$planner" check --isolated --color never configs/local-inference-config.yaml
expect_output "--isolated: LI030 is back, text format" "^configs/local-inference-config\.yaml:12:23: error: .*\[LI030\]$"
printf 'selct: [LI01]\n' >"$work/sproj/.planner.yaml"
expect_exit 2 "a mistyped setting stops the run" -- in_dir "$work/sproj" "$planner" check configs
expect_output "located, with a suggestion" "^planner: error: $work/sproj/\.planner\.yaml:1:1: unknown key 'selct' at the top level; did you mean 'select'\?$"
printf 'strict: yes please\n' >"$work/sproj/.planner.yaml"
expect_exit 2 "a wrong type in the settings" -- in_dir "$work/sproj" "$planner" check configs
expect_output "wrong type located" "^planner: error: $work/sproj/\.planner\.yaml:1:9: strict: "
printf 'select: [LI01\n' >"$work/sproj/.planner.yaml"
expect_exit 2 "a settings file that is no YAML" -- in_dir "$work/sproj" "$planner" check configs
expect_output "YAML error located" "^planner: error: $work/sproj/\.planner\.yaml:[0-9]+:[0-9]+: "
check_that "the settings schema is valid JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$src/schema/planner-settings.schema.json"

# --- YAML errors are diagnostics (exit 1), with file:line:col
printf 'hardware:\n  total_ram_gb: [16\n' >"$work/broken.yaml"
expect_exit 1 "syntax error is a finding" -- "$planner" check --color never "$work/broken.yaml"
expect_output "syntax error location" "broken.yaml:[0-9]+:[0-9]+: error: YAML syntax error.*\[LI001\]"
head -c 3000 /dev/urandom >"$work/garbage.yaml"
printf '\0' >>"$work/garbage.yaml"
expect_exit 1 "binary garbage" -- "$planner" check "$work/garbage.yaml"
expect_output "binary garbage message" "LI001"

# --- --strict: warnings fail
cp "$clean" "$work/warn.yaml"
sed -i 's/os_reserve_percent: 22/os_reserve_percent: 10/' "$work/warn.yaml"
expect_exit 0 "warnings alone pass" -- "$planner" check "$work/warn.yaml"
expect_output "LI010 reported" "warning: .*\[LI010\]"
expect_exit 1 "--strict fails on warnings" -- "$planner" check --strict "$work/warn.yaml"

# --- select / ignore (codes, prefixes, names)
expect_exit 0 "--ignore the errors" -- "$planner" check --ignore LI014,LI030 "$seed"
expect_exit 1 "--select one error rule" -- "$planner" check --select LI014 "$seed"
expect_no_output "--select keeps only LI014" "\[LI0(1[0-36]|2|4|5)"
expect_exit 0 "--select by prefix, no errors in LI02x" -- "$planner" check --select LI02 "$seed"
expect_output "--select prefix keeps LI021" "\[LI021\]"
expect_exit 0 "--ignore by name" -- "$planner" check --ignore route-exceeds-gpu-limit,context-beyond-trained "$seed"

# --- inline suppression, on the line and on the line above
cp "$seed" "$work/suppressed.yaml"
sed -i 's/^    format: GGUF$/    format: GGUF  # planner: ignore[LI021]/' "$work/suppressed.yaml"
sed -i 's/^  code:$/  # planner: ignore[LI014]\n  code:/' "$work/suppressed.yaml"
expect_exit 1 "suppressed file still has LI030" -- "$planner" check "$work/suppressed.yaml"
expect_no_output "LI021 suppressed on its line" "\[LI021\]"
expect_no_output "LI014 suppressed from the line above" "\[LI014\]"
expect_output "others remain" "\[LI030\]"

# --- default file name
mkdir -p "$work/proj"
cp "$clean" "$work/proj/local-inference-config.yaml"
if (cd "$work/proj" && "$planner" check) >"$work/out" 2>"$work/err"; then pass; else fail "default file in the current directory"; fi

# --- colors
"$planner" check --color always "$seed" >"$work/out" 2>&1
if grep -q $'\x1b\[' "$work/out"; then pass; else fail "--color always emits escapes"; fi
NO_COLOR=1 "$planner" check "$seed" >"$work/out" 2>&1
if grep -q $'\x1b\[' "$work/out"; then fail "NO_COLOR disables colors"; else pass; fi

# --- speed shows where speed is the issue (a known chip)
expect_exit 0 "long context on a known chip" -- "$planner" check --color never tests/cli/long-context.yaml
expect_output "LI031 gives the decode slowdown" "on M2 Max decoding slows from ~[0-9]+ to ~[0-9]+ tokens/s as the context fills \[LI031\]"

# --- inspect an MLX / Hugging Face directory (config.json + a safetensors file, built here)
mkdir -p "$work/mdir"
printf '%s' '{"model_type": "llama", "num_hidden_layers": 1, "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 128, "max_position_embeddings": 2048, "tie_word_embeddings": true}' >"$work/mdir/config.json"
header='{"model.embed_tokens.weight":{"dtype":"BF16","shape":[128,64],"data_offsets":[0,16384]},"model.layers.0.self_attn.k_proj.weight":{"dtype":"BF16","shape":[32,64],"data_offsets":[16384,20480]},"model.norm.weight":{"dtype":"BF16","shape":[64],"data_offsets":[20480,20608]}}'
len=${#header}
{
  printf '%b' "$(printf '\\x%02x\\x%02x\\x00\\x00\\x00\\x00\\x00\\x00' $((len % 256)) $((len / 256)))"
  printf '%s' "$header"
  head -c 20608 /dev/zero
} >"$work/mdir/model.safetensors"
expect_exit 0 "inspect a model directory" -- "$planner" inspect "$work/mdir"
expect_output "directory: tensors and runtime" "safetensors directory, 3 tensors"
expect_output "directory: estimated on mlx-lm" "memory at 4096 tokens on mlx-lm"
expect_exit 0 "inspect a directory as json" -- "$planner" inspect --format json "$work/mdir"
expect_output "directory json: exact weight bytes" '"weights_bytes": 20608,'
# The same plain checkpoint served by vLLM: read as safetensors (vLLM's format), not as MLX (LI026).
cat >"$work/vllm-dir.yaml" <<'YAML'
hardware:
  total_ram_gb: 64
  architecture: linux_nvidia
  chip: RTX 4090
inference:
  preferred_format: GGUF
  quantization: Q4_K_M
  max_context_tokens: 2048
routing:
  code:
    model: ./mdir
    runtime: vllm
monitoring:
  memory_pressure_threshold: 0.75
  action_on_threshold: unload_model
YAML
expect_exit 0 "a local checkpoint on vLLM" -- "$planner" plan --format json "$work/vllm-dir.yaml"
expect_output "a local checkpoint on vLLM: vLLM's own figures" '"vllm": \{'
expect_output "a local checkpoint on vLLM: the runtime" '"runtime": "vLLM"'
expect_exit 0 "a local checkpoint on vLLM: no format mismatch" -- "$planner" check --select LI026 "$work/vllm-dir.yaml"
printf '{"model_type": "llama"' >"$work/mdir/config.json"
expect_exit 2 "inspect a directory with a broken config.json" -- "$planner" inspect "$work/mdir"
expect_output "broken config.json message" "^planner: error: .*config.json"

# --- rules, explain, schema
expect_exit 0 "rules" -- "$planner" rules
expect_output "rules lists LI012" "^LI012 +kv-exceeds-reserve"
expect_exit 0 "explain by code" -- "$planner" explain LI014
expect_output "explain has sections" "## Why is this bad\?"
expect_exit 0 "explain by name" -- "$planner" explain kv-exceeds-reserve
expect_exit 2 "explain unknown code" -- "$planner" explain LI999
expect_exit 0 "models" -- "$planner" models
expect_output "models lists the MoE coder with total and active" "^deepseek-v2-lite +15\.7B/2\.7B MoE MLA"
expect_exit 0 "models json" -- "$planner" models --format json
expect_output "models json has byte figures" '"kv_cache_bytes_per_1k_tokens_f16"'
expect_output "models json gives a VLM download apart from what is resident" '"repo": "mlx-community/Qwen3.5-9B-4bit",'
expect_output "models json: its download bytes" '"download_bytes": 5950062560'
"$planner" models >"$work/out" 2>"$work/err"
expect_output "models text lists downloads larger than what is resident" "^  mlx-community/Qwen3.5-9B-4bit 4bit +5\.54 GiB +4\.69 GiB  the vision tower"
expect_exit 0 "schema" -- "$planner" schema
if cmp -s "$work/out" schema/local-inference-config.schema.json; then pass; else fail "schema prints schema/ verbatim"; fi

# --- golden files: reviewed outputs of every format on the seed template
for fmt in text json sarif github; do
  "$planner" check --format "$fmt" --color never "$seed" >"$work/golden.$fmt" 2>&1
  expect_same "golden seed.$fmt" "$golden/seed.$fmt" "$work/golden.$fmt"
done

# --- planner plan: a report (exit 0 even when routes do not fit), golden outputs on the seed
for fmt in text json; do
  expect_exit 0 "plan --format $fmt on the seed" -- "$planner" plan --format "$fmt" --color never "$seed"
  expect_same "golden plan-seed.$fmt" "$golden/plan-seed.$fmt" "$work/out"
done
# The plan as a picture: the README's figure (docs/images/plan.svg) and the goldens of
# tests/golden/update; each SVG parses as XML, each page has no tag but the page's own.
expect_exit 0 "plan --format svg on the seed" -- "$planner" plan --format svg "$seed"
if diff -u docs/images/plan.svg "$work/out" >"$work/diff"; then pass; else fail "README figure docs/images/plan.svg is current" "$(cat "$work/diff")"; fi
for fmt in html markdown; do
  ext="$fmt"
  [ "$fmt" = markdown ] && ext=md
  expect_exit 0 "plan --format $fmt on the seed" -- "$planner" plan --format "$fmt" "$seed"
  expect_same "golden plan-seed.$ext" "$golden/plan-seed.$ext" "$work/out"
done
for pair in multi-gpu:tests/cli/launch/llama-multi-gpu.yaml over-budget:examples/real-world/03-air-m3-8gb-too-big-for-8gb.yaml \
  vllm:tests/cli/launch/vllm.yaml; do
  for fmt in svg html markdown; do
    ext="$fmt"
    [ "$fmt" = markdown ] && ext=md
    expect_exit 0 "plan --format $fmt on ${pair#*:}" -- "$planner" plan --format "$fmt" "${pair#*:}"
    expect_same "golden plan-${pair%%:*}.$ext" "$golden/plan-${pair%%:*}.$ext" "$work/out"
  done
done
# A hostile file and model name (markup, quotes, an ampersand, control characters; route names
# are held to [A-Za-z][A-Za-z0-9_-]* by the schema): the SVG still parses as XML with the names as
# its text, the page has only the tags planner writes, the markdown table keeps its cells.
hostile="$work/a<b>&'q\".yaml"
cat >"$hostile" <<'YAML'
version: 1
hardware: {total_ram_gb: 16, os_reserve_percent: 22, architecture: apple_silicon}
inference: {preferred_format: MLX, quantization: Q4_K_M, max_context_tokens: 8192}
routing:
  evil:
    model: "<script>x</script>|]]><!--\e[2J\a\x01"
  ok:
    model: qwen3.5-9b
YAML
"$planner" plan --format svg "$hostile" >"$work/hostile.svg" 2>&1
if python3 - "$work/hostile.svg" >"$work/diff" 2>&1 <<'PY'
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
svg = doc.documentElement
assert svg.tagName == "svg" and svg.getAttribute("xmlns") == "http://www.w3.org/2000/svg", svg.tagName
assert not doc.getElementsByTagName("script"), "a script element"
def text_of(e):
    return "".join(n.data for n in e.childNodes if n.nodeType == n.TEXT_NODE)
titles = [text_of(t) for t in doc.getElementsByTagName("title")]
assert titles[0].endswith("a<b>&'q\".yaml: memory plan"), titles[0]
assert "evil: <script>x</script>|]]><!--\\x1b[2J\\x07\\x01" in titles, titles
texts = [text_of(t) for t in doc.getElementsByTagName("text")]
assert "<script>x</script>|]]><!--..." in texts, texts  # the label column's cut
PY
then pass; else fail "hostile names: the SVG parses, the names are its text" "$(cat "$work/diff")"; fi
"$planner" plan --format html "$hostile" >"$work/hostile.html" 2>&1
if python3 - "$work/hostile.html" >"$work/diff" 2>&1 <<'PY'
import sys
from html.parser import HTMLParser
allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "code", "table", "thead", "tbody",
           "tr", "th", "td", "ul", "li", "br", "strong", "svg", "desc", "defs", "pattern", "rect", "text", "line", "g"}
class Tags(HTMLParser):
    def handle_starttag(self, tag, attrs):
        assert tag in allowed, tag
        for k, v in attrs:
            assert not k.startswith("on"), k
    def handle_comment(self, data):
        raise AssertionError("a comment: " + data)
Tags().feed(open(sys.argv[1], encoding="utf-8").read())
PY
then pass; else fail "hostile names: the page has only planner's tags" "$(cat "$work/diff")"; fi
"$planner" plan --format markdown "$hostile" >"$work/out" 2>&1
if grep -qF '| evil | &lt;script&gt;x&lt;/script&gt;\|\]\]&gt;&lt;\!\-\-\\x1b\[2J\\x07\\x01 |' "$work/out" \
  && ! grep -q '<script' "$work/out"; then pass; else fail "hostile names: markdown escapes them" "$(cat "$work/out")"; fi
expect_exit 0 "plan on a known chip" -- "$planner" plan --color never tests/cli/long-context.yaml
expect_output "plan names the chip and its bandwidth" "^  chip +M2 Max \(400 GB/s memory bandwidth\)$"
expect_output "plan gives tokens/s" "^  decode +~[0-9]+ tokens/s with an empty context, ~[0-9]+ at 32768 tokens$"
expect_exit 0 "plan json on a known chip" -- "$planner" plan --format json tests/cli/long-context.yaml
expect_output "plan json tokens/s" '"empty_context": [0-9.]+,'
expect_output "plan json bandwidth" '"bandwidth_gbs": 400'
# An M4 Max with 64 GB is the 40-core GPU (546 GB/s): the RAM picks the bin (data/hardware.yaml ram_gb).
expect_exit 0 "plan on a chip the RAM picks the bin of" -- "$planner" plan --color never tests/fixtures/rules/LI060-unknown-chip/clean-2.yaml
expect_output "plan names the bin" "^  chip +M4 Max \(40-core GPU\) \(546 GB/s memory bandwidth\)$"
expect_exit 0 "plan on a GPU name that fits two boards" -- "$planner" plan --color never tests/fixtures/rules/LI060-unknown-chip/bad-3.yaml
expect_output "plan says the board is assumed" "^  chip +H100 PCIe \(2000 GB/s memory bandwidth; assumed, see planner check\)$"
expect_exit 0 "plan on an unknown GPU" -- "$planner" plan --color never tests/fixtures/rules/LI060-unknown-chip/bad.yaml
expect_output "plan: no GPU limit for an unknown GPU" "GPU limit +none"
expect_exit 0 "plan on the bare RTX 3060" -- "$planner" plan --color never tests/fixtures/rules/LI014-route-exceeds-gpu-limit/bad-6.yaml
expect_output "plan: the assumed variant's VRAM is the limit" "GPU limit +12.00 GiB +\(RTX 3060 12GB VRAM \(data/hardware.yaml\), assumed for 'RTX 3060' \(LI060\)\)"
cp "$clean" "$work/resident.yaml"
sed -i 's/^  kv_cache_reserve_percent: 35$/&\n  resident_routes: [code, quick_qa, nope]/' "$work/resident.yaml"
expect_exit 0 "plan with resident_routes" -- "$planner" plan --color never "$work/resident.yaml"
expect_output "plan sums the resident routes" "^  resident_routes: code [0-9.]+ \+ quick_qa [0-9.]+ = [0-9.]+ GiB, .*: they fit together$"
expect_output "plan names what is not a route" "^  not routes: nope$"
expect_exit 1 "plan of a YAML syntax error" -- "$planner" plan --color never "$work/broken.yaml"
expect_output "plan prints the load error as check does" "broken.yaml:[0-9]+:[0-9]+: error: YAML syntax error.*\[LI001\]"
printf 'hardware:\n  total_ram_gb: lots\n' >"$work/schema.yaml"
expect_exit 1 "plan of a schema violation" -- "$planner" plan --color never "$work/schema.yaml"
expect_output "plan prints the schema error" "schema.yaml:2:17: error: .*\[LI002\]"
expect_no_output "plan prints no rule findings" "\[LI0[1-5][0-9]\]"
expect_exit 2 "plan of a missing file" -- "$planner" plan "$work/nope.yaml"
expect_output "plan missing file message" "cannot read '.*nope.yaml': No such file"
expect_exit 2 "plan of a directory" -- "$planner" plan "$src"
expect_exit 2 "plan without a file" -- "$planner" plan
expect_exit 2 "plan bad --format" -- "$planner" plan --format sarif "$seed"
expect_exit 2 "plan --format png is not a format" -- "$planner" plan --format png "$seed"
"$planner" plan --color always "$seed" >"$work/out" 2>&1
if grep -q $'\x1b\[' "$work/out"; then pass; else fail "plan --color always emits escapes"; fi
NO_COLOR=1 "$planner" plan "$seed" >"$work/out" 2>&1
if grep -q $'\x1b\[' "$work/out"; then fail "plan honours NO_COLOR"; else pass; fi

# --- planner launch: golden commands per runtime (tests/cli/launch/*.yaml)
for name in gguf-linux llama-serving llama-multi-gpu mlx-mac ollama lm-studio windows vllm; do
  (cd "$src" && "$planner" launch "tests/cli/launch/$name.yaml") >"$work/out" 2>&1
  expect_same "golden launch-$name.text" "$golden/launch-$name.text" "$work/out"
done
# PowerShell on Windows: the run script (reviewed golden), and --shell / the extension choosing.
(cd "$src" && "$planner" script tests/cli/launch/windows.yaml -o -) >"$work/out" 2>&1
expect_same "golden script-windows.ps1" "$golden/script-windows.ps1" "$work/out"
(cd "$src" && "$planner" launch --shell bash tests/cli/launch/windows.yaml) >"$work/out" 2>&1
if grep -qxF 'env OLLAMA_NUM_PARALLEL=2 OLLAMA_KV_CACHE_TYPE=q8_0 ollama serve' "$work/out"; then pass; else fail "launch --shell bash on windows" "$(cat "$work/out")"; fi
(cd "$src" && "$planner" launch --shell powershell tests/cli/launch/gguf-linux.yaml) >"$work/out" 2>&1
if head -1 "$work/out" | grep -qF '(PowerShell)'; then pass; else fail "launch --shell powershell on linux" "$(head -3 "$work/out")"; fi
"$planner" script "$src/tests/cli/launch/windows.yaml" -o "$work/run.sh" >/dev/null 2>&1
if [ "$(head -1 "$work/run.sh")" = '#!/usr/bin/env bash' ]; then pass; else fail "script -o run.sh is bash" "$(head -2 "$work/run.sh")"; fi
"$planner" script "$src/tests/cli/launch/gguf-linux.yaml" -o "$work/run.ps1" >/dev/null 2>&1
if head -1 "$work/run.ps1" | grep -q '^# Generated by .planner script. from'; then pass; else fail "script -o run.ps1 is PowerShell" "$(head -2 "$work/run.ps1")"; fi
"$planner" launch --shell zsh "$src/tests/cli/launch/windows.yaml" >"$work/out" 2>&1
if [ $? -eq 2 ] && grep -q 'zsh' "$work/out"; then pass; else fail "--shell zsh is a usage error" "$(cat "$work/out")"; fi
# The refusal counts its findings in words: "1 error", "3 errors" (34: its one error is Q3_K_M on a reasoning route, below the task's 4 bits).
"$planner" launch "$src/examples/real-world/34-linux-5090-32gb-qwen2.5-72b-q3.yaml" >"$work/out" 2>"$work/err"
expect_output "launch refusal, one error" "has 1 error; no commands are made for a config that .planner check. rejects \(--force makes them anyway\)$"
"$planner" launch "$src/examples/real-world/03-air-m3-8gb-too-big-for-8gb.yaml" >"$work/out" 2>"$work/err"
expect_output "launch refusal, three errors" "has 3 errors; no commands"
"$planner" launch --force "$src/examples/real-world/34-linux-5090-32gb-qwen2.5-72b-q3.yaml" >"$work/out" 2>"$work/err"
expect_output "launch --force warning" "warning: .*has 1 error; making commands anyway \(--force\)$"

# --- the README shows what planner prints today (blocks regenerated by tests/golden/update)
readme_block_is_current() {
  local name="$1"
  shift
  sed -n "/<!-- $name:begin -->/,/<!-- $name:end -->/p" README.md | sed '1,3d;$d' | sed '$d' >"$work/readme.txt"
  "$planner" "$@" >"$work/actual.txt" 2>&1
  if [ -s "$work/readme.txt" ] && diff -u "$work/readme.txt" "$work/actual.txt" >"$work/diff"; then pass; else
    fail "README block $name is current" "$(cat "$work/diff")"
  fi
}
readme_block_is_current seed-output check --color never "$seed"
readme_block_is_current plan-output plan --color never "$seed"
readme_block_is_current rules-output rules
readme_block_is_current fix-output fix --unsafe-fixes --diff "$seed"

# --- examples/README.md: the error and warning counts it shows are what planner reports
while IFS='|' read -r _ file _ errors warnings _; do
  file="$(echo "$file" | tr -d ' `')"
  errors="$(echo "$errors" | tr -d ' ')"
  warnings="$(echo "$warnings" | tr -d ' ')"
  "$planner" check --format json "examples/$file" >"$work/ex.json" 2>&1
  got="$(grep -A4 '"summary"' "$work/ex.json" | tr -d ' \n')"
  if [[ "$got" == *"\"errors\":$errors,\"warnings\":$warnings,"* ]]; then pass; else fail "examples/README.md row for $file: E=$errors W=$warnings" "$got"; fi
done < <(grep -E '^\| `(seed|decision-matrix|broken)/' examples/README.md)

# --- planner inspect: GGUF headers (tests/data/gguf-hostile/, written by tests/unit/gguf_test.cpp)
gguf_dir=tests/data/gguf-hostile
expect_exit 0 "inspect a tiny GGUF" -- "$planner" inspect "$gguf_dir/tiny-valid.gguf"
expect_output "inspect architecture" "architecture +llama \(tiny\)"
expect_output "inspect file type" "file type +Q8_0"
expect_output "inspect bytes per type" "Q8_0 +0\.00 GiB +13 tensors"
expect_output "inspect KV cache" "KV cache +0\.00 GiB \(2 layers hold one\)"
expect_exit 0 "inspect --format json" -- "$planner" inspect --format json --context 8192 "$gguf_dir/tiny-valid.gguf"
expect_output "inspect json weights" '"weights_bytes": 87808,'
expect_output "inspect json context" '"context": 8192,'
expect_output "inspect json KV" '"kv_cache_bytes": 2097152,'
expect_output "inspect json total" '"total_bytes": [0-9]+'
expect_exit 0 "inspect --kv-type q8_0" -- "$planner" inspect --format json --kv-type q8_0 "$gguf_dir/tiny-valid.gguf"
expect_output "inspect q8_0 KV" '"kv_cache_bytes": 557056,'
expect_exit 2 "inspect a truncated GGUF" -- "$planner" inspect "$gguf_dir/truncated-data.gguf"
expect_output "inspect truncated message" "^planner: error: .*truncated-data\.gguf: truncated model file: tensor 'token_embd\.weight' .* \(offset [0-9]+\)$"
expect_exit 2 "inspect bad magic" -- "$planner" inspect "$gguf_dir/bad-magic.gguf"
expect_output "inspect bad magic message" "not a GGUF file: magic is 'GGML', expected 'GGUF' \(offset 0\)"
expect_exit 2 "inspect a missing file" -- "$planner" inspect "$work/nope.gguf"
expect_output "inspect missing message" "nope\.gguf: No such file"
expect_exit 2 "inspect unknown --kv-type" -- "$planner" inspect --kv-type q3 "$gguf_dir/tiny-valid.gguf"
expect_exit 2 "inspect without a file" -- "$planner" inspect
for f in "$gguf_dir"/*.gguf; do
  name="$(basename "$f")"
  [ "$name" = tiny-valid.gguf ] && continue
  expect_exit 2 "inspect hostile $name" -- "$planner" inspect "$f"
  expect_output "inspect hostile $name: one located error" "^planner: error: .*: .* \(offset [0-9]+\)$"
done

finish
