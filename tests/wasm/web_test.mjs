// The browser module build-wasm/planner-web.mjs, loaded in node as a page would load it
// (docs/wasm.md, "The browser module"): createPlanner({print, printErr}), FS.writeFile, callMain
// called many times in one instance. Each call's stdout, stderr and exit status must equal the
// native binary's for the same command, every time, and the wasm heap must stop growing.
// Usage: node web_test.mjs NATIVE_PLANNER PLANNER_WEB_MJS SOURCE_DIR [CALLS]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [nativeArg, webModule, src, callsArg] = process.argv.slice(2);
if (!src) {
  console.error('usage: node web_test.mjs NATIVE_PLANNER PLANNER_WEB_MJS SOURCE_DIR [CALLS]');
  process.exit(2);
}
const native = nativeArg && resolve(nativeArg);
const calls = Number(callsArg || 50);
let passed = 0;
let failed = 0;
const fail = (name, detail) => {
  failed++;
  console.error(`FAIL: ${name}`);
  if (detail) console.error(String(detail).slice(0, 2000));
};
const check = (ok, name, detail) => (ok ? passed++ : fail(name, detail));

// The native binary on the same file under the same relative name, from a temporary directory
// (the module's current directory is /work).
const work = mkdtempSync(join(tmpdir(), 'planner-web-'));
function nativeRun(args, files) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
  try {
    const stdout = execFileSync(native, args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } });
    return { stdout, stderr: '', rc: 0 };
  } catch (e) {
    if (typeof e.status !== 'number') throw e;
    return { stdout: e.stdout, stderr: e.stderr, rc: e.status };
  }
}

// print/printErr get one line at a time, without its newline (emscripten's terminal).
let out = [];
let err = [];
const { default: createPlanner } = await import(pathToFileURL(resolve(webModule)).href);
const wasmBinary = readFileSync(resolve(webModule).replace(/\.mjs$/, '.wasm'));
// wasmBinary: node has no fetch() for file paths; a page lets the module fetch planner-web.wasm.
const m = await createPlanner({ print: (s) => out.push(s), printErr: (s) => err.push(s), wasmBinary });
check(typeof m.callMain === 'function' && typeof m.FS === 'object', 'createPlanner gives callMain and FS');

function webRun(args, files) {
  for (const [name, text] of Object.entries(files)) m.FS.writeFile(`/work/${name}`, text);
  out = [];
  err = [];
  const rc = m.callMain(args);
  const joined = (lines) => (lines.length ? lines.join('\n') + '\n' : '');
  return { stdout: joined(out), stderr: joined(err), rc };
}

const read = (p) => readFileSync(join(src, p), 'utf8');
const seed = read('examples/seed/local-inference-config.yaml');
const clean = read('tests/cli/clean.yaml');
const cfg = 'local-inference-config.yaml';
const cases = [
  { name: 'check --format json (seed)', args: ['check', '--format', 'json', cfg], files: { [cfg]: seed } },
  { name: 'check text (seed)', args: ['check', '--color', 'never', cfg], files: { [cfg]: seed } },
  { name: 'check (clean)', args: ['check', '--color', 'never', cfg], files: { [cfg]: clean } },
  { name: 'plan --format json (seed)', args: ['plan', '--format', 'json', cfg], files: { [cfg]: seed } },
  { name: 'fix --diff (seed)', args: ['fix', '--diff', cfg], files: { [cfg]: seed } },
  { name: 'launch (clean)', args: ['launch', cfg], files: { [cfg]: clean } },
  { name: 'usage error', args: ['check', '--format', 'xml', cfg], files: { [cfg]: clean } },
  { name: 'YAML syntax error', args: ['check', '--color', 'never', cfg], files: { [cfg]: 'hardware:\n  total_ram_gb: [16\n' } },
];
const expected = cases.map((c) => nativeRun(c.args, c.files));
check(expected[0].rc === 1 && expected[0].stdout.includes('"LI030"'), 'native check of the seed finds LI030', expected[0].stdout);

// The absolute path of docs/wasm.md's example works as well.
{
  m.FS.writeFile('/work/local-inference-config.yaml', seed);
  out = [];
  const rc = m.callMain(['check', '--format', 'json', '/work/local-inference-config.yaml']);
  check(rc === 1 && out.join('\n').includes('"/work/local-inference-config.yaml"'), 'check of /work/local-inference-config.yaml', out.join('\n'));
}

const memory = () => m.asm.memory.buffer.byteLength;
let heapAfterFirstRound = 0;
for (let i = 0; i < calls; i++) {
  cases.forEach((c, k) => {
    const got = webRun(c.args, c.files);
    const want = expected[k];
    const same = got.rc === want.rc && got.stdout === want.stdout && got.stderr === want.stderr;
    if (i === 0 || !same) {
      check(same, `${c.name}: call ${i + 1} as native`,
        `rc ${got.rc} (native ${want.rc})\n--- web stdout\n${got.stdout}\n--- native stdout\n${want.stdout}\n--- web stderr\n${got.stderr}\n--- native stderr\n${want.stderr}`);
    }
  });
  if (i === 0) heapAfterFirstRound = m._sbrk(0);
}
passed++;  // the rounds after the first, counted once: any difference above is a failure
const heapEnd = m._sbrk(0);
check(heapEnd === heapAfterFirstRound, `heap top after ${calls} rounds equals the top after the first`,
  `sbrk(0) ${heapAfterFirstRound} after round 1, ${heapEnd} after round ${calls}; memory ${memory()} bytes`);

rmSync(work, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed (${calls} rounds of ${cases.length} calls, wasm memory ${memory()} bytes)`);
process.exit(failed ? 1 : 0);
