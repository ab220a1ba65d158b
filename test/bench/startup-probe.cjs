// Startup probe, run in a fresh process per sample: times `require` of one built module with
// process.hrtime (wall) and process.cpuUsage (CPU time of this process: not inflated while other
// processes hold the CPUs), and lists what got loaded (files and builtins), as JSON on stdout.
//
//   node startup-probe.cjs <module path>
'use strict';
const builtinsBefore = new Set(process.moduleLoadList);
const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
require(process.argv[2]);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const c = process.cpuUsage(c0);
const builtins = process.moduleLoadList.filter((m) => !builtinsBefore.has(m));
process.stdout.write(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, files: Object.keys(require.cache), builtins }));
