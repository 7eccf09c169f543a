// Frames a real client never sends, written raw to `planner lsp`'s stdin: what comes back and how
// the process ends. Each case: [name, async () => assertions].
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

import { guard } from './client.mjs';

const frame = (body) => {
  const b = Buffer.from(body);
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]);
};

// Writes `input` (then closes stdin unless `keepOpen`), collects stdout's messages and stderr.
function raw(planner, cwd, input, { keepOpen = false } = {}) {
  const child = spawn(planner, ['lsp'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = [], err = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => err.push(d));
  child.stdin.on('error', () => {});  // the server may stop reading before all is written
  child.stdin.write(input);
  if (!keepOpen) child.stdin.end();
  const done = new Promise((resolve) => child.on('exit', (code) => {
    const messages = [];
    let buf = Buffer.concat(out);
    for (;;) {
      const sep = buf.indexOf('\r\n\r\n');
      if (sep < 0) break;
      const n = Number(/Content-Length: (\d+)/.exec(buf.subarray(0, sep).toString())[1]);
      messages.push(JSON.parse(buf.subarray(sep + 4, sep + 4 + n).toString()));
      buf = buf.subarray(sep + 4 + n);
    }
    resolve({ code, messages, stderr: Buffer.concat(err).toString() });
  }));
  return { child, done: guard(done, 20000, 'planner lsp to exit') };
}

const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {} } });
const shutdownExit = Buffer.concat([frame(JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'shutdown' })),
  frame(JSON.stringify({ jsonrpc: '2.0', method: 'exit' }))]);
const errorOf = (m) => [m.id, m.error && m.error.code];

// A seeded generator (mulberry32), so the random session below is the same on every run.
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// 600 messages of the right methods with parameters of every wrong shape, positions anywhere and
// edits of awkward text (line breaks, a surrogate pair, YAML indicators), ending with a hover.
function randomSession(seed, text, uri) {
  const r = prng(seed), pick = (a) => a[Math.floor(r() * a.length)];
  const junk = [null, 0, -1, 2 ** 70, 1.5, 'x', 'file:///a', [], {}, [1, {}], true, { line: -1, character: 3 }];
  const pos = () => ({ line: Math.floor(r() * 40), character: Math.floor(r() * 120) });
  const methods = ['textDocument/hover', 'textDocument/completion', 'textDocument/codeAction', 'textDocument/didChange',
    'textDocument/didOpen', 'textDocument/didClose', 'textDocument/didSave', 'initialize', 'planner/unknown'];
  const out = [frame(initialize), frame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen',
    params: { textDocument: { uri, languageId: 'yaml', version: 1, text } } }))];
  for (let i = 0; i < 600; i++) {
    const params = r() < 0.1 ? pick(junk) : {
      textDocument: { uri: r() < 0.9 ? uri : pick(junk), version: i, text },
      position: r() < 0.9 ? pos() : pick(junk),
      range: { start: pos(), end: pos() },
      context: r() < 0.8 ? { diagnostics: [], only: pick([['quickfix'], ['source'], []]) } : pick(junk),
      contentChanges: Array.from({ length: Math.floor(r() * 3) },
        () => ({ range: { start: pos(), end: pos() }, text: pick(['', 'x', '\n', '\u{1F999}', '\u00e9\r\n', ':', '- [', '"']) })),
    };
    const msg = { jsonrpc: '2.0', method: pick(methods), params };
    if (r() < 0.5) msg.id = i + 2;
    out.push(frame(JSON.stringify(msg)));
  }
  out.push(frame(JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'textDocument/hover',
    params: { textDocument: { uri }, position: { line: 0, character: 0 } } })));
  return Buffer.concat([...out, shutdownExit]);
}

export function hostileCases(planner, cwd, seedText) {
  const run = (input, opts) => raw(planner, cwd, input, opts).done;
  return [
    ['invalid JSON -> ParseError (-32700, id null), the session goes on', async () => {
      const r = await run(Buffer.concat([frame('{"jsonrpc": "2.0", "id": 1, "method": '), frame(initialize), shutdownExit]));
      assert.deepEqual(errorOf(r.messages[0]), [null, -32700]);
      assert.equal(r.messages[1].id, 1);
      assert.ok(r.messages[1].result.capabilities);
      assert.equal(r.code, 0);
    }],
    ['not a request: an array, a number, an object id, no jsonrpc -> InvalidRequest (-32600)', async () => {
      const r = await run(Buffer.concat([frame('[1, 2]'), frame('42'),
        frame('{"jsonrpc": "2.0", "id": {"a": 1}, "method": "initialize"}'), frame('{"id": 7, "method": "initialize"}'),
        frame(initialize), shutdownExit]));
      assert.deepEqual(r.messages.slice(0, 4).map(errorOf), [[null, -32600], [null, -32600], [null, -32600], [7, -32600]]);
      assert.equal(r.messages[4].id, 1);
      assert.equal(r.code, 0);
    }],
    ['JSON nested 100,000 deep -> InvalidRequest, no stack overflow', async () => {
      const r = await run(Buffer.concat([frame('['.repeat(100000) + ']'.repeat(100000)), frame(initialize), shutdownExit]));
      assert.deepEqual(errorOf(r.messages[0]), [null, -32600]);
      assert.equal(r.messages[1].id, 1);
      assert.equal(r.code, 0);
    }],
    ['an unknown method with a terminal escape in its name: MethodNotFound, the name escaped', async () => {
      const r = await run(Buffer.concat([frame(initialize), frame(JSON.stringify({ jsonrpc: '2.0', id: 2, method: '\u001b[2Jx' })), shutdownExit]));
      assert.deepEqual(errorOf(r.messages[1]), [2, -32601]);
      assert.equal(r.messages[1].error.message, "unknown method '\\x1b[2Jx'");
    }],
    ['Content-Length of 100 GB: refused at once (over the 64 MiB limit), exit 1', async () => {
      const r = await run(Buffer.from('Content-Length: 100000000000\r\n\r\n{}'), { keepOpen: true });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Content-Length 100000000000 is over the 64 MiB limit/);
    }],
    ['Content-Length one byte over 64 MiB: refused, exit 1', async () => {
      const r = await run(Buffer.from(`Content-Length: ${64 * 1024 * 1024 + 1}\r\n\r\n`), { keepOpen: true });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /over the 64 MiB limit/);
    }],
    ['bad headers: no colon, no Content-Length, not a number, a header block without end', async () => {
      const cases = [
        ['garbage\r\n\r\n{}', /header line without a colon: 'garbage'/],
        ['Content-Type: application/json\r\n\r\n{}', /no Content-Length header/],
        ['Content-Length: -5\r\n\r\n{}', /Content-Length is not a number: '-5'/],
        ['Content-Length: 12abc\r\n\r\n{}', /Content-Length is not a number/],
        ['X-Long: ' + 'a'.repeat(10000), /header block longer than 8 KiB/],
      ];
      for (const [input, expected] of cases) {
        const r = await run(Buffer.from(input), { keepOpen: true });
        assert.equal(r.code, 1, input.slice(0, 40));
        assert.match(r.stderr, expected);
        assert.deepEqual(r.messages, []);
      }
    }],
    ['input ending inside a body or a header block: exit 1, no hang', async () => {
      let r = await run(Buffer.from('Content-Length: 100\r\n\r\n{"jsonrpc"'));
      assert.equal(r.code, 1);
      assert.match(r.stderr, /input ended inside a message body/);
      r = await run(Buffer.from('Content-Length: 10\r\n'));
      assert.equal(r.code, 1);
      assert.match(r.stderr, /input ended inside a header block/);
      r = await run(Buffer.alloc(0));
      assert.equal(r.code, 1);  // end of input without exit
    }],
    ['a didChange with a range ending before it starts: refused, said so, the session goes on', async () => {
      const uri = 'file:///nonexistent/dir/x.yaml';
      const change = { jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 },
        contentChanges: [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 1 } }, text: 'zz' }] } };
      const r = await run(Buffer.concat([frame(initialize), frame(JSON.stringify({ jsonrpc: '2.0', method: 'initialized', params: {} })),
        frame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text: 'hardware: {}\n' } } })),
        frame(JSON.stringify(change)), shutdownExit]));
      const show = r.messages.find((m) => m.method === 'window/showMessage');
      assert.match(show.params.message, /change range ends before it starts; reopen the file/);
      assert.equal(r.messages.filter((m) => m.method === 'textDocument/publishDiagnostics').length, 2);
      assert.equal(r.code, 0);
    }],
    ['600 random messages of every wrong shape: each request answered, none an internal error', async () => {
      for (const seed of [1, 2, 3]) {
        const input = randomSession(seed, seedText, 'file:///nonexistent/random.yaml');
        const r = await run(input);
        const requests = input.toString().match(/"id":/g).length;
        assert.equal(r.messages.filter((m) => 'id' in m).length, requests, `seed ${seed}`);
        assert.ok(!r.messages.some((m) => m.error && m.error.code === -32603), `seed ${seed}`);
        assert.ok(!/internal error/.test(r.stderr), r.stderr);
        assert.deepEqual(r.messages.find((m) => m.id === 'last'), { jsonrpc: '2.0', id: 'last', result: null });
        assert.equal(r.code, 0);
      }
    }],
  ];
}
