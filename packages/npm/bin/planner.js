#!/usr/bin/env node
// `planner` from npm: planner's WebAssembly build for node (lib/planner.js + lib/planner.wasm,
// built by scripts/build-wasm; docs/wasm.md). It reads and writes real files through node's fs,
// takes the command line and the environment from this process and exits with planner's status.
'use strict';
const { nodeArgs } = require('../lib/args.js');

const argv = nodeArgs(process.argv.slice(2), process.platform, process.cwd());
process.argv = process.argv.slice(0, 2).concat(argv);
require('../lib/planner.js');
