// --pre-js of planner-web.mjs, the browser module (cmake/wasm.cmake; the interface is in
// docs/wasm.md): an in-memory file system with /work, where the page writes the config it checks,
// as the current directory (relative paths in a config resolve against it, as they do natively
// against the shell's current directory).
/* global Module, FS */
Module['preRun'] = (Module['preRun'] || []).concat([function () {
  FS.mkdirTree('/work');
  FS.chdir('/work');
}]);
