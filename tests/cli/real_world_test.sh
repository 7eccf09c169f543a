#!/usr/bin/env bash
# examples/real-world/README.md states how many of the examples' route model names resolve and
# how many configs pass `planner check`; this test measures both with the planner under test and
# fails when either differs from the README's line, so the line stays true.
# Usage: real_world_test.sh PLANNER SOURCE_DIR
#
# A route's model name resolves when `planner check --format json` reports neither LI040
# (unknown model) nor LI042 (model file unreadable) at routing.ROUTE.model: a bare GGUF file name
# that is not on disk is LI042 today, and then planner has not identified the model either.
# A config passes when check exits 0 (warnings and infos allowed).
set -uo pipefail

planner="$1"
src="$2"
dir="examples/real-world"
readme="$dir/README.md"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$src" || exit 1

# routes_of FILE: the route names under the top-level `routing:` mapping, one a line. The
# examples write routing in block style, two spaces per level (the README says so).
routes_of() {
  awk '/^routing:[[:space:]]*$/ { inside = 1; next }
       /^[^[:space:]#]/ { inside = 0 }
       inside && /^  [A-Za-z][A-Za-z0-9_-]*:/ { sub(/^  /, ""); sub(/:.*/, ""); print }' "$1"
}

# unresolved_of JSON: the routes with an LI040 or LI042 finding at routing.ROUTE.model.
unresolved_of() {
  awk '/"code": *"/ { code = $0; sub(/.*"code": *"/, "", code); sub(/".*/, "", code) }
       /"path": *"routing\.[^"]*\.model"/ && (code == "LI040" || code == "LI042") {
         p = $0; sub(/.*"path": *"routing\./, "", p); sub(/\.model".*/, "", p); print p }' "$1" | sort -u
}

configs=0
passing=0
routes=0
resolved=0
: >"$work/unresolved"
for f in "$dir"/*.yaml; do
  configs=$((configs + 1))
  name="$(basename "$f")"
  "$planner" check --format json "$f" >"$work/out.json" 2>"$work/err"
  rc=$?
  case "$rc" in
    0) passing=$((passing + 1)) ;;
    1) ;;
    *) fail "$name: check exited $rc (a crash or a usage error, not findings)" "$(cat "$work/err")" ;;
  esac
  # Every example is valid under the schema: LI001/LI002/LI003 would be a bug in the example.
  if grep -Eq '"code": *"LI00[123]"' "$work/out.json"; then
    fail "$name: a YAML or schema finding (LI001-LI003)" "$(grep -E -A3 '"code": *"LI00[123]"' "$work/out.json")"
  else
    pass
  fi
  routes_of "$f" | sort -u >"$work/routes"
  n="$(wc -l <"$work/routes")"
  if [ "$n" -ge 1 ]; then pass; else fail "$name: no routes found under routing:"; fi
  unresolved_of "$work/out.json" >"$work/bad"
  # Every unresolved route is one of the file's routes (the two parsers agree).
  if [ -z "$(comm -13 "$work/routes" "$work/bad")" ]; then pass; else
    fail "$name: findings for routes the file does not have" "$(comm -13 "$work/routes" "$work/bad")"
  fi
  bad="$(comm -12 "$work/routes" "$work/bad" | wc -l)"
  routes=$((routes + n))
  resolved=$((resolved + n - bad))
  while read -r r; do
    [ -n "$r" ] && printf '  %s: %s\n' "$name" "$(awk -v r="$r" '$0 ~ "^  " r ":" { grab = 1; next }
      grab && /^    model:/ { sub(/^    model: */, ""); print; exit }' "$f")" >>"$work/unresolved"
  done < <(comm -12 "$work/routes" "$work/bad")
done

measured="$resolved of $routes model names resolve; $passing of $configs configs pass \`planner check\`"
printf 'measured: %s\n' "$measured"
check_that "at least 40 configs in $dir" [ "$configs" -ge 40 ]

# shellcheck disable=SC2016  # the backquotes are the README's text, not an expansion
line="$(grep -E '^[0-9]+ of [0-9]+ model names resolve; [0-9]+ of [0-9]+ configs pass `planner check`' "$readme" | head -1)"
if [ -z "$line" ]; then
  fail "$readme: no line 'N of M model names resolve; K of C configs pass \`planner check\`'"
elif [ "$line" = "$measured" ]; then
  pass
else
  fail "$readme says '$line'; measured '$measured' (update the line if the change is intended)" \
    "unresolved route models:
$(cat "$work/unresolved")"
fi

# Every example has its row in the README's table, and every row names an example.
for f in "$dir"/*.yaml; do
  if grep -Fq "| \`$(basename "$f")\` |" "$readme"; then pass; else fail "$readme: no row for $(basename "$f")"; fi
done
# shellcheck disable=SC2016  # backquotes as the table writes them
while read -r row; do
  if [ -f "$dir/$row" ]; then pass; else fail "$readme: row for $row, which does not exist"; fi
done < <(grep -oE '^\| `[^`]+\.yaml`' "$readme" | tr -d '|` ')

finish
