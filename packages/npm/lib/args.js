// The command line as planner's WebAssembly build needs it. Inside wasm, paths are POSIX: a
// Windows path is joined to the current directory unless it starts with '/', and '\' is not a
// separator. So on Windows an absolute path on the current drive becomes relative to the current
// directory, and '\' becomes '/' (node's fs takes both). Elsewhere the arguments pass unchanged.
'use strict';
const path = require('path');

function windowsArg(arg, cwd) {
  const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;  // --option=PATH
  if (eq > 0) return arg.slice(0, eq + 1) + windowsArg(arg.slice(eq + 1), cwd);
  let p = arg;
  if (/^[A-Za-z]:[\\/]/.test(p) && p.slice(0, 2).toLowerCase() === cwd.slice(0, 2).toLowerCase()) {
    p = path.win32.relative(cwd, p) || '.';
  }
  return p.includes('\\') ? p.replace(/\\/g, '/') : p;
}

function nodeArgs(args, platform, cwd) {
  if (platform !== 'win32') return args;
  return args.map((a) => windowsArg(a, cwd));
}

module.exports = { nodeArgs };
