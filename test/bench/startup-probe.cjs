// Startup probe, run in a fresh process per sample: times `require` of one built module with
// process.hrtime, and lists what got loaded (files of this package and builtins), as JSON on stdout.
//
//   node startup-probe.cjs <module path>
'use strict';
const builtinsBefore = new Set(process.moduleLoadList);
const t0 = process.hrtime.bigint();
require(process.argv[2]);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const builtins = process.moduleLoadList.filter((m) => !builtinsBefore.has(m));
process.stdout.write(JSON.stringify({ ms, files: Object.keys(require.cache), builtins }));
