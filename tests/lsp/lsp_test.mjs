// `planner lsp` driven by a real LSP client (vscode-languageserver-protocol, the library VS Code's
// own client is built on) over stdio, each result compared with what the CLI says for the same
// file: `planner check --format json`, `planner fix`, `planner plan`, `planner models`.
// Usage: node lsp_test.mjs PLANNER_BIN SOURCE_DIR. Exit 0 all passed, 1 a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { startServer, guard } from './client.mjs';
import { hostileCases } from './hostile.mjs';

const [planner, srcdir] = process.argv.slice(2);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'planner-lsp-'));
let passed = 0, failed = 0;

async function test(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${e.stack}`);
  }
}

// A file in the temporary folder (no .planner.yaml above it) and its URI.
function put(name, text) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return { file, uri: pathToFileURL(file).href };
}
const example = (rel) => fs.readFileSync(path.join(srcdir, rel), 'utf8');
function cli(args) {
  const r = spawnSync(planner, args, { cwd: tmp, encoding: 'utf8' });
  assert.ok(r.status !== null && r.status < 3, `planner ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const checkJson = (file) => JSON.parse(cli(['check', '--format', 'json', file])).files[0].diagnostics;

// Published diagnostics against check's JSON for an ASCII file (character = byte column - 1).
// A finding about the whole file (check's line 0, such as LI054's missing validation:) is shown on
// the first line, from its start to its end (planner/lsp/ranges.cpp): 'first line' below.
function assertSameAsCheck(published, expected) {
  const severity = { error: 1, warning: 2, info: 3 };
  const firstLine = (r) => r.start.line === 0 && r.start.character === 0 && r.end.line === 0;
  assert.deepEqual(
    published.map((d, i) => ({ code: d.code, severity: d.severity, message: d.message, source: d.source,
      ...(expected[i] && expected[i].line === 0 && firstLine(d.range) ? { at: 'first line' }
        : { line: d.range.start.line + 1, column: d.range.start.character + 1, end_line: d.range.end.line + 1,
          end_column: d.range.end.character + 1 }) })),
    expected.map((d) => ({ code: d.code, severity: severity[d.severity],
      message: d.help ? `${d.message}\n\nhelp: ${d.help}` : d.message, source: 'planner',
      ...(d.line === 0 ? { at: 'first line' } : { line: d.line, column: d.column, end_line: d.end_line, end_column: d.end_column }) })));
}

// Applies LSP TextEdits (UTF-16 positions, as JS strings index) to `text`, last first.
function applyEdits(text, edits) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const at = (p) => Math.min(starts[p.line] + p.character, p.line + 1 < starts.length ? starts[p.line + 1] - 1 : text.length);
  const sorted = [...edits].sort((a, b) => at(b.range.start) - at(a.range.start));
  for (const e of sorted) text = text.slice(0, at(e.range.start)) + e.newText + text.slice(at(e.range.end));
  return text;
}
const editsOf = (action, uri) => action.edit.changes[uri];

async function main() {
  const s = await startServer(planner, tmp);

  await test('initialize: capabilities and UTF-16 when the client offers nothing else', async () => {
    assert.equal(s.init.capabilities.positionEncoding, 'utf-16');
    assert.deepEqual(s.init.capabilities.textDocumentSync, { openClose: true, change: 2, save: { includeText: false } });
    assert.equal(s.init.capabilities.hoverProvider, true);
    assert.deepEqual(s.init.capabilities.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.planner']);
    assert.ok(s.init.capabilities.completionProvider);
    assert.equal(s.init.serverInfo.name, 'planner');
  });

  const seedText = example('examples/seed/local-inference-config.yaml');
  const seed = put('seed.yaml', seedText);

  await test('didOpen: the published diagnostics are check --format json\'s', async () => {
    const published = await s.diagnosticsAfter(seed.uri, () => s.open(seed.uri, seedText));
    assert.equal(published.length, 9);  // 8 findings and LI054's note (no validation:)
    assertSameAsCheck(published, checkJson(seed.file));
  });

  await test('didChange (incremental): diagnostics updated, equal to check on the edited text', async () => {
    // inference.max_context_tokens 8192 -> 4096: LI030 (beyond Phi-3-mini's trained 4096) goes.
    const line = seedText.split('\n').findIndex((l) => l.includes('max_context_tokens: 8192'));
    const range = { start: { line, character: 22 }, end: { line, character: 26 } };
    const published = await s.diagnosticsAfter(seed.uri, () => s.change(seed.uri, 2, [{ range, text: '4096' }]));
    const edited = applyEdits(seedText, [{ range, newText: '4096' }]);
    assert.ok(edited.includes('max_context_tokens: 4096'));
    const after = put('seed-edited.yaml', edited);
    assertSameAsCheck(published, checkJson(after.file));
    assert.ok(!published.some((d) => d.code === 'LI030'));
    assert.ok(checkJson(seed.file).some((d) => d.code === 'LI030'));
  });

  await test('didChange (whole text) then didClose: diagnostics back, then cleared', async () => {
    const published = await s.diagnosticsAfter(seed.uri, () => s.change(seed.uri, 3, [{ text: seedText }]));
    assertSameAsCheck(published, checkJson(seed.file));
    const cleared = await s.diagnosticsAfter(seed.uri, () => s.close(seed.uri));
    assert.deepEqual(cleared, []);
  });

  await test('.planner.yaml beside the document: ignore and per-file-ignores as check applies them', async () => {
    const proj = path.join(tmp, 'proj');
    fs.mkdirSync(path.join(proj, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(proj, '.planner.yaml'), 'ignore: [LI016]\nper-file-ignores:\n  "sub/*.yaml": [LI030]\n');
    const file = path.join(proj, 'sub', 'seed.yaml');
    fs.writeFileSync(file, seedText);
    const uri = pathToFileURL(file).href;
    // The server runs in tmp/ (as an editor may start it anywhere); check runs in proj/.
    const published = await s.diagnosticsAfter(uri, () => s.open(uri, seedText));
    const r = spawnSync(planner, ['check', '--format', 'json', 'sub/seed.yaml'], { cwd: proj, encoding: 'utf8' });
    assertSameAsCheck(published, JSON.parse(r.stdout).files[0].diagnostics);
    assert.equal(published.length, 6);  // the seed's 9 less LI016 twice and LI030
    assert.ok(!published.some((d) => d.code === 'LI016' || d.code === 'LI030'));
    // A settings file that does not validate: said once, and the defaults apply meanwhile.
    fs.writeFileSync(path.join(proj, '.planner.yaml'), 'ignore: LI016\n');
    const defaults = await s.diagnosticsAfter(uri, () => s.change(uri, 2, [{ text: seedText }]));
    assertSameAsCheck(defaults, checkJson(seed.file));
    assert.equal(s.shown.length, 1);
    assert.match(s.shown[0], /^planner: settings ignored: .*\.planner\.yaml:1:9: ignore: expected a list/);
    s.close(uri);
  });

  await test('code action: a safe quick fix, applied, is what planner fix writes', async () => {
    // examples/broken/03 with one of its two typos: one fix, so one action and one `fix` pass.
    const text = example('examples/broken/03-unknown-key-typo.yaml').replace('min_ram:', 'min_ram_gb:');
    const doc = put('typo.yaml', text);
    const d = (await s.diagnosticsAfter(doc.uri, () => s.open(doc.uri, text))).find((x) => x.code !== 'LI054');
    assert.equal(d.code, 'LI003');
    const actions = await s.conn.sendRequest('textDocument/codeAction',
      { textDocument: { uri: doc.uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, "rename 'max_context_token' to 'max_context_tokens'");
    assert.equal(actions[0].isPreferred, true);
    assert.equal(actions[0].diagnostics[0].code, 'LI003');
    assert.equal(applyEdits(text, editsOf(actions[0], doc.uri)), cli(['fix', doc.file]));
    s.close(doc.uri);
  });

  await test('code actions: unsafe fixes marked "(unsafe)", not preferred, applied = fix --unsafe-fixes', async () => {
    let text = example('examples/broken/09-mlx-on-linux-nvidia.yaml');
    const doc = put('mlx-on-linux.yaml', text);
    let diags = await s.diagnosticsAfter(doc.uri, () => s.open(doc.uri, text));
    const whole = { start: { line: 0, character: 0 }, end: { line: 10000, character: 0 } };
    let version = 1, applied = 0;
    for (;;) {  // as a user would: take the first quick fix offered, until none is
      const actions = await s.conn.sendRequest('textDocument/codeAction',
        { textDocument: { uri: doc.uri }, range: whole, context: { diagnostics: diags, only: ['quickfix'] } });
      if (actions.length === 0) break;
      assert.match(actions[0].title, / \(unsafe\)$/);
      assert.equal(actions[0].isPreferred, false);
      text = applyEdits(text, editsOf(actions[0], doc.uri));
      diags = await s.diagnosticsAfter(doc.uri, () => s.change(doc.uri, ++version, [{ text }]));
      assert.ok(++applied < 10);
    }
    assert.equal(applied, 2);
    assert.equal(text, cli(['fix', '--unsafe-fixes', doc.file]));
    assert.equal(cli(['fix', doc.file]), example('examples/broken/09-mlx-on-linux-nvidia.yaml'));  // safe-only fixes nothing
    s.close(doc.uri);
  });

  await test('code action source.fixAll.planner: the text planner fix writes', async () => {
    const doc = put('seed-fixall.yaml', seedText);
    await s.diagnosticsAfter(doc.uri, () => s.open(doc.uri, seedText));
    const actions = await s.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: doc.uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.planner');
    const fixed = cli(['fix', doc.file]);
    assert.notEqual(fixed, seedText);
    assert.equal(applyEdits(seedText, editsOf(actions[0], doc.uri)), fixed);
    s.close(doc.uri);
  });

  await test('hover on a route\'s model: its block of planner plan, pinned', async () => {
    const doc = put('seed-hover.yaml', seedText);
    await s.diagnosticsAfter(doc.uri, () => s.open(doc.uri, seedText));
    const line = seedText.split('\n').findIndex((l) => l.includes('model: deepseek-coder-v2-7b'));
    const h = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line, character: 14 } });
    const plan = cli(['plan', doc.file]);
    const block = plan.slice(plan.indexOf('route code:'), plan.indexOf('\n\n', plan.indexOf('route code:')) + 1);
    assert.equal(h.contents.kind, 'markdown');
    assert.equal(h.contents.value, '```text\n' + block + '```');
    assert.ok(block.startsWith("route code: DeepSeek-V2-Lite (15.71B total, 2.66B active: MoE), written 'deepseek-coder-v2-7b'\n"));
    assert.ok(block.includes('  memory        8.23 weights + 2.11 KV cache + 0.00 fixed state + 0.34 overhead = 10.69 GiB\n'));
    assert.ok(block.includes('] over the GPU limit\n'));
    assert.deepEqual(h.range, { start: { line, character: 11 }, end: { line, character: 31 } });
    // On the key `model` too; elsewhere nothing.
    const onKey = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line, character: 5 } });
    assert.equal(onKey.contents.value, h.contents.value);
    const off = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: 0, character: 3 } });
    assert.equal(off, null);
    s.close(doc.uri);
  });

  await test('completion: catalog models after model:, quantization names after quantization:', async () => {
    const text = 'routing:\n  code:\n    model: qw\n    quantization: \n    min_ram_gb: 8\n';
    const doc = put('complete.yaml', text);
    await s.diagnosticsAfter(doc.uri, () => s.open(doc.uri, text));
    const at = (line, character) => s.conn.sendRequest('textDocument/completion', { textDocument: { uri: doc.uri }, position: { line, character } });
    const models = await at(2, 13);
    const catalog = JSON.parse(cli(['models', '--format', 'json'])).map((m) => m.id);
    assert.equal(models.isIncomplete, false);
    assert.deepEqual(models.items.map((i) => i.label), catalog);
    const qwen = models.items.find((i) => i.label === 'qwen3-8b');
    assert.deepEqual(qwen, { label: 'qwen3-8b', kind: 9, detail: 'Qwen/Qwen3-8B',
      textEdit: { range: { start: { line: 2, character: 11 }, end: { line: 2, character: 13 } }, newText: 'qwen3-8b' } });
    const quants = (await at(3, 18)).items;
    const labels = quants.map((i) => i.label);
    assert.deepEqual(labels.slice(0, 5), ['F32', 'F16', 'BF16', 'Q8_0', 'Q6_K']);
    for (const q of ['Q4_K_M', 'IQ4_XS', 'MXFP4_MOE', 'UD-Q4_K_XL', '4bit', '8bit', 'bf16', 'fp8', 'awq', 'gptq']) assert.ok(labels.includes(q), q);
    assert.equal(new Set(labels).size, labels.length);
    assert.deepEqual(quants[0].textEdit.range, { start: { line: 3, character: 18 }, end: { line: 3, character: 18 } });
    assert.deepEqual((await at(4, 8)).items, []);  // a key, not a value
    assert.deepEqual((await at(4, 16)).items, []);  // min_ram_gb's value: nothing to offer
    s.close(doc.uri);
  });

  await test('positions in UTF-16: a finding after "🦙é" and an edit there', async () => {
    const text = 'hardware:\n  total_ram_gb: 16\n  architecture: apple_silicon\nrouting:\n  "🦙é": {model: qwen3-8b, quantization: Q4_K_MM, format: GGUF}\n';
    const doc = put('utf16.yaml', text);
    const published = await s.diagnosticsAfter(doc.uri, () => s.open(doc.uri, text));
    const expected = checkJson(doc.file);
    const lsp = published.find((d) => d.code === 'LI025'), cli25 = expected.find((d) => d.code === 'LI025');
    // 🦙 is 4 bytes and 2 UTF-16 units, é 2 bytes and 1 unit: 3 fewer units than bytes before it.
    assert.equal(lsp.range.start.line, cli25.line - 1);
    assert.equal(lsp.range.start.character, cli25.column - 1 - 3);
    assert.equal(lsp.range.end.character, cli25.end_column - 1 - 3);
    assert.equal(text.split('\n')[4].slice(lsp.range.start.character, lsp.range.end.character), 'Q4_K_MM');
    const fixedText = applyEdits(text, [{ range: lsp.range, newText: 'Q4_K_M' }]);
    const after = await s.diagnosticsAfter(doc.uri, () => s.change(doc.uri, 2, [{ range: lsp.range, text: 'Q4_K_M' }]));
    const fixed = put('utf16-fixed.yaml', fixedText);
    assert.deepEqual(after.map((d) => d.code), checkJson(fixed.file).map((d) => d.code));
    assert.ok(!after.some((d) => d.code === 'LI025' || d.code === 'LI001'));
    s.close(doc.uri);
  });

  await test('not YAML, binary, oversized, escapes: findings, no crash', async () => {
    const cases = [
      ['unclosed.yaml', 'routing: [code\n', 'LI001'],
      ['binary.yaml', 'a: \u0000\u0001\u0002', 'LI001'],
      ['list.yaml', '- 1\n- 2\n', 'LI002'],
      ['big.yaml', 'a: ' + 'x'.repeat(2 << 20) + '\n', 'LI001'],
    ];
    for (const [name, text, code] of cases) {
      const doc = put(name, text);
      const got = await s.diagnosticsAfter(doc.uri, () => s.open(doc.uri, text));
      assert.equal(got[0].code, code, name);
      assert.deepEqual(got.map((d) => d.message), checkJson(doc.file).map((d) => d.help ? `${d.message}\n\nhelp: ${d.help}` : d.message));
      s.close(doc.uri);
    }
    // A terminal escape in a model name is shown escaped, in diagnostics as in hover.
    const text = 'routing:\n  code:\n    model: "\\e[31mred\\u202e"\n';
    const doc = put('escape.yaml', text);
    const got = await s.diagnosticsAfter(doc.uri, () => s.open(doc.uri, text));
    const msg = got.map((d) => d.message).join('\n');
    assert.ok(msg.includes('\\x1b[31mred\\u202e'), msg);
    assert.ok(!/[\u001b\u202e]/.test(msg));
    const h = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: doc.uri }, position: { line: 2, character: 13 } });
    assert.ok(h.contents.value.includes("model '\\x1b[31mred\\u202e' is unknown"), h.contents.value);
    assert.ok(!/[\u001b\u202e]/.test(h.contents.value));
    s.close(doc.uri);
  });

  await test('requests: unknown method -> MethodNotFound; unknown notification ignored; bad params -> InvalidParams', async () => {
    await assert.rejects(s.conn.sendRequest('planner/nothing', {}), (e) => e.code === -32601);
    s.conn.sendNotification('planner/nothing', {});
    await assert.rejects(s.conn.sendRequest('textDocument/hover', { textDocument: { uri: 1 } }), (e) => e.code === -32602);
    await assert.rejects(s.conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///x' }, position: { line: -1, character: 0 } }),
      (e) => e.code === -32602);
    assert.equal(await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///not/open.yaml' }, position: { line: 0, character: 0 } }), null);
  });

  await test('shutdown then exit: exit code 0; requests after shutdown refused', async () => {
    assert.equal(await s.conn.sendRequest('shutdown'), null);
    await assert.rejects(s.conn.sendRequest('textDocument/hover', { textDocument: { uri: seed.uri }, position: { line: 0, character: 0 } }),
      (e) => e.code === -32600);
    s.conn.sendNotification('exit');
    assert.equal(await s.exited, 0);
  });

  await test('positionEncoding utf-8 when offered: columns are bytes', async () => {
    const u = await startServer(planner, tmp, ['utf-8', 'utf-16']);
    assert.equal(u.init.capabilities.positionEncoding, 'utf-8');
    const text = 'hardware:\n  total_ram_gb: 16\n  architecture: apple_silicon\nrouting:\n  "🦙é": {model: qwen3-8b, quantization: Q4_K_MM, format: GGUF}\n';
    const doc = put('utf8.yaml', text);
    const published = await u.diagnosticsAfter(doc.uri, () => u.open(doc.uri, text));
    const cli25 = checkJson(doc.file).find((d) => d.code === 'LI025');
    const lsp = published.find((d) => d.code === 'LI025');
    assert.equal(lsp.range.start.character, cli25.column - 1);
    assert.equal(lsp.range.end.character, cli25.end_column - 1);
    u.conn.sendNotification('exit');  // without shutdown: exit code 1 (LSP "exit")
    assert.equal(await u.exited, 1);
  });

  await test('a request before initialize: ServerNotInitialized (-32002)', async () => {
    const early = await startServer(planner, tmp, null, { initialize: false });
    await assert.rejects(early.conn.sendRequest('textDocument/hover', { textDocument: { uri: seed.uri }, position: { line: 0, character: 0 } }),
      (e) => e.code === -32002);
    early.conn.sendNotification('exit');
    assert.equal(await early.exited, 1);
  });

  for (const [name, fn] of hostileCases(planner, tmp, seedText)) await test(`hostile frames: ${name}`, fn);

  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

guard(main(), 120000, 'the whole LSP test').catch((e) => {
  console.log(`FAIL ${e.stack}`);
  process.exit(1);
});
