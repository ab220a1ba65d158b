// Preloaded (`node -r`) into a run of an instrumented program by real-programs.test.mjs: counts
// the calls instrumented code makes to the capture's entry points (one per frame an exception
// passes through: `f`, `F` per function, `b` per block scope) and writes them as JSON to the file
// $TS_PDB_COUNT_OUT at exit, so the test can show that the throw path was taken.
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const capture = require(join(__dirname, '..', '..', 'dist', 'runtime', 'capture.js'));
const calls = { f: 0, F: 0, b: 0 };
for (const k of Object.keys(calls)) {
  const original = capture[k];
  capture[k] = function counted(...args) {
    calls[k]++;
    return original.apply(this, args);
  };
}
process.on('exit', () => writeFileSync(process.env.TS_PDB_COUNT_OUT, JSON.stringify(calls)));
