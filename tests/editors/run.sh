#!/usr/bin/env bash
# ctest `editors`: `planner lsp` and `planner check -` in the real editors docs/editors.md configures,
# each started headless with that document's configuration block (taken from the document, so the
# two cannot drift): Neovim's built-in LSP client, Vim + ALE, Emacs + eglot. For the seed config:
#   open   -> the findings the editor shows are `planner check --format json`'s (line, column, code,
#             severity, message);
#   edit   -> after an unsaved edit, check's findings for the edited text (the buffer, on stdin);
#   fixes  -> the buffer after the LI030 quick fix is `planner fix --select LI030`'s text, after
#             source.fixAll.planner `planner fix`'s (LSP editors; ALE lints only);
#   hover  -> (Neovim) K on route code's model: shows that route's block of `planner plan`.
# Each editor that is not installed is skipped with a line saying so; with none, exit 77 (skipped).
# Helix is not packaged for Debian 12 and has no headless mode: not driven here.
set -euo pipefail
planner="$1" src="$2"
here="$src/tests/editors"
doc="$src/docs/editors.md"

if ! command -v python3 >/dev/null; then
  echo "skipped: python3 is not installed (it compares what the editors show with check's JSON)"
  exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/home"
ln -s "$planner" "$work/bin/planner"
# The editors find planner on PATH as a user's would; nothing of this machine's user config is read.
export PATH="$work/bin:$PATH" HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" \
  XDG_DATA_HOME="$work/home/.local/share" XDG_STATE_HOME="$work/home/.local/state" \
  XDG_CACHE_HOME="$work/home/.cache"
seed="$src/examples/seed/local-inference-config.yaml"

ran=0 failed=0
fail() {
  echo "FAIL $*"
  failed=$((failed + 1))
}

# try NAME STYLE FEATURES CONFIG-FILE -- COMMAND...: runs COMMAND (the editor with the driver) in a
# project folder holding a copy of the seed, then checks what the driver recorded in $EDITORS_OUT:
# the findings on open and after the edit, and FEATURES' records ("fixes", "hover").
try() {
  local name="$1" style="$2" features="$3" config="$4"
  shift 5
  local dir="$work/$name"
  mkdir -p "$dir/out"
  cp "$seed" "$dir/local-inference-config.yaml"
  cp "$config" "$dir/$(basename "$config")"
  ran=$((ran + 1))
  if ! (cd "$dir" && EDITORS_OUT="$dir/out" timeout 120 "$@" </dev/null >"$dir/editor.log" 2>&1); then
    fail "$name: the editor's driver failed:"
    sed 's/^/  /' "$dir/editor.log"
    return
  fi
  local cfg="$dir/local-inference-config.yaml" out="$dir/out"
  (cd "$dir" && planner check --format json local-inference-config.yaml >"$out/check-open.json") || true
  python3 "$here/editors.py" compare "$style" "$out/open.json" "$out/check-open.json" ||
    fail "$name: on open"
  if cmp -s "$cfg" "$out/edit.yaml"; then
    fail "$name: the edit did not reach the buffer"
  else
    (cd "$dir" && planner check --format json --stdin-filename local-inference-config.yaml - \
      <"$out/edit.yaml" >"$out/check-edit.json") || true
    if cmp -s "$out/check-open.json" "$out/check-edit.json"; then
      fail "$name: the edit changed no finding: it proves no update"
    fi
    python3 "$here/editors.py" compare "$style" "$out/edit.json" "$out/check-edit.json" ||
      fail "$name: after the edit"
  fi
  if [[ " $features " == *" fixes "* ]]; then
    # Exit 1: errors are left that no fix removes (the seed's LI014); the text is written all the same.
    planner fix --select LI030 "$cfg" >"$out/expect-quickfix.yaml" 2>/dev/null || [ $? -eq 1 ]
    planner fix "$cfg" >"$out/expect-fixall.yaml" 2>/dev/null || [ $? -eq 1 ]
    for fix in quickfix fixall; do
      if cmp -s "$cfg" "$out/expect-$fix.yaml"; then fail "$name: planner fix changes nothing ($fix)"; fi
      if diff -u "$out/expect-$fix.yaml" "$out/$fix.yaml"; then
        echo "$out/$fix.yaml: the text planner fix writes"
      else
        fail "$name: the buffer after the $fix code action is not planner fix's text"
      fi
    done
  fi
  if [[ " $features " == *" hover "* ]]; then
    # The hover on route code's model: its block of `planner plan`, line for line.
    planner plan "$cfg" | sed -n '/^route code:/,/^$/p' | sed '/^$/d' >"$out/expect-hover.txt"
    if [ ! -s "$out/expect-hover.txt" ]; then
      fail "$name: planner plan has no block for route code"
    elif diff -u "$out/expect-hover.txt" "$out/hover.txt"; then
      echo "$out/hover.txt: route code's block of planner plan ($(wc -l <"$out/hover.txt") lines)"
    else
      fail "$name: the hover window is not route code's block of planner plan"
    fi
  fi
  echo "$name: done"
}

# Neovim: the configuration block for its version.
if command -v nvim >/dev/null; then
  nvim_version="$(nvim --version | sed -n '1s/^NVIM v\([0-9]*\.[0-9]*\).*/\1/p')"
  block=nvim-0.7
  case "$nvim_version" in
    0.[0-6]) block='' ;;
    0.7 | 0.8 | 0.9) ;;
    0.10) block=nvim-0.10 ;;
    *) block=nvim-0.11 ;;
  esac
  if [ -z "$block" ]; then
    echo "SKIP neovim: nvim $nvim_version is older than 0.7, which docs/editors.md starts at"
  else
    echo "== neovim $nvim_version with docs/editors.md's block $block"
    python3 "$here/editors.py" block "$doc" "$block" >"$work/init.lua"
    try neovim lsp "fixes hover" "$work/init.lua" -- \
      nvim --headless -i NONE -n -u init.lua -c "luafile $here/nvim_driver.lua" local-inference-config.yaml
  fi
  # The other Neovim blocks: Lua that parses, at least.
  for other in nvim-0.7 nvim-0.10 nvim-0.11 nvim-lspconfig; do
    [ "$other" = "$block" ] && continue
    python3 "$here/editors.py" block "$doc" "$other" >"$work/$other.lua"
    if nvim --headless -u NONE -i NONE -n 2>"$work/$other.err" \
      --cmd "lua local ok, e = loadfile('$work/$other.lua'); if not ok then io.stderr:write(e); vim.cmd('cquit 1') end" \
      --cmd 'qall!'; then
      echo "$other: the block parses as Lua"
    else
      fail "$other: the block is not Lua: $(cat "$work/$other.err")"
    fi
  done
else
  echo "SKIP neovim: nvim is not installed (apt-get install neovim)"
fi

# Vim + ALE, linting the unsaved buffer through `planner check -`.
if ! command -v vim >/dev/null; then
  echo "SKIP vim-ale: vim is not installed (apt-get install vim vim-ale)"
elif ! vim -N -u NONE -i NONE -es -c 'if empty(globpath(&packpath, "pack/*/*/ale")) | cquit 1 | endif' -c 'qall!'; then
  echo "SKIP vim-ale: ALE is not installed (apt-get install vim-ale)"
else
  echo "== $(vim --version | head -1) with ALE, docs/editors.md's block vim-ale"
  python3 "$here/editors.py" block "$doc" vim-ale >"$work/vimrc"
  try vim-ale ale "" "$work/vimrc" -- \
    vim -N -i NONE -n --not-a-term -u vimrc -S "$here/vim_ale_driver.vim" local-inference-config.yaml
fi

# Emacs + eglot (built in since Emacs 29; elpa-eglot before) and yaml-mode, which the block derives from.
# package-activate-all: what Emacs's startup does for installed packages, skipped by -q.
emacs_has() {
  emacs --batch -q --eval '(package-activate-all)' \
    --eval "(kill-emacs (if (locate-library \"$1\") 0 1))" >/dev/null 2>&1
}
if ! command -v emacs >/dev/null; then
  echo "SKIP emacs-eglot: emacs is not installed (apt-get install emacs-nox elpa-eglot elpa-yaml-mode)"
elif ! emacs_has eglot; then
  echo "SKIP emacs-eglot: eglot is not installed (Emacs 29 has it; apt-get install elpa-eglot)"
elif ! emacs_has yaml-mode; then
  echo "SKIP emacs-eglot: yaml-mode is not installed (apt-get install elpa-yaml-mode)"
else
  echo "== $(emacs --version | head -1) with eglot, docs/editors.md's block emacs-eglot"
  { python3 "$here/editors.py" block "$doc" emacs-mode
    python3 "$here/editors.py" block "$doc" emacs-eglot; } >"$work/init.el"
  try emacs-eglot eglot fixes "$work/init.el" -- \
    emacs --batch -q --eval '(package-activate-all)' -l init.el -l "$here/emacs_eglot_driver.el" \
    local-inference-config.yaml
  # lsp-mode's block: forms that read, at least.
  python3 "$here/editors.py" block "$doc" emacs-lsp-mode >"$work/lsp-mode.el"
  if emacs --batch -q --eval "(with-temp-buffer (insert-file-contents \"$work/lsp-mode.el\") (emacs-lisp-mode)
        (check-parens) (condition-case nil (while t (read (current-buffer))) (end-of-file nil)))" 2>"$work/lsp-mode.err"; then
    echo "emacs-lsp-mode: the block reads as Emacs Lisp"
  else
    fail "emacs-lsp-mode: the block does not read: $(cat "$work/lsp-mode.err")"
  fi
fi

if command -v hx >/dev/null || command -v helix >/dev/null; then
  echo "SKIP helix: installed, but there is no headless driver for it (Helix has no scripting API)"
else
  echo "SKIP helix: not installed (not packaged for Debian 12)"
fi
echo "SKIP vscode: not driven here (no Debian package; the generic client is a marketplace extension)"
# The blocks of the editors not run: their syntax at least (a failure here fails the test).
if python3 -c 'import tomllib' 2>/dev/null; then
  python3 "$here/editors.py" parses "$doc" helix toml || fail "helix: the languages.toml block"
fi
python3 "$here/editors.py" parses "$doc" vscode json || fail "vscode: the settings.json block"

if [ "$failed" -gt 0 ]; then
  echo "$failed failure(s), $ran editor(s) run"
  exit 1
fi
if [ "$ran" -eq 0 ]; then
  echo "skipped: none of the editors is installed"
  exit 77
fi
echo "all $ran editor(s) passed"
