#!/usr/bin/env python3
"""tests/editors/run.sh's helpers (the editors' drivers only record what the editor holds).

editors.py block DOC NAME
    Prints the fenced code block that follows `<!-- tests/editors: NAME -->` in DOC
    (docs/editors.md), so the test runs the configuration the documentation gives, verbatim.
editors.py parses DOC NAME toml|json
    Exit 0 when that block parses as TOML or JSON (for the editors not run here: syntax only).
editors.py compare STYLE SHOWN CHECK
    SHOWN: a driver's [{line, column, code, severity, message}]; CHECK: `planner check --format
    json` of the same text. Exit 0 when the editor shows exactly check's findings, else prints both
    and exits 1. STYLE is how the editor words a finding: `lsp` (the server's message, the help after
    a blank line), `eglot` (eglot's "planner [CODE]: " before it), `ale` (the message ALE's text holds).
    A whole-file finding (check's line 0) is shown on line 1, column 1.
"""
import json
import re
import sys


def block(doc, name):
    text = open(doc, encoding='utf-8').read()
    m = re.search(r'<!-- tests/editors: ' + re.escape(name) + r' -->\n```[a-z]*\n(.*?)\n```\n', text, re.S)
    if not m:
        sys.exit(f'{doc}: no code block marked <!-- tests/editors: {name} -->')
    print(m.group(1))


def parses(doc, name, kind):
    import io
    from contextlib import redirect_stdout
    text = io.StringIO()
    with redirect_stdout(text):
        block(doc, name)
    try:
        if kind == 'toml':
            import tomllib
            tomllib.loads(text.getvalue())
        else:
            json.loads(text.getvalue())
    except ValueError as e:  # tomllib.TOMLDecodeError and json.JSONDecodeError are ValueErrors
        sys.exit(f'{doc}: the {name} block is not {kind}: {e}')
    print(f'{doc}: the {name} block parses as {kind}')


def worded(style, d):
    lsp = d['message'] + (f"\n\nhelp: {d['help']}" if d.get('help') else '')
    if style == 'lsp':
        return lsp
    if style == 'eglot':
        return f"planner [{d['code']}]: {lsp}"
    if style == 'ale':
        return d['message']
    sys.exit(f'unknown style {style}')


def compare(style, shown_path, check_path):
    shown = json.load(open(shown_path, encoding='utf-8'))
    report = json.load(open(check_path, encoding='utf-8'))
    findings = [d for f in report['files'] for d in f['diagnostics']]
    if not findings:
        sys.exit(f'{check_path}: check found nothing: the comparison would prove nothing')
    expected = sorted((max(d['line'], 1), max(d['column'], 1) if d['line'] else 1, d['code'], d['severity'],
                       worded(style, d)) for d in findings)
    got = sorted((d['line'], d['column'], d['code'], d['severity'], d['message']) for d in shown)
    if got == expected:
        print(f'{shown_path}: {len(got)} findings, as check reports them')
        return
    print(f'{shown_path}: the editor shows other findings than check')
    for label, rows in (('check', expected), ('editor', got)):
        print(f'  {label}:')
        for row in rows:
            mark = ' ' if row in (got if label == 'check' else expected) else '*'
            print(f'   {mark} {row[0]}:{row[1]} {row[2]} {row[3]} {row[4]!r}')
    sys.exit(1)


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'block':
        block(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == 'parses':
        parses(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == 'compare':
        compare(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
