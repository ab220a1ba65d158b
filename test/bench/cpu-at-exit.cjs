// Preloaded (`node --require`) into each build process timed by test/bench/build-cost.mjs: writes
// the process's own CPU time (process.cpuUsage(), microseconds) to $TS_PDB_BENCH_CPU_OUT at exit.
'use strict';
const out = process.env.TS_PDB_BENCH_CPU_OUT;
if (out) process.on('exit', () => require('node:fs').writeFileSync(out, JSON.stringify(process.cpuUsage())));
