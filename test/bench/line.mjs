// One Node line's benchmarks: every section of `npm run bench`, run under the Node that runs this
// file (each section spawns its programs with process.execPath, so every figure comes from this
// line). test/bench/run.mjs runs it once per line and puts the lines side by side.
//
//   <node> test/bench/line.mjs [--quick] [--json FILE] [--no-build-cost] [--no-socket-wait] [--no-tsc-program] [--no-info-rows]
//
// 1. Builds every source of test/bench/src twice with ts.transpileModule (plain, and with
//    createTransformer({ instrument: 'all' })) into a scratch folder (.tmp/bench-*/{plain,instr}/).
// 2. Non-throwing path: timing processes per setting (IPDB_DEBUG unset, IPDB_DEBUG=1) time the
//    plain and the instrumented build of each benchmark interleaved, round by round.
// 3. Startup: fresh processes, alternating plain/instrumented, time `require` of a module with
//    debugging off; the files the instrumented program loaded.
// 4. Breakpoints and recovery boundaries with debugging off (test/bench/recovery-cost.mjs).
// 5. Throwing path (informational): an error through 10 instrumented frames, caught; and the cost
//    of capturing its frames against the inspector approach of Sentry's LocalVariables
//    (test/bench/throw-cost.mjs).
// 6. A realistic program: the TypeScript compiler instrumented in full compiling a fixed project
//    (test/bench/tsc-program.mjs; --no-tsc-program skips it).
// 7. Build cost (test/bench/build-cost.mjs): tspc, ts.transpileModule and Babel with the transform
//    against without, on a generated project of >= 50,000 lines (--no-build-cost skips it).
// 8. Time to a usable session: throw to the console prompt in a real PTY (test/bench/
//    session-time.mjs), to the socket listening (test/bench/socket-wait.mjs, with N ranks at once;
//    --no-socket-wait skips it), to the web page served (test/web/serve-time.mjs).
// 9. Memory: heap and RSS after a console session; heap per captured frame (test/bench/frame-memory.mjs).
// 10. Snapshots (issue #11): the time to write one of 10 frames in a fresh process (cold) and again
//    (warm), its size, and `ts-pdb open FILE` to the prompt in a real PTY (test/bench/snapshot-time.mjs).
// 11. `ts-pdb dap` (issue #12): an editor's attach to the first stackTrace answer, on a snapshot and on a
//    waiting rank (test/bench/dap-attach.mjs).
//
// Every judged row carries a 95% bootstrap interval (test/bench/stats.mjs) and a verdict: PASS when
// the interval meets the target, FAIL when none of it does, "within noise" otherwise. Prints each
// section as Markdown, then this line's summary; --json writes every figure and the summary rows
// (what run.mjs reads). Exit status 1 when a row FAILs.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../helpers/build.mjs';
import { buildBench } from './build-bench.mjs';
import { BENCHMARKS, RATIO_TARGET, STARTUP_TARGET_MS } from './benchmarks.mjs';
import { buildCost, printBuildCost, BUILD_TARGETS } from './build-cost.mjs';
import { printSocketWait, socketWait } from './socket-wait.mjs';
import { printRecoveryCost, recoveryCost, RECOVERY_TARGET } from './recovery-cost.mjs';
import { printThrowCost, throwCost, INSPECTOR_TARGET } from './throw-cost.mjs';
import { printTscProgram, tscProgram, TSC_PROGRAM_TARGET } from './tsc-program.mjs';
import { consoleSession } from './session-time.mjs';
import { frameMemory } from './frame-memory.mjs';
import { OPEN_TARGET_MS, printSnapshotTime, SNAPSHOT_WRITE_TARGET_MS, snapshotTime } from './snapshot-time.mjs';
import { DAP_ATTACH_TARGET_MS, dapAttach, printDapAttach } from './dap-attach.mjs';
import { serveTime } from '../web/serve-time.mjs';
import { workerStart } from './micro/worker-start.mjs';
import {
  differenceOfMediansInterval,
  FAIL,
  formatInterval,
  median,
  medianInterval,
  NOISE,
  PASS,
  ratioOfMediansInterval,
  verdict,
} from './stats.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const JSON_OUT = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const ROUNDS = QUICK ? 7 : 21;
const SAMPLE_MS = QUICK ? 5 : 10;
/** Timing processes per setting: the JIT's decisions differ from one process to the next. */
const PROCS = QUICK ? 1 : 5;
/**
 * More timing processes, in pairs, while a non-throwing row's interval straddles its target (issue
 * #14 §7: "rounds until the interval is narrow enough, within a time budget"), up to this many in all.
 */
const MAX_PROCS = QUICK ? 1 : 7;
const STARTUP_PROCS = QUICK ? 10 : 40;
const BUILD_COST = !args.includes('--no-build-cost');
const TSC_PROGRAM = !args.includes('--no-tsc-program');
/**
 * --no-info-rows (run.mjs passes it to every line after the first): leave out the informational
 * variants that cost minutes (plain tsc against tspc; the compiler printed again without ts-pdb),
 * which the headline line measures once.
 */
const INFO_ROWS = !args.includes('--no-info-rows');
/**
 * Time from a throw to a usable session, ms (issue #14 §5: medians on Node 24; the same targets
 * apply to every line).
 */
export const SESSION_TARGETS_MS = { console: 50, web: 50, socket: 30 };
/** Socket mode at scale: CPU a rank spends from its throw to listening, median, ms (issue #14 §4). */
export const RANK_CPU_TARGET_MS = 15;
/** Runs of the session-time rows: timed ones, and console sessions measured for memory. */
const SESSION_RUNS = QUICK ? 5 : 11;
const MEMORY_RUNS = QUICK ? 1 : 3;
/** Snapshots: processes writing one (cold, then warm), and opens of one with `ts-pdb open`. */
const SNAPSHOT_WRITE_RUNS = QUICK ? 5 : 15;
/** Fresh `ts-pdb dap` adapters per target (a snapshot, a waiting rank). */
const DAP_RUNS = QUICK ? 5 : 11;
const SNAPSHOT_OPEN_RUNS = QUICK ? 5 : 11;
/** Progress of the slow sections, on stderr, with the line's version. */
const T0 = Date.now();
const progress = (line) => {
  const t = Math.round((Date.now() - T0) / 1000);
  process.stderr.write(`[${process.version} ${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}] ${line.trimStart()}\n`);
};

/**
 * Every row of every section, for the summary tables: section, row, figure (with its interval
 * where it has one), target ('(info)' for informational rows) and result ('PASS', 'FAIL',
 * 'within noise' or '' for info).
 */
const summary = [];
const addRow = (section, row, figure, target, result = '') => summary.push({ section, row, figure, target, result });

/** Session code: must never be loaded by a program that opens no session. */
export const SESSION_CODE = /[\\/]dist[\\/]runtime[\\/](engine|render|front-ends)[\\/]/;
/** Compilers: never at run time. */
export const COMPILERS = /[\\/]node_modules[\\/](typescript|@babel)[\\/]/;

const fmt = (x, d = 2) => x.toFixed(d);
const ms = (x) => fmt(x, 1) + ' ms';

function machine() {
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  return {
    nproc: availableParallelism(),
    cpu: model,
    node: process.version,
    date: new Date().toISOString(),
    load: loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
  };
}

// ------------------------------------------------------------------ non-throwing path

function runChild(dir, debug, which) {
  const env = { ...process.env };
  if (debug) env.IPDB_DEBUG = '1';
  else delete env.IPDB_DEBUG;
  const r = spawnSync(process.execPath, [join(HERE, 'child.mjs'), dir, String(ROUNDS), String(SAMPLE_MS), which], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
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
 * processes, alternating; medians and the interval of the difference; what the instrumented one loaded.
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
  const ci = differenceOfMediansInterval(t.plain, t.instr);
  const cpuCi = differenceOfMediansInterval(cpu.plain, cpu.instr);
  return {
    label,
    plainMs: median(t.plain),
    instrMs: median(t.instr),
    addedMs: ci.value,
    ci,
    addedCpuMs: cpuCi.value,
    cpuCi,
    verdict: forbidden.length ? FAIL : verdict(ci, STARTUP_TARGET_MS),
    files,
    builtins,
    forbidden,
    procs: STARTUP_PROCS,
  };
}

// ------------------------------------------------------------------ report

const m = machine();
const dir = buildBench();
console.log(`# ts-pdb benchmarks, Node ${process.version}${QUICK ? ' (--quick)' : ''}\n`);
console.log(
  `command: ${relative(ROOT, process.execPath).startsWith('..') ? 'node' : relative(ROOT, process.execPath)} test/bench/line.mjs${args.length ? ' ' + args.join(' ') : ''}`,
);
console.log(`machine: ${m.nproc} CPUs, ${m.cpu}; Node ${m.node}; ${m.date}; load average at start ${m.load}`);
console.log(`builds: ${relative(ROOT, dir)}/{plain,instr} (instrumented: createTransformer({ instrument: 'all' }))`);
console.log(
  `method: ${PROCS} timing process(es) per setting (up to ${MAX_PROCS} while a row's interval straddles its target), IPDB_DEBUG unset / =1 alternating (the throwing path: ${Math.min(PROCS, 3)} more each); in each, warm-up then ${ROUNDS} rounds of` +
    ` ~${SAMPLE_MS} ms samples, plain and instrumented interleaved (order alternating); per-process medians; the table shows the` +
    ` median over processes of the per-process ratios, its 95% bootstrap interval (processes, then rounds within each, resampled), and the range of the per-process ratios\n`,
);

/** The non-throwing figures of one setting's processes: per row, medians, ratio, interval, range. */
function settingRows(list) {
  return list[0].rows.map((row, i) => {
    const all = list.map((res) => res.rows[i]);
    const ratios = all.map((x) => x.ratio);
    const ci = ratioOfMediansInterval(all.map((x) => x.plainTimes.map((a, k) => ({ a, b: x.instrTimes[k] }))));
    return {
      id: row.id,
      group: row.group,
      calls: row.calls,
      plainMs: median(all.map((x) => x.plainMs)),
      instrMs: median(all.map((x) => x.instrMs)),
      ratio: ci.value,
      ci,
      verdict: verdict(ci, RATIO_TARGET),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      procs: all.length,
      perProcess: all,
    };
  });
}

/**
 * `procs` timing processes per setting, alternating off/on; then pairs more while a row's
 * interval straddles the target, up to MAX_PROCS.
 */
function timeSettings(which, procs, maxProcs = procs) {
  const runs = { off: [], on: [] };
  const more = (n) => {
    for (let p = 0; p < n; p++) {
      const k = runs.off.length;
      for (const debug of k % 2 ? [true, false] : [false, true]) runs[debug ? 'on' : 'off'].push(runChild(dir, debug, which));
    }
  };
  more(procs);
  const undecided = () => Object.values(runs).some((list) => settingRows(list).some((r) => r.verdict === NOISE));
  while (runs.off.length < maxProcs && undecided()) {
    progress(`non-throwing path: a row within noise after ${runs.off.length} processes per setting; 2 more...`);
    more(Math.min(2, maxProcs - runs.off.length));
  }
  return Object.entries(runs).map(([name, list]) => [name, { rows: settingRows(list) }]);
}
progress('non-throwing path...');
const settings = timeSettings('path', PROCS, MAX_PROCS);
const throwing = timeSettings('throw', Math.min(PROCS, 3));

console.log('## Non-throwing path (ratio target <= ' + RATIO_TARGET + ')\n');
console.log(
  '| benchmark | IPDB_DEBUG | plain ms | instrumented ms | ratio [95% interval] | per-process ratios min..max | processes | target | result |',
);
console.log('|---|---|---:|---:|---:|---|---:|---|---|');
for (const [name, res] of settings) {
  for (const r of res.rows) {
    console.log(
      `| ${r.id} | ${name} | ${fmt(r.plainMs)} | ${fmt(r.instrMs)} | ${formatInterval(r.ci)} | ${fmt(r.ratioMin, 3)}..${fmt(r.ratioMax, 3)} | ${r.procs} | <= ${RATIO_TARGET} | ${r.verdict} |`,
    );
    addRow('non-throwing path', `${r.id}, debugging ${name}: instrumented / plain`, formatInterval(r.ci), `<= ${RATIO_TARGET}`, r.verdict);
  }
  const real = res.rows.filter((x) => x.group === 'realistic');
  // Informational: a row below 1 (an inlining accident in the plain build) can hide another's cost.
  const geo = Math.exp(real.reduce((s, x) => s + Math.log(x.ratio), 0) / real.length);
  console.log(`| realistic set, geometric mean (info) | ${name} | | | ${fmt(geo, 3)} | | | | |`);
}
console.log('\nRows:');
for (const b of BENCHMARKS) console.log(`- ${b.id}: ${b.what}`);

progress('startup...');
console.log('\n## Startup with debugging off (target: added < ' + STARTUP_TARGET_MS + ' ms)\n');
console.log('| program | plain ms | instrumented ms | added ms [95% interval] | added CPU ms [95% interval] | target | result |');
console.log('|---|---:|---:|---:|---:|---|---|');
// The runtime alone: an empty module against one that only requires ts-pdb/capture (what every
// instrumented program pays once); then whole programs, where the instrumented modules' larger
// code adds to it.
mkdirSync(join(dir, 'probe'), { recursive: true });
writeFileSync(join(dir, 'probe', 'empty.js'), "'use strict';\n");
writeFileSync(join(dir, 'probe', 'runtime-only.js'), "'use strict';\nrequire('ts-pdb/capture');\n");
const build2 = (m) => ({ plain: join(dir, 'plain', m + '.js'), instr: join(dir, 'instr', m + '.js') });
const ups = [
  startup("runtime alone: require('ts-pdb/capture') vs an empty module", {
    plain: join(dir, 'probe', 'empty.js'),
    instr: join(dir, 'probe', 'runtime-only.js'),
  }),
  startup('startup-min (one function)', build2('startup-min')),
  startup('app (all 9 benchmark modules)', build2('app')),
];
for (const s of ups) {
  console.log(
    `| ${s.label} | ${fmt(s.plainMs, 3)} | ${fmt(s.instrMs, 3)} | ${formatInterval(s.ci, 2)} | ${formatInterval(s.cpuCi, 2)} | < ${STARTUP_TARGET_MS} | ${s.verdict} |`,
  );
  addRow(
    'startup, debugging off',
    `${s.label}: added ms${s.forbidden.length ? ' (session code loaded!)' : ''}`,
    formatInterval(s.ci, 2, ' ms'),
    `< ${STARTUP_TARGET_MS} ms`,
    s.verdict,
  );
}
console.log(
  `\n(\`require\` timed with process.hrtime (wall; judged) and process.cpuUsage (CPU time of the process, less sensitive` +
    ` to other load) in ${STARTUP_PROCS} fresh processes per build, alternating; medians; intervals of the difference of medians, each list resampled on its own.)`,
);
const files = [...new Set(ups.flatMap((s) => s.files))];
console.log(`Files of the package loaded by the instrumented programs, besides their own modules: ${files.join(', ') || 'none'}`);
console.log(`Builtins loaded beyond the plain build's: ${[...new Set(ups.flatMap((s) => s.builtins))].join(', ') || 'none'}`);
const forbidden = [...new Set(ups.flatMap((s) => s.forbidden))];
console.log(
  `Session code (runtime/engine, render, front-ends) or compilers loaded: ${forbidden.length ? 'YES: ' + forbidden.join(', ') : 'none'}`,
);

console.log('\n## Throwing path (informational): an error through 10 instrumented frames, caught by the program\n');
console.log('| build | IPDB_DEBUG | us per throw | vs plain (same process) |');
console.log('|---|---|---:|---:|');
for (const [name, res] of throwing) {
  const t = res.rows.find((x) => x.group === 'throw');
  const us = (ms) => (ms * 1000) / t.calls;
  if (name === 'off') console.log(`| plain | (off process) | ${fmt(us(t.plainMs))} | 1.00 |`);
  else console.log(`| plain | (on process) | ${fmt(us(t.plainMs))} | 1.00 |`);
  console.log(`| instrumented | ${name} | ${fmt(us(t.instrMs))} | ${fmt(t.ratio)} |`);
  addRow(
    'cost of a throw',
    `10 instrumented frames, caught, debugging ${name}: us per throw, instrumented / plain`,
    `${fmt(t.ratio)}x (${fmt(us(t.instrMs))} vs ${fmt(us(t.plainMs))} us)`,
    '(info)',
  );
}

// Capturing the frames of a throw: ts-pdb against the inspector approach (Sentry's LocalVariables).
progress('cost of a throw against the inspector...');
const thrown = throwCost({ dir, quick: QUICK });
printThrowCost(thrown);
addRow(
  'cost of a throw',
  'inspector approach (Sentry LocalVariables): capture cost per throw',
  `${fmt(thrown.figures.inspector.costUs, 0)} us`,
  '(info)',
);
addRow('cost of a throw', 'ts-pdb, debugging on: capture cost per throw', `${fmt(thrown.figures.tsPdb.costUs)} us`, '(info)');
addRow(
  'cost of a throw',
  'inspector cost / ts-pdb cost per throw',
  formatInterval(thrown.figures.cheaperCi, 0, 'x'),
  `>= ${INSPECTOR_TARGET}x`,
  thrown.figures.verdict,
);

// Breakpoints and recovery boundaries with debugging off (issue #6's transforms).
progress('breakpoints and recovery boundaries...');
const recovery = recoveryCost({ quick: QUICK });
printRecoveryCost(recovery);
for (const r of recovery) addRow('debugging off', r.label, formatInterval(r.ci), `<= ${RECOVERY_TARGET}`, r.verdict);

// A realistic program: the TypeScript compiler instrumented in full.
let tscFigures;
if (TSC_PROGRAM) {
  tscFigures = await tscProgram({ quick: QUICK, info: INFO_ROWS, log: progress });
  printTscProgram(tscFigures);
  for (const r of tscFigures.rows) {
    if (r.judged)
      addRow(
        'realistic program',
        `TypeScript compiler instrumented in full, debugging ${r.variant}: wall time / plain (CPU time beside it)`,
        `${formatInterval(r.ci)} (CPU ${formatInterval(r.cpuCi)})`,
        `<= ${TSC_PROGRAM_TARGET}`,
        r.verdict,
      );
    else
      addRow(
        'realistic program',
        'TypeScript compiler printed again by ts.transpileModule, no ts-pdb: wall time / plain',
        formatInterval(r.ci),
        '(info)',
      );
  }
} else {
  console.log('\n(the TypeScript compiler as a realistic program skipped: --no-tsc-program)');
}

console.log(
  `\n## Build cost: with the transform against without (target: ratio <= ${BUILD_TARGETS.marked} with \`instrument: "marked"\`, <= ${BUILD_TARGETS.all} with \`"all"\`)\n`,
);
let built;
if (BUILD_COST) {
  // Progress goes to stderr: the section takes minutes (a tspc build of the project is ~15 s).
  built = buildCost({ quick: QUICK, info: INFO_ROWS, log: progress });
  printBuildCost(built);
  for (const r of built.rows)
    addRow('build cost', `${r.label}: CPU time with / without`, formatInterval(r.ci), r.target ? `<= ${r.target}` : '(info)', r.verdict);
} else {
  console.log('(skipped: --no-build-cost)');
}

// Time to a usable session: console (a real PTY), socket, web.
progress('sessions: console in a PTY...');
const consoleFigures = await consoleSession(SESSION_RUNS, MEMORY_RUNS);
progress('sessions: web page...');
const web = await serveTime(SESSION_RUNS);
// Snapshots are measured here, printed after the sessions: before the 64-rank job, whose ranks are
// still exiting (load average ~23) for a while after its last figure.
progress('snapshots...');
const snapshots = await snapshotTime({ writeRuns: SNAPSHOT_WRITE_RUNS, openRuns: SNAPSHOT_OPEN_RUNS, log: progress });
let socketFigures;
if (!args.includes('--no-socket-wait')) {
  progress('sessions: socket...');
  socketFigures = await socketWait({ quick: QUICK });
}
console.log(`\n## Time to a usable session\n`);
console.log(
  "From the program's own timestamp just before the throw (performance.timeOrigin + performance.now(), which the benchmark's process shares) to the moment the benchmark sees the session ready; programs built with the transform beforehand (no compiling measured); IPDB_DEBUG=1. Medians, with 95% bootstrap intervals over the runs.\n",
);
console.log('| mode | ready when | runs (ms) | median [95% interval] | target | result |');
console.log('|---|---|---|---:|---|---|');
const sessionRows = [
  ['console (a real PTY, node-pty)', 'the `ipdb> ` prompt on the terminal', consoleFigures.promptRuns, SESSION_TARGETS_MS.console],
  ['web (IPDB_MODE=web)', 'the page served (last byte of GET /)', web.runs.map((r) => r.served), SESSION_TARGETS_MS.web],
  ...(socketFigures
    ? [['socket (IPDB_MODE=socket, one rank)', 'the socket listening (its box on stderr)', socketFigures.soloMs, SESSION_TARGETS_MS.socket]]
    : []),
];
for (const [mode, when, runs, target] of sessionRows) {
  const ci = medianInterval(runs);
  const v = verdict(ci, target);
  console.log(
    `| ${mode} | ${when} | ${runs.map((x) => fmt(x, 0)).join(', ')} | ${formatInterval(ci, 1, ' ms')} | <= ${target} ms | ${v} |`,
  );
  addRow('time to a usable session', `${mode}: throw to ${when}, median`, formatInterval(ci, 1, ' ms'), `<= ${target} ms`, v);
}
// The floor under the console and the web page: their I/O runs on a thread of its own, and Node alone
// takes this long to start one (test/bench/micro/worker-start.mjs).
const bareWorker = workerStart(QUICK ? 7 : 21);
console.log(
  `\nThe floor under console and web: a bare worker thread, the first of a fresh process, \`new Worker\` to its first message (test/bench/micro/worker-start.mjs): ${formatInterval(medianInterval(bareWorker.wall), 1, ' ms')} wall, CPU ${formatInterval(medianInterval(bareWorker.cpu), 1, ' ms')}.`,
);
addRow(
  'time to a usable session',
  'the floor under console and web: a bare worker thread, `new Worker` to its first message, median (CPU beside it)',
  `${formatInterval(medianInterval(bareWorker.wall), 1, ' ms')} (CPU ${formatInterval(medianInterval(bareWorker.cpu), 1, ' ms')})`,
  '(info)',
);
if (socketFigures) {
  printSocketWait(socketFigures);
  addRow(
    'socket mode at scale',
    `${socketFigures.ranks} ranks throwing at once: throw to listening, median (the slowest beside it)`,
    `${ms(socketFigures.medianMs)} (slowest ${ms(socketFigures.maxMs)})`,
    '(info)',
  );
  if (socketFigures.cpuListenMs) {
    const ci = medianInterval(socketFigures.cpuListenMs);
    const v = verdict(ci, RANK_CPU_TARGET_MS);
    addRow(
      'socket mode at scale',
      `${socketFigures.ranks} ranks throwing at once: CPU a rank spends from its throw to listening, median`,
      formatInterval(ci, 1, ' ms'),
      `<= ${RANK_CPU_TARGET_MS} ms`,
      v,
    );
  }
  if (socketFigures.reachable !== undefined)
    addRow(
      'socket mode at scale',
      `${socketFigures.ranks} ranks throwing at once: ranks that answered a client`,
      `${socketFigures.reachable} of ${socketFigures.ranks}`,
      'all',
      socketFigures.reachable === socketFigures.ranks ? PASS : FAIL,
    );
  addRow(
    'socket mode at scale',
    'CPU of a waiting rank, max',
    `${fmt(socketFigures.cpuMaxPct, 1)}%`,
    '< 1%',
    socketFigures.cpuMaxPct < 1 ? PASS : FAIL,
  );
} else {
  console.log('\n(socket mode skipped: --no-socket-wait)');
}

// Snapshots: writing one, its size, and `ts-pdb open` to the prompt (measured above).
printSnapshotTime(snapshots);
const judgedMedian = (section, row, runs, target, cpu) => {
  const ci = medianInterval(runs);
  const v = verdict(ci, target);
  // Figures go in the figure column, never in the row's text: run.mjs joins the lines' rows by their text.
  const figure = formatInterval(ci, 1, ' ms') + (cpu ? ` (CPU ${formatInterval(medianInterval(cpu), 1, ' ms')})` : '');
  addRow(section, row + (cpu ? ' (CPU time beside it)' : ''), figure, `<= ${target} ms`, v);
  return v;
};
judgedMedian(
  'snapshots',
  'write a snapshot of 10 frames, first in a fresh process (cold), median',
  snapshots.coldMs,
  SNAPSHOT_WRITE_TARGET_MS,
  snapshots.coldCpuMs,
);
addRow('snapshots', 'write a snapshot of 10 frames, second in the same process (warm), median', ms(snapshots.warmMedianMs), '(info)');
addRow(
  'snapshots',
  'size of that snapshot: JSON before gzip / file',
  `${snapshots.jsonBytes.toLocaleString('en')} / ${snapshots.fileBytes.toLocaleString('en')} B`,
  '(info)',
);
judgedMedian('snapshots', '`ts-pdb open FILE` in a real PTY: spawn to the prompt, median', snapshots.openMs, OPEN_TARGET_MS);

// ts-pdb dap: an editor's attach to its first stackTrace answer.
progress('dap attach...');
const dap = await dapAttach({ runs: DAP_RUNS, log: progress });
printDapAttach(dap);
judgedMedian(
  'DAP',
  '`ts-pdb dap`, a snapshot: attach to the first stackTrace answer, median',
  dap.snapshot.map((x) => x.attach),
  DAP_ATTACH_TARGET_MS,
);
judgedMedian(
  'DAP',
  '`ts-pdb dap`, a waiting rank (socket): attach to the first stackTrace answer, median',
  dap.rank.map((x) => x.attach),
  DAP_ATTACH_TARGET_MS,
);

// Memory.
progress('memory per frame...');
const frames = frameMemory();
const MB = (b) => fmt(b / 2 ** 20, 2) + ' MB';
console.log('\n## Memory (informational)\n');
console.log('| figure | value | how |');
console.log('|---|---:|---|');
console.log(
  `| heap after a console session, more than before the throw | ${MB(consoleFigures.heapDelta)} | median of ${MEMORY_RUNS} run(s): heapUsed after a full GC (node --expose-gc) just before the throw, and after the session (${consoleFigures.commands.join('; ')}; c) once the program caught the error; heap before: ${MB(consoleFigures.heapBefore)} |`,
);
console.log(
  `| RSS after a console session, more than before the throw | ${MB(consoleFigures.rssDelta)} | the same runs; RSS before: ${MB(consoleFigures.rssBefore)} |`,
);
console.log(
  `| heap per captured frame | ${fmt(frames.bytesPerFrame, 0)} B | ${frames.errors} errors thrown through ${frames.depth} instrumented frames of ${frames.locals} locals (small integers and a shared string) kept alive, IPDB_DEBUG=1: heap delta of the instrumented build less the plain build's, over errors x frames (${fmt(frames.plainPerError, 0)} vs ${fmt(frames.instrPerError, 0)} B per error) |`,
);
addRow('memory', 'heap after a console session (5 commands, then c), more than before the throw', MB(consoleFigures.heapDelta), '(info)');
addRow('memory', 'RSS after a console session, more than before the throw', MB(consoleFigures.rssDelta), '(info)');
addRow('memory', `heap per captured frame (${frames.locals} locals)`, `${fmt(frames.bytesPerFrame, 0)} B`, '(info)');

// Every FAIL of the summary counts once (the section printers print the same verdicts).
const failed = summary.filter((r) => r.result === FAIL).length;
const loadEnd = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
console.log(`\n## Summary, Node ${process.version}${QUICK ? ' (--quick)' : ''}: every row, its target and its result\n`);
console.log(`${m.nproc} CPUs, ${m.cpu}; Node ${m.node}; ${m.date}; load average ${m.load} at the start, ${loadEnd} at the end.\n`);
console.log('| section | row | figure [95% interval] | target | result |');
console.log('|---|---|---:|---|---|');
for (const r of summary) console.log(`| ${r.section} | ${r.row} | ${r.figure} | ${r.target} | ${r.result} |`);
const judged = summary.filter((r) => r.result);
const count = (v) => judged.filter((r) => r.result === v).length;
console.log(`\n${count(PASS)} of ${judged.length} judged rows PASS, ${count(NOISE)} within noise, ${count(FAIL)} FAIL.`);
console.log(`${failed ? `FAIL: ${failed} target(s) missed` : 'no row FAILs'}`);
if (JSON_OUT)
  writeFileSync(
    JSON_OUT,
    JSON.stringify(
      {
        machine: { ...m, loadEnd },
        quick: QUICK,
        rounds: ROUNDS,
        procs: PROCS,
        settings: Object.fromEntries(settings),
        throwing: Object.fromEntries(throwing),
        throwCost: thrown,
        recovery,
        tscProgram: tscFigures,
        startup: ups,
        buildCost: built,
        sessions: { console: consoleFigures, web, socket: socketFigures },
        snapshots,
        dap,
        frameMemory: frames,
        summary,
      },
      null,
      2,
    ),
  );
process.exitCode = failed ? 1 : 0;
