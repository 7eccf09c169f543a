// --pre-js of planner.js, the node command-line build (cmake/wasm.cmake, docs/wasm.md): what the
// native binary gets from the operating system, emscripten 3.1.6 does not take from node itself.
/* global Module, ENV, FS */

// WebAssembly compiled by V8's baseline compiler (Liftoff) only. A check is a few milliseconds of
// work: optimizing the hot functions of the 2.7 MB module with TurboFan, on the two cores a
// pre-commit run shares, cost more CPU than it saved (bench/wasm-speed: docs/wasm.md has the
// figures). Set before the module is compiled, which happens below this file.
require('v8').setFlagsFromString('--liftoff-only');

// The process's environment (HOME, HF_HOME, OLLAMA_MODELS, NO_COLOR, ...). emscripten's own
// defaults (HOME=/home/web_user, USER=web_user, ...) are dropped: a variable the shell did not
// set must be unset here too, as it is for the native binary.
Module['preRun'] = [function () {
  for (const name of ['USER', 'LOGNAME', 'PATH', 'PWD', 'HOME', 'LANG', '_']) ENV[name] = undefined;
  Object.assign(ENV, process.env);
}];

// isatty(): NODERAWFS marks stdin, stdout and stderr as terminals whatever they are, so
// `--color auto` would colour output piped to a file. Ask node instead.
Module['onRuntimeInitialized'] = function () {
  const tty = require('tty');
  for (let fd = 0; fd < 3; fd++) {
    const stream = FS.getStream(fd);
    if (stream) stream.tty = tty.isatty(fd);
  }
};
