// The run script's validation and planner-run.json (launch/render_validation.h). Bash 3.2 as the
// rest of run.sh; JSON is read and written with awk (POSIX, under LC_ALL=C so strings are bytes),
// which the script already needs: no python3 or jq. Config values are JSON-encoded here, at
// generation, and single-quoted; prompts are read from the file at run time and reach a request
// body or the report only through awk's jstr.
#include "launch/render_validation.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "core/text.h"
#include "launch/quote.h"

namespace planner {

namespace {

// awk functions shared by every awk call that reads or writes JSON. jget(s, key): the string
// value of the first member named `key` anywhere in `s`, decoded, with jfound = 1 (0 when there
// is none or it is not a string). jstr(s): `s` as a JSON string. \u escapes decode to UTF-8
// (a surrogate half becomes '?'). No single quote may appear in this text (it is one bash word).
constexpr const char* kJsonAwk = R"SH(
# awk functions over JSON (render_validation.cpp): jget(s, key) the first string member named
# key, decoded (jfound = 1 when found); jstr(s) s as a JSON string. Run under LC_ALL=C.
JSON_AWK='
function jhex(x,   i, v, d) {
  v = 0; x = tolower(x)
  for (i = 1; i <= 4; i++) { d = index("0123456789abcdef", substr(x, i, 1)) - 1; if (d < 0) return 63; v = v * 16 + d }
  return v
}
function jutf8(h) {
  if (h < 128) return h ? sprintf("%c", h) : ""
  if (h < 2048) return sprintf("%c%c", 192 + int(h / 64), 128 + h % 64)
  if (h >= 55296 && h < 57344) return "?"
  return sprintf("%c%c%c", 224 + int(h / 4096), 128 + int(h / 64) % 64, 128 + h % 64)
}
function jstring(s, i,   out, c, n) {
  out = ""; n = length(s); i++
  while (i <= n) {
    c = substr(s, i, 1)
    if (c == "\"") { jend = i + 1; return out }
    if (c == "\\") {
      i++; c = substr(s, i, 1)
      if (c == "n") out = out "\n"; else if (c == "t") out = out "\t"; else if (c == "r") out = out "\r"
      else if (c == "b") out = out "\b"; else if (c == "f") out = out "\f"
      else if (c == "u") { out = out jutf8(jhex(substr(s, i + 1, 4))); i += 4 }
      else out = out c
    } else out = out c
    i++
  }
  jend = n + 1; return out
}
function jget(s, key,   i, n, v) {
  jfound = 0; n = length(s); i = 1
  while (i <= n) {
    if (substr(s, i, 1) != "\"") { i++; continue }
    v = jstring(s, i); i = jend
    while (i <= n && index(" \t\r\n", substr(s, i, 1))) i++
    if (i > n || substr(s, i, 1) != ":" || v != key) continue
    i++
    while (i <= n && index(" \t\r\n", substr(s, i, 1))) i++
    if (substr(s, i, 1) != "\"") return ""
    v = jstring(s, i); jfound = 1; return v
  }
  return ""
}
function jord(c,   k) { for (k = 1; k < 32; k++) if (sprintf("%c", k) == c) return k; return 127 }
function jstr(s,   out, i, n, c) {
  out = ""; n = length(s)
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    if (c == "\\" || c == "\"") out = out "\\" c
    else if (c == "\n") out = out "\\n"; else if (c == "\t") out = out "\\t"; else if (c == "\r") out = out "\\r"
    else if (c < " " || c == "\177") out = out sprintf("\\u%04x", jord(c))
    else out = out c
  }
  return "\"" out "\""
}
'
)SH";

constexpr const char* kFunctions = R"SH(REPORT_FILE="${PLANNER_RUN_REPORT:-$LOG_DIR/planner-run.json}"
# The watchdog's actions, one a line: ROUTE_INDEX, a tab, a JSON object (record_action).
ACTIONS_FILE="$LOG_DIR/planner-actions.tsv"
rm -f "$REPORT_FILE"
: >"$ACTIONS_FILE"
RUN_STARTED=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
REPORT_ROUTES=""     # the indexes of the routes validated, in order
VALIDATION_FAILED=0  # prompts that failed, over every route
SMOKE_PROMPTS='Reply with the single word: ready.
What is 17 + 25? Answer with the number only.
Write one short sentence about the sea.'

json_str() { JSON_S=$1 LC_ALL=C awk "$JSON_AWK"'BEGIN { printf "%s", jstr(ENVIRON["JSON_S"]) }'; }

validation_preflight() {
  [ -n "$VALIDATION_PROMPTS" ] || return 0
  if [ ! -f "$VALIDATION_PROMPTS" ] || [ ! -r "$VALIDATION_PROMPTS" ]; then
    die "validation.prompts: cannot read $VALIDATION_PROMPTS (relative to the script's directory)"
  fi
  log "validation: prompts from $VALIDATION_PROMPTS, ${VALIDATION_BUDGET_S}s per route"
}

# record_action ROUTE_INDEX ACTION DETAIL: one watchdog action, for planner-run.json.
record_action() {
  [ -n "$1" ] || return 0
  printf '%s\t{"time": "%s", "action": %s, "detail": %s}\n' "$1" "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" \
    "$(json_str "$2")" "$(json_str "$3")" >>"$ACTIONS_FILE"
}
# route_of_pid PID: the index of the route whose server it is ("" when none).
route_of_pid() {
  local i
  for i in $REPORT_ROUTES; do
    [ "${ROUTE_PID[i]:-}" = "$1" ] && printf '%s' "$i" && return 0
  done
  return 0
}

# sample_memory INDEX PID [READING]: the route's peaks: the server's RSS (KiB) and, where
# nvidia-smi is ($NVIDIA_SMI, the watchdog's too), each GPU's memory.used (MiB; the whole device,
# every process on it): from READING ("INDEX, USED[, TOTAL]" lines, a watchdog round's
# GPU_READING), else from a query of its own.
sample_memory() {
  local rv="PEAK_RSS_$1" gv="PEAK_GPU_$1" rss gpus
  rss=$(ps -o rss= -p "$2" 2>/dev/null | tr -d ' ' || true)
  case "$rss" in '' | *[!0-9]*) rss=0 ;; esac
  [ "$rss" -le "${!rv}" ] || printf -v "$rv" '%s' "$rss"
  if [ $# -ge 3 ]; then
    gpus=$3
  else
    command -v "$NVIDIA_SMI" >/dev/null 2>&1 || return 0
    gpus=$("$NVIDIA_SMI" --query-gpu=index,memory.used --format=csv,noheader,nounits 2>/dev/null || true)
  fi
  [ -n "$gpus" ] || return 0
  printf -v "$gv" '%s' "$(printf '%s\n' "$gpus" | awk -v old="${!gv}" 'BEGIN {
      n = split(old, a, " ")
      for (k = 1; k <= n; k++) { split(a[k], p, ":"); m[p[1]] = p[2]; order[++c] = p[1] }
    }
    { gsub(/ /, ""); split($0, p, ",")
      if (p[1] !~ /^[0-9]+$/ || p[2] !~ /^[0-9]+$/) next
      if (!(p[1] in m)) { order[++c] = p[1]; m[p[1]] = 0 }
      if (p[2] + 0 > m[p[1]] + 0) m[p[1]] = p[2] }
    END { for (k = 1; k <= c; k++) printf "%s%s:%s", (k > 1 ? " " : ""), order[k], m[order[k]] }')"
}
# sample_serving: sample_memory of every validated route whose server still runs, from the
# watchdog round's GPU_READING (read_gpus).
sample_serving() {
  local i
  for i in $REPORT_ROUTES; do
    if running "$i"; then sample_memory "$i" "${ROUTE_PID[i]}" "$GPU_READING"; fi
  done
  return 0
}

# validate INDEX NAME PORT PID MODE: MODE prompts sends $VALIDATION_PROMPTS within
# $VALIDATION_BUDGET_S (the requests' time; the prompts left are skipped), smoke the three fixed
# prompts. One request at a time; latency is curl's time_total, tokens/s the reply's
# usage.completion_tokens over it. A prompt passes when the reply has content and holds its
# `expect` (a substring) and `expect_regex` (an ERE, awk's).
validate() {
  local i=$1 name=$2 port=$3 pid=$4 mode=$5 budget max_tokens line n=0 passed=0 failed=0 skipped=0
  local spent=0 tokens_all=0 secs_all=0 results="" body out rc secs reply status tokens record reason bad_re t0 mt
  ROUTE_PID[i]=$pid
  printf -v "PEAK_RSS_$i" '%s' 0
  printf -v "PEAK_GPU_$i" '%s' ""
  if [ "$mode" = prompts ]; then
    budget=$VALIDATION_BUDGET_S max_tokens=$VALIDATION_MAX_TOKENS
    exec 3<"$VALIDATION_PROMPTS"
  else
    budget=0 max_tokens=64
    exec 3<<<"$SMOKE_PROMPTS"
  fi
  while IFS= read -r line <&3 || [ -n "$line" ]; do
    n=$((n + 1))
    line=${line%$'\r'}
    case "$line" in *[![:space:]]*) ;; *) continue ;; esac
    if [ "$budget" -gt 0 ] && ! awk -v s="$spent" -v b="$budget" 'BEGIN { exit !(s < b) }'; then
      skipped=$((skipped + 1))
      continue
    fi
    # The request's body; a JSON line without a string "prompt" fails here, before any request.
    if ! body=$(P_LINE=$line P_MAX=$max_tokens LC_ALL=C awk "$JSON_AWK"'BEGIN {
        l = ENVIRON["P_LINE"]; p = l
        if (l ~ /^[ \t]*\{/) { p = jget(l, "prompt"); if (!jfound) exit 1 }
        printf "{\"messages\":[{\"role\":\"user\",\"content\":%s}],\"max_tokens\":%d,\"temperature\":0}", jstr(p), ENVIRON["P_MAX"] }'); then
      failed=$((failed + 1))
      results="$results${results:+, }{\"line\": $n, \"pass\": false, \"reason\": \"not a JSON object with a string \\\"prompt\\\"\"}"
      log "$name: prompt at line $n: fail: not a JSON object with a string \"prompt\""
      continue
    fi
    bad_re=0
    P_LINE=$line LC_ALL=C awk "$JSON_AWK"'BEGIN { l = ENVIRON["P_LINE"]
      if (l ~ /^[ \t]*\{/) { e = jget(l, "expect_regex"); if (jfound) x = ("" ~ e) } }' >/dev/null 2>&1 || bad_re=1
    mt=$HEALTH_TIMEOUT
    [ "$budget" -eq 0 ] || mt=$(awk -v s="$spent" -v b="$budget" 'BEGIN { m = b - s; printf "%d", (m < 1 ? 1 : m + 0.999) }')
    rc=0
    t0=$SECONDS
    out=$(printf '%s' "$body" | curl -fsS -m "$mt" -H 'Content-Type: application/json' --data-binary @- \
      -w '\n%{time_total}' "http://127.0.0.1:$port/v1/chat/completions" 2>/dev/null) || rc=$?
    # -w prints time_total after a failure too (000-style); without it, whole seconds.
    secs=${out##*$'\n'} reply=""
    case "$secs" in '' | *[!0-9.]*) secs=$((SECONDS - t0)) ;; esac
    [ "$rc" -ne 0 ] || reply=${out%$'\n'*}
    out=$(P_LINE=$line P_REPLY=$reply P_SECS=$secs P_N=$n P_RC=$rc P_BADRE=$bad_re LC_ALL=C awk "$JSON_AWK"'BEGIN {
      l = ENVIRON["P_LINE"]; r = ENVIRON["P_REPLY"]; secs = ENVIRON["P_SECS"] + 0
      json = l ~ /^[ \t]*\{/; p = json ? jget(l, "prompt") : l
      content = jget(r, "content"); pass = jfound
      reason = ENVIRON["P_RC"] != "0" ? "the request failed (curl exit " ENVIRON["P_RC"] ")" : "the reply has no message content"
      tokens = 0
      if (match(r, /"completion_tokens"[ \t\r\n]*:[ \t\r\n]*[0-9]+/)) { t = substr(r, RSTART, RLENGTH); sub(/^.*:[ \t\r\n]*/, "", t); tokens = t + 0 }
      extra = ""
      if (json) {
        e = jget(l, "expect")
        if (jfound) {
          extra = extra ", \"expect\": " jstr(e)
          if (pass && e != "" && !index(content, e)) { pass = 0; reason = "the reply does not contain " jstr(e) }
        }
        e = jget(l, "expect_regex")
        if (jfound) {
          extra = extra ", \"expect_regex\": " jstr(e)
          if (pass && ENVIRON["P_BADRE"] == "1") { pass = 0; reason = "expect_regex is not a valid regular expression" }
          else if (pass && content !~ e) { pass = 0; reason = "the reply does not match expect_regex " jstr(e) }
        }
      }
      tps = tokens > 0 && secs > 0 ? sprintf("%.2f", tokens / secs) : "null"
      printf "%s\t%d\t%.3f\t", (pass ? "pass" : "fail"), tokens, secs
      printf "{\"line\": %d, \"prompt\": %s%s, \"pass\": %s, \"latency_s\": %.3f, \"completion_tokens\": %d, \"tokens_per_s\": %s%s}",
        ENVIRON["P_N"], jstr(p), extra, (pass ? "true" : "false"), secs, tokens, tps, (pass ? "" : ", \"reason\": " jstr(reason))
      if (!pass) printf "\t%s", reason }')
    IFS=$'\t' read -r status tokens secs record reason <<<"$out"
    status=${status:-fail} tokens=${tokens:-0} secs=${secs:-0}
    results="$results${results:+, }$record"
    spent=$(awk -v a="$spent" -v b="$secs" 'BEGIN { printf "%.3f", a + b }')
    if [ "$tokens" -gt 0 ]; then
      tokens_all=$((tokens_all + tokens))
      secs_all=$(awk -v a="$secs_all" -v b="$secs" 'BEGIN { printf "%.3f", a + b }')
    fi
    if [ "$status" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    sample_memory "$i" "$pid"
    # The name stays out of awk: -v would turn a backslash sequence in it into a control character.
    log "$name: prompt at line $n: $status${reason:+ ($reason)}: $(awk -v t="$tokens" -v s="$secs" -v r="$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || true)" -v m="$(mem_used)" 'BEGIN {
      printf "%d tokens in %.2f s = %.1f tokens/s; server RSS %.0f MiB; memory in use %s", t, s,
        (s > 0 ? t / s : 0), r / 1024, (m == "" ? "unknown" : m) }')"
    reason=""
  done
  exec 3<&-
  VALIDATION_FAILED=$((VALIDATION_FAILED + failed))
  printf -v "ROUTE_TPS_$i" '%s' "$(awk -v t="$tokens_all" -v s="$secs_all" 'BEGIN { if (t > 0 && s > 0) printf "%.2f", t / s; else printf "null" }')"
  local source=null budget_json=null stopped=false
  if [ "$mode" = prompts ]; then
    source=$(json_str "$VALIDATION_PROMPTS") budget_json=$budget
    [ "$skipped" -eq 0 ] || stopped=true
  fi
  printf -v "ROUTE_VALIDATION_$i" '{"prompts_file": %s, "budget_s": %s, "spent_s": %s, "stopped_by_budget": %s, "passed": %d, "failed": %d, "skipped": %d, "results": [%s]}' \
    "$source" "$budget_json" "$spent" "$stopped" "$passed" "$failed" "$skipped" "$results"
  REPORT_ROUTES="$REPORT_ROUTES $i"
  log "$name: validation: $passed passed, $failed failed, $skipped skipped (time budget)"
  write_report
}

# peak_json INDEX: the route's peak_memory entries.
peak_json() {
  local rv="PEAK_RSS_$1" gv="PEAK_GPU_$1"
  awk -v rss="${!rv}" -v gpu="${!gv}" 'BEGIN {
    if (rss > 0) { printf "{\"device\": \"host\", \"bytes\": %.0f, \"source\": \"rss\"}", rss * 1024; sep = ", " }
    n = split(gpu, a, " ")
    for (k = 1; k <= n; k++) {
      split(a[k], p, ":")
      printf "%s{\"device\": \"gpu%d\", \"bytes\": %.0f, \"source\": \"nvidia-smi\"}", sep, p[1], p[2] * 1048576; sep = ", "
    } }'
}
# actions_json INDEX: the route's lines of $ACTIONS_FILE, as a JSON array's items.
actions_json() {
  awk -F '\t' -v i="$1" '$1 == i { printf "%s%s", (n++ ? ", " : ""), substr($0, length($1) + 2) }' "$ACTIONS_FILE" 2>/dev/null || true
}

# write_report: planner-run.json (schema/planner-run.schema.json), replaced whole (a temporary
# file renamed): after each route's validation and on exit.
write_report() {
  local i v sep="" tmp="$REPORT_FILE.tmp.$$"
  [ -n "$REPORT_ROUTES" ] || return 0
  if {
    printf '{\n  "format": "planner-run/1",\n  "config": %s,\n  "started": "%s",\n  "finished": "%s",\n  "routes": [' \
      "$CONFIG_JSON" "$RUN_STARTED" "$(date -u '+%Y-%m-%dT%H:%M:%SZ')"
    for i in $REPORT_ROUTES; do
      v="ROUTE_META_$i"
      printf '%s\n    {%s,\n' "$sep" "${!v}"
      sep=,
      v="ROUTE_TPS_$i"
      printf '      "tokens_per_s": %s,\n      "peak_memory": [%s],\n      "watchdog_actions": [%s],\n' \
        "${!v}" "$(peak_json "$i")" "$(actions_json "$i")"
      v="ROUTE_VALIDATION_$i"
      printf '      "validation": %s}' "${!v}"
    done
    printf '\n  ]\n}\n'
  } >"$tmp" && mv -f "$tmp" "$REPORT_FILE"; then
    :
  else
    rm -f "$tmp"
    log "error: cannot write $REPORT_FILE"
  fi
}
trap 'cleanup; write_report' EXIT
)SH";

// A route's identity in planner-run.json, as the JSON members `plan --measured` matches it by.
std::string route_meta(const RouteLaunch& r) {
  nlohmann::ordered_json j = {{"route", r.name},
                              {"runtime", r.runtime ? std::string(r.runtime->name) : std::string()},
                              {"model", r.model},
                              {"context", r.context},
                              {"port", r.port}};
  std::string text = json_text(j, -1);
  return text.substr(1, text.size() - 2);  // the members, without the braces
}

}  // namespace

std::string validation_script_part(const std::string& file, const LaunchPlan& plan) {
  std::string s = "\n# --- Validation and planner-run.json (planner/launch/render_validation.cpp) ---\n";
  s += fmt::format("VALIDATION_PROMPTS={}\n", shell_quote(plan.validation_prompts));
  s += fmt::format("VALIDATION_BUDGET_S={}\nVALIDATION_MAX_TOKENS={}\n", plan.validation_budget_s,
                   plan.validation_max_tokens);
  s += fmt::format("CONFIG_JSON={}\n", shell_quote(json_text(nlohmann::json(file), -1)));
  s += "# Each route's identity in planner-run.json (write_report reads them as ${!v}).\n";
  for (std::size_t i = 0; i < plan.routes.size(); ++i)
    if (plan.routes[i].scripted())
      s += fmt::format("# shellcheck disable=SC2034\nROUTE_META_{}={}\n", i, shell_quote(route_meta(plan.routes[i])));
  s += kJsonAwk;
  s += kFunctions;
  return s;
}

std::string validation_call(const LaunchPlan& plan, std::size_t i) {
  const RouteLaunch& r = plan.routes[i];
  return fmt::format("  validate {} {} {} \"$SERVER_PID\" {}\n", i, shell_quote(shown_value(r.name)), r.port,
                     r.validated ? "prompts" : "smoke");
}

}  // namespace planner
