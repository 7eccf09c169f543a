#!/usr/bin/env bash
# ctest `lsp`: tests/lsp/lsp_test.mjs, a real LSP client against `planner lsp`. Skipped (exit 77)
# where node or the client library is missing: PLANNER_TEST_TOOLS=1 ./scripts/setup installs it
# (npm ci in tests/lsp, from the committed package-lock.json).
set -euo pipefail
planner="$1" src="$2"
if ! command -v node >/dev/null; then
  echo "skipped: node is not installed (the LSP test is a node script)"
  exit 77
fi
if [ ! -f "$src/tests/lsp/node_modules/vscode-languageserver-protocol/package.json" ]; then
  echo "skipped: tests/lsp/node_modules is missing: run PLANNER_TEST_TOOLS=1 ./scripts/setup (or npm ci in tests/lsp)"
  exit 77
fi
exec node "$src/tests/lsp/lsp_test.mjs" "$planner" "$src"
