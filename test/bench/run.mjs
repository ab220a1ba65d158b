// `npm run bench`: the cost of the instrumentation, measured side by side in one run.
//
//   node test/bench/run.mjs [--quick] [--json FILE] [--no-build-cost] [--no-socket-wait]
//
// 1. Builds every source of test/bench/src twice with ts.transpileModule (plain, and with
//    createTransformer({ instrument: 'all' })) into a scratch folder (.tmp/bench-*/{plain,instr}/).
// 2. Non-throwing path: one child process per setting (IPDB_DEBUG unset, IPDB_DEBUG=1) times the
//    plain and the instrumented build of each benchmark interleaved, round by round; medians.
// 3. Startup: fresh processes, alternating plain/instrumented, time `require` of a module with
//    debugging off; medians; the files the instrumented program loaded.
// 4. Throwing path (informational): an error through 10 instrumented frames, caught.
// 5. Build cost (test/bench/build-cost.mjs): tspc, ts.transpileModule and Babel with the transform
//    against without, on a generated project of >= 50,000 lines (--no-build-cost skips it).
//
// Prints Markdown tables (BENCHMARKS.md records a full run). Exit status 1 when a target fails.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../helpers/build.mjs';
import { buildBench } from './build-bench.mjs';
import { BENCHMARKS, RATIO_TARGET, STARTUP_TARGET_MS } from './benchmarks.mjs';
import { buildCost, printBuildCost, BUILD_TARGET } from './build-cost.mjs';
import { printSocketWait, socketWait } from './socket-wait.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const JSON_OUT = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const ROUNDS = QUICK ? 7 : 21;
const SAMPLE_MS = QUICK ? 5 : 10;
/** Timing processes per setting: the JIT's decisions differ from one process to the next. */
const PROCS = QUICK ? 1 : 5;
const STARTUP_PROCS = QUICK ? 10 : 40;
const BUILD_COST = !args.includes('--no-build-cost');

/** Session code: must never be loaded by a program that opens no session. */
export const SESSION_CODE = /[\\/]dist[\\/]runtime[\\/](open-session|session-loop|core[\\/]|commands[\\/]|console[\\/])/;
/** Compilers: never at run time. */
export const COMPILERS = /[\\/]node_modules[\\/](typescript|@babel)[\\/]/;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x, d = 2) => x.toFixed(d);

function machine() {
  const cpuinfo = (() => { try { return readFileSync('/proc/cpuinfo', 'utf8'); } catch { return ''; } })();
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  return { nproc: availableParallelism(), cpu: model, node: process.version, date: new Date().toISOString(), load: loadavg().map((x) => x.toFixed(2)).join(' ') };
}

// ------------------------------------------------------------------ non-throwing path

function runChild(dir, debug, which) {
  const env = { ...process.env };
  if (debug) env.IPDB_DEBUG = '1'; else delete env.IPDB_DEBUG;
  const r = spawnSync(process.execPath, [join(HERE, 'child.mjs'), dir, String(ROUNDS), String(SAMPLE_MS), which],
    { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`timing child (IPDB_DEBUG=${debug ? 1 : 'unset'}) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

// ------------------------------------------------------------------ startup

const PROBE = join(HERE, 'startup-probe.cjs');

function probe(path) {
  const env = { ...process.env };
  delete env.IPDB_DEBUG;
  const r = spawnSync(process.execPath, [PROBE, path], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`startup probe of ${path} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Startup of one program: `paths.plain` against `paths.instr`, each in STARTUP_PROCS fresh
 * processes, alternating; medians; what the instrumented one loaded.
 */
function startup(label, paths) {
  const t = { plain: [], instr: [] };
  const cpu = { plain: [], instr: [] };
  let last = {};
  for (let i = 0; i < STARTUP_PROCS; i++) {
    for (const v of i % 2 ? ['instr', 'plain'] : ['plain', 'instr']) {
      const r = probe(paths[v]);
      t[v].push(r.ms);
      cpu[v].push(r.cpuMs);
      last[v] = r;
    }
  }
  const files = last.instr.files.filter((f) => !f.startsWith(dir) && f !== PROBE).map((f) => relative(ROOT, f));
  const builtins = last.instr.builtins.filter((b) => !last.plain.builtins.includes(b));
  const forbidden = last.instr.files.filter((f) => SESSION_CODE.test(f) || COMPILERS.test(f)).map((f) => relative(ROOT, f));
  const plainMs = median(t.plain);
  const instrMs = median(t.instr);
  const addedCpuMs = median(cpu.instr) - median(cpu.plain);
  return { label, plainMs, instrMs, addedMs: instrMs - plainMs, addedCpuMs, files, builtins, forbidden, procs: STARTUP_PROCS };
}

// ------------------------------------------------------------------ report

const m = machine();
const dir = buildBench();
console.log(`# ts-pdb benchmarks${QUICK ? ' (--quick)' : ''}\n`);
console.log(`command: node test/bench/run.mjs${args.length ? ' ' + args.join(' ') : ''}`);
console.log(`machine: ${m.nproc} CPUs, ${m.cpu}; Node ${m.node}; ${m.date}; load average at start ${m.load}`);
console.log(`builds: ${relative(ROOT, dir)}/{plain,instr} (instrumented: createTransformer({ instrument: 'all' }))`);
console.log(`method: ${PROCS} timing process(es) per setting, IPDB_DEBUG unset / =1 alternating (the throwing path: ${Math.min(PROCS, 3)} more each); in each, warm-up then ${ROUNDS} rounds of`
  + ` ~${SAMPLE_MS} ms samples, plain and instrumented interleaved (order alternating); per-process medians; the table shows the`
  + ` median over processes and the range of the per-process ratios\n`);

/**
 * PROCS timing processes per setting, alternating off/on; per row, the median over processes of
 * each process's medians and ratio, and the range of the per-process ratios.
 */
function timeSettings(which, procs) {
  const runs = { off: [], on: [] };
  for (let p = 0; p < procs; p++) for (const debug of p % 2 ? [true, false] : [false, true]) runs[debug ? 'on' : 'off'].push(runChild(dir, debug, which));
  return Object.entries(runs).map(([name, list]) => [name, {
    rows: list[0].rows.map((row, i) => {
      const all = list.map((res) => res.rows[i]);
      const ratios = all.map((x) => x.ratio);
      return {
        id: row.id, group: row.group, calls: row.calls,
        plainMs: median(all.map((x) => x.plainMs)), instrMs: median(all.map((x) => x.instrMs)),
        ratio: median(ratios), ratioMin: Math.min(...ratios), ratioMax: Math.max(...ratios),
        perProcess: all,
      };
    }),
  }]);
}
const settings = timeSettings('path', PROCS);
const throwing = timeSettings('throw', Math.min(PROCS, 3));
let failed = 0;
const what = Object.fromEntries(BENCHMARKS.map((b) => [b.id, b.what]));

console.log('## Non-throwing path (ratio target <= ' + RATIO_TARGET + ')\n');
console.log('| benchmark | IPDB_DEBUG | plain ms | instrumented ms | ratio | per-process ratios min..max | target | result |');
console.log('|---|---|---:|---:|---:|---|---|---|');
for (const [name, res] of settings) {
  for (const r of res.rows) {
    const pass = r.ratio <= RATIO_TARGET;
    if (!pass) failed++;
    console.log(`| ${r.id} | ${name} | ${fmt(r.plainMs)} | ${fmt(r.instrMs)} | ${fmt(r.ratio, 3)} | ${fmt(r.ratioMin, 3)}..${fmt(r.ratioMax, 3)} | <= ${RATIO_TARGET} | ${pass ? 'PASS' : 'FAIL'} |`);
  }
  const real = res.rows.filter((x) => x.group === 'realistic');
  // Informational: a row below 1 (an inlining accident in the plain build) can hide another's cost.
  const geo = Math.exp(real.reduce((s, x) => s + Math.log(x.ratio), 0) / real.length);
  console.log(`| realistic set, geometric mean (info) | ${name} | | | ${fmt(geo, 3)} | | | |`);
}
console.log('\nRows:');
for (const b of BENCHMARKS) console.log(`- ${b.id}: ${b.what}`);

console.log('\n## Startup with debugging off (target: added < ' + STARTUP_TARGET_MS + ' ms)\n');
console.log('| program | plain ms | instrumented ms | added ms | added CPU ms (info) | target | result |');
console.log('|---|---:|---:|---:|---:|---|---|');
// The runtime alone: an empty module against one that only requires ts-pdb/capture (what every
// instrumented program pays once); then whole programs, where the instrumented modules' larger
// code adds to it.
mkdirSync(join(dir, 'probe'), { recursive: true });
writeFileSync(join(dir, 'probe', 'empty.js'), "'use strict';\n");
writeFileSync(join(dir, 'probe', 'runtime-only.js'), "'use strict';\nrequire('ts-pdb/capture');\n");
const build2 = (m) => ({ plain: join(dir, 'plain', m + '.js'), instr: join(dir, 'instr', m + '.js') });
const ups = [
  startup("runtime alone: require('ts-pdb/capture') vs an empty module", { plain: join(dir, 'probe', 'empty.js'), instr: join(dir, 'probe', 'runtime-only.js') }),
  startup('startup-min (one function)', build2('startup-min')),
  startup('app (all 9 benchmark modules)', build2('app')),
];
for (const s of ups) {
  const pass = s.addedMs < STARTUP_TARGET_MS && s.forbidden.length === 0;
  if (!pass) failed++;
  console.log(`| ${s.label} | ${fmt(s.plainMs, 3)} | ${fmt(s.instrMs, 3)} | ${fmt(s.addedMs, 3)} | ${fmt(s.addedCpuMs, 3)} | < ${STARTUP_TARGET_MS} | ${pass ? 'PASS' : 'FAIL'} |`);
}
console.log(`\n(\`require\` timed with process.hrtime (wall; judged) and process.cpuUsage (CPU time of the process, less sensitive`
  + ` to other load) in ${STARTUP_PROCS} fresh processes per build, alternating; medians.)`);
const files = [...new Set(ups.flatMap((s) => s.files))];
console.log(`Files of the package loaded by the instrumented programs, besides their own modules: ${files.join(', ') || 'none'}`);
console.log(`Builtins loaded beyond the plain build's: ${[...new Set(ups.flatMap((s) => s.builtins))].join(', ') || 'none'}`);
const forbidden = [...new Set(ups.flatMap((s) => s.forbidden))];
console.log(`Session code (open-session, core, commands, console, session-loop) or compilers loaded: ${forbidden.length ? 'YES: ' + forbidden.join(', ') : 'none'}`);

console.log('\n## Throwing path (informational): an error through 10 instrumented frames, caught by the program\n');
console.log('| build | IPDB_DEBUG | us per throw | vs plain (same process) |');
console.log('|---|---|---:|---:|');
for (const [name, res] of throwing) {
  const t = res.rows.find((x) => x.group === 'throw');
  const us = (ms) => (ms * 1000) / t.calls;
  if (name === 'off') console.log(`| plain | (off process) | ${fmt(us(t.plainMs))} | 1.00 |`);
  else console.log(`| plain | (on process) | ${fmt(us(t.plainMs))} | 1.00 |`);
  console.log(`| instrumented | ${name} | ${fmt(us(t.instrMs))} | ${fmt(t.ratio)} |`);
}

console.log('\n## Build cost: with the transform against without (target: ratio <= ' + BUILD_TARGET + ')\n');
let built;
if (BUILD_COST) {
  // Progress goes to stderr: the section takes minutes (a tspc build of the project is ~15 s).
  built = buildCost({ quick: QUICK, log: (line) => process.stderr.write(line + '\n') });
  failed += printBuildCost(built);
} else {
  console.log('(skipped: --no-build-cost)');
}

// Socket mode at scale (issue #4): throw to listening, and the CPU of waiting ranks.
let socketFigures;
if (!args.includes('--no-socket-wait')) {
  socketFigures = await socketWait({ quick: QUICK });
  failed += printSocketWait(socketFigures);
} else {
  console.log('\n(socket mode at scale skipped: --no-socket-wait)');
}

console.log(`\nload average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (on ${m.nproc} CPUs)`);
console.log(`${failed ? `FAIL: ${failed} target(s) missed` : 'PASS: every target met'}`);
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ machine: m, quick: QUICK, rounds: ROUNDS, procs: PROCS, settings: Object.fromEntries(settings), throwing: Object.fromEntries(throwing), startup: ups, buildCost: built, socketWait: socketFigures }, null, 2));
process.exitCode = failed ? 1 : 0;
