// A language client for the tests: `planner lsp` spawned, a vscode-languageserver-protocol
// connection on its stdio, and helpers that wait for the diagnostics a notification publishes.
import { spawn } from 'node:child_process';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node.js';

// Rejects when `promise` has not settled after `ms`: a hang fails its test instead of the suite
// waiting forever (a guard, not a timing assertion).
export function guard(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer: ${what}`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function startServer(planner, cwd, positionEncodings = null, { initialize = true } = {}) {
  const child = spawn(planner, ['lsp'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();  // uri -> resolve of the next publishDiagnostics for it
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const resolve = waiting.get(p.uri);
    waiting.delete(p.uri);
    if (resolve) resolve(p.diagnostics);
  });
  const shown = [];  // window/showMessage texts, in order
  conn.onNotification('window/showMessage', (p) => shown.push(p.message));
  conn.listen();
  const s = {
    child, conn, shown, exited: guard(exited, 20000, 'planner lsp to exit'), stderr: () => stderr,
    open: (uri, text) => conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } }),
    change: (uri, version, contentChanges) => conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges }),
    close: (uri) => conn.sendNotification('textDocument/didClose', { textDocument: { uri } }),
    // The diagnostics published for `uri` after `send()` (registered first, so none is missed).
    diagnosticsAfter: (uri, send) => {
      const p = new Promise((resolve) => waiting.set(uri, resolve));
      send();
      return guard(p, 20000, `publishDiagnostics for ${uri}`);
    },
  };
  if (initialize) {
    const capabilities = positionEncodings ? { general: { positionEncodings } } : {};
    s.init = await guard(conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities }), 20000, 'initialize');
    conn.sendNotification('initialized', {});
  }
  return s;
}
