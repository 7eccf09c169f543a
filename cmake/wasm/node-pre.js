// --pre-js of planner.js, the node command-line build (cmake/wasm.cmake, docs/wasm.md): what the
// native binary gets from the operating system, emscripten 3.1.6 does not take from node itself.
/* global Module, ENV, FS */

// WebAssembly compiled by V8's baseline compiler (Liftoff) only. A check is a few milliseconds of
// work: optimizing the hot functions of the 3.7 MB module with TurboFan, on the two cores a
// pre-commit run shares, cost more CPU than it saved (bench/wasm-speed: docs/wasm.md has the
// figures). Functions are validated when first called, as they are compiled (lazily, V8's
// default): a check calls a fraction of the module, and validating all of it up front was most of
// `new WebAssembly.Module` (35 ms, 6.5 ms validated lazily; docs/wasm.md). Set before the module
// is compiled, which happens below this file.
require('v8').setFlagsFromString('--liftoff-only');
require('v8').setFlagsFromString('--wasm-lazy-validation');

// emscripten's FS makes /dev/random at start-up from the global `crypto` (node's webcrypto,
// loaded on first touch) or require('crypto'); with NODERAWFS nothing opens its /dev, and loading
// either module was ~10 ms of a cold check. This `crypto`, in the glue's own scope, shadows the
// global and loads node's only if a random byte is ever read.
// eslint-disable-next-line no-unused-vars, no-var
var crypto = { getRandomValues: (array) => require('crypto').randomFillSync(array) };

// The process's environment (HOME, HF_HOME, OLLAMA_MODELS, NO_COLOR, ...). emscripten's own
// defaults (HOME=/home/web_user, USER=web_user, ...) are dropped: a variable the shell did not
// set must be unset here too, as it is for the native binary.
Module['preRun'] = [function () {
  for (const name of ['USER', 'LOGNAME', 'PATH', 'PWD', 'HOME', 'LANG', '_']) ENV[name] = undefined;
  Object.assign(ENV, process.env);
}];

// isatty(): NODERAWFS marks stdin, stdout and stderr as terminals whatever they are, so
// `--color auto` would colour output piped to a file. Ask node instead: a terminal is a character
// device, so fstat answers for files and pipes (pre-commit, CI, editors) without loading node's
// tty module (~10 ms of a cold check); only a character device other than /dev/null is asked tty.isatty.
Module['onRuntimeInitialized'] = function () {
  const fs = require('fs');
  let devNull = -1;  // /dev/null, a character device too, where benchmarks send the output
  try { devNull = fs.statSync('/dev/null').rdev; } catch (e) { /* Windows */ }
  for (let fd = 0; fd < 3; fd++) {
    const stream = FS.getStream(fd);
    if (!stream) continue;
    let chr = false;
    try {
      const st = fs.fstatSync(fd);
      chr = st.isCharacterDevice() && st.rdev !== devNull;
    } catch (e) { /* closed: not a terminal */ }
    stream.tty = chr && require('tty').isatty(fd);
  }
};
