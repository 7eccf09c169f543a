// --post-js of planner-web.mjs: callMain may be called any number of times in one page
// (docs/wasm.md). Each call's output is flushed before it returns (stdio's buffer, then the last
// line, which emscripten's terminal keeps until a newline), and the few bytes of stack that
// emscripten's callMain takes for argv are given back, so the thousandth call runs as the first.
/* global Module, callMain, stackSave, stackRestore, _fflush, FS */
Module['callMain'] = function (args) {
  const sp = stackSave();
  try {
    return callMain(args);
  } finally {
    _fflush(0);
    for (let fd = 1; fd < 3; fd++) {
      const stream = FS.getStream(fd);
      if (stream && stream.tty && stream.tty.ops.flush) stream.tty.ops.flush(stream.tty);
    }
    stackRestore(sp);
  }
};
