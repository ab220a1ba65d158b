// The cost of a throw (issue #8 item 3): an error through 10 instrumented frames (test/bench/src/
// throw-chain.ts: `level(9..0)`, each frame with two parameters and two consts), caught by the
// program; what capturing the locals of every frame costs per throw:
//
// - ts-pdb: the instrumented build with IPDB_DEBUG=1 against the plain build, in one process
//   (interleaved samples). Its capture records every frame's bindings (references to the values).
// - the inspector approach of Sentry's LocalVariables integration (test/bench/inspector-worker.cjs):
//   a worker thread connected with `inspector.Session.connectToMainThread()` pauses on every
//   exception and reads the local scope of every frame (`Runtime.getProperties`), then resumes.
//   In one process, the plain build's samples alternate between pause-on-exceptions `all` and
//   `none` (the debugger stays enabled: the baseline pays for an enabled debugger too, so the
//   inspector's figure is, if anything, too low).
//
// Per-throw cost = time per throw with the capture - time per throw without it, in the same
// process. Judged: inspector cost / ts-pdb cost >= 50. Several processes of each kind, alternating;
// medians over processes of the per-process medians.
//
//   node test/bench/throw-cost.mjs [--quick]      (also a section of `npm run bench`)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bootstrapDraws, FAIL, formatInterval, intervalOf, median, verdict } from './stats.mjs';

export const INSPECTOR_TARGET = 50;
const SELF = fileURLToPath(import.meta.url);
const WORKER = join(fileURLToPath(new URL('.', import.meta.url)), 'inspector-worker.cjs');

const fmt = (x, d = 2) => x.toFixed(d);

// ------------------------------------------------------------------ child

/** us per throw of `run(n)` (n throws), over one sample. */
function sample(run, n) {
  const t0 = process.hrtime.bigint();
  const caught = run(n);
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / n;
  if (caught !== n) throw new Error(`run(${n}) caught ${caught}`);
  return us;
}

/** Throws per sample so that one sample of `run` lasts about `ms`. */
function calibrate(run, ms) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    run(n);
    const took = performance.now() - t0;
    if (took >= ms / 4 || n > 1e6) return Math.max(1, Math.round((n * ms) / Math.max(took, 1e-3)));
    n *= 4;
  }
}

async function child(kind, dir, rounds, sampleMs) {
  const require = createRequire(import.meta.url);
  const plain = require(join(dir, 'plain', 'throw-chain.js')).run;
  const out = { kind, rounds, us: { base: [], capture: [] } };
  if (kind === 'ts-pdb') {
    const instr = require(join(dir, 'instr', 'throw-chain.js')).run;
    const fns = { base: plain, capture: instr };
    for (let w = 0; w < 200; w++) {
      plain(10);
      instr(10);
    }
    const n = calibrate(plain, sampleMs);
    out.throwsPerSample = n;
    for (let r = 0; r < rounds; r++) for (const v of r % 2 ? ['capture', 'base'] : ['base', 'capture']) out.us[v].push(sample(fns[v], n));
  } else {
    const worker = new Worker(WORKER);
    const reply = () =>
      new Promise((resolve, reject) => worker.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m))));
    worker.on('error', (e) => {
      throw e;
    });
    await reply(); // ready: debugger enabled, pausing on nothing
    const setState = async (state) => {
      worker.postMessage({ state });
      await reply();
    };
    for (let w = 0; w < 200; w++) plain(10);
    const nBase = calibrate(plain, sampleMs);
    await setState('all');
    for (let w = 0; w < 3; w++) plain(2);
    const nCapture = calibrate(plain, sampleMs);
    out.throwsPerSample = { base: nBase, capture: nCapture };
    for (let r = 0; r < rounds; r++) {
      for (const v of r % 2 ? ['capture', 'base'] : ['base', 'capture']) {
        await setState(v === 'capture' ? 'all' : 'none');
        out.us[v].push(sample(plain, v === 'capture' ? nCapture : nBase));
      }
    }
    // What the inspector read at the last pause: the 10 level() frames, each with its locals.
    worker.postMessage({ stats: true });
    const { stats } = await reply();
    const levels = stats.last.filter((f) => f.function === 'level');
    if (levels.length !== 10 || !levels.every((f) => f.vars && ['depth', 'input', 'here', 'label'].every((k) => k in f.vars))) {
      throw new Error(`the inspector did not read the locals of the 10 frames: ${JSON.stringify(stats.last)}`);
    }
    out.paused = stats.paused;
    out.framesRead = stats.last.length;
    out.lastFrame = levels[0];
    await worker.terminate();
  }
  out.baseUs = median(out.us.base);
  out.captureUs = median(out.us.capture);
  out.costUs = median(out.us.capture.map((c, i) => c - out.us.base[i]));
  process.stdout.write(JSON.stringify(out));
}

// ------------------------------------------------------------------ parent

function runChild(kind, dir, rounds, sampleMs) {
  const env = { ...process.env };
  delete env.IPDB_DEBUG;
  if (kind === 'ts-pdb') env.IPDB_DEBUG = '1';
  const r = spawnSync(process.execPath, [SELF, '--child', kind, dir, String(rounds), String(sampleMs)], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`throw-cost child (${kind}) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Runs the section on the benchmark builds in `dir` (test/bench/build-bench.mjs).
 * @returns {{ procs, rounds, tsPdb: object[], inspector: object[], figures }}
 */
export function throwCost({ dir, quick = false }) {
  const procs = quick ? 1 : 3;
  const rounds = quick ? 7 : 15;
  const sampleMs = quick ? 10 : 20;
  const tsPdb = [];
  const inspector = [];
  for (let p = 0; p < procs; p++) {
    for (const kind of p % 2 ? ['inspector', 'ts-pdb'] : ['ts-pdb', 'inspector'])
      (kind === 'ts-pdb' ? tsPdb : inspector).push(runChild(kind, dir, rounds, sampleMs));
  }
  const m = (list, k) => median(list.map((x) => x[k]));
  const figures = {
    tsPdb: { baseUs: m(tsPdb, 'baseUs'), captureUs: m(tsPdb, 'captureUs'), costUs: m(tsPdb, 'costUs') },
    inspector: { baseUs: m(inspector, 'baseUs'), captureUs: m(inspector, 'captureUs'), costUs: m(inspector, 'costUs') },
  };
  figures.tsPdb.ratio = figures.tsPdb.captureUs / figures.tsPdb.baseUs;
  figures.inspector.ratio = figures.inspector.captureUs / figures.inspector.baseUs;
  figures.cheaper = figures.inspector.costUs / figures.tsPdb.costUs;
  // 95% interval of `cheaper`: each side's cost (per round, capture - base; median per process,
  // then over processes) drawn by the two-stage bootstrap, the draws divided pairwise.
  const costGroups = (list) => list.map((x) => x.us.capture.map((c, i) => c - x.us.base[i]));
  const costStat = (groups) => median(groups.map((g) => median(g)));
  const tsDraws = bootstrapDraws(costGroups(tsPdb), costStat, { seed: 1 });
  const inDraws = bootstrapDraws(costGroups(inspector), costStat, { seed: 2 });
  figures.cheaperCi = intervalOf(
    figures.cheaper,
    inDraws.map((x, i) => x / tsDraws[i]),
  );
  figures.verdict = verdict(figures.cheaperCi, INSPECTOR_TARGET, 'min');
  figures.cheaperTotal = figures.inspector.captureUs / figures.tsPdb.captureUs;
  return { procs, rounds, sampleMs, tsPdb, inspector, figures, framesRead: inspector[0].framesRead, lastFrame: inspector[0].lastFrame };
}

/** Prints the section's Markdown; returns the number of judged rows that missed their target. */
export function printThrowCost(res, print = console.log) {
  const f = res.figures;
  print(
    `\n## Cost of a throw: an error through 10 instrumented frames, caught by the program (target: >= ${INSPECTOR_TARGET}x cheaper than the inspector)\n`,
  );
  print(
    `${res.procs} process(es) of each kind, alternating; in each, ${res.rounds} rounds of ~${res.sampleMs} ms samples, with and without the capture interleaved;` +
      ' per-throw cost = us per throw with the capture - without, per round; medians per process, then over processes.' +
      ` The inspector (Sentry LocalVariables' approach) read ${res.framesRead} call frames per pause, e.g. ${JSON.stringify(res.lastFrame)}.\n`,
  );
  print('| capture | us per throw without | us per throw with | with / without | capture cost per throw (us) | target | result |');
  print('|---|---:|---:|---:|---:|---|---|');
  print(
    `| ts-pdb, IPDB_DEBUG=1 (instrumented vs plain build) | ${fmt(f.tsPdb.baseUs)} | ${fmt(f.tsPdb.captureUs)} | ${fmt(f.tsPdb.ratio)} | ${fmt(f.tsPdb.costUs)} | (info) | |`,
  );
  print(
    `| inspector: worker, connectToMainThread, pause on all exceptions, getProperties of every frame's local scope (plain build; pausing off vs on) | ${fmt(f.inspector.baseUs)} | ${fmt(f.inspector.captureUs)} | ${fmt(f.inspector.ratio, 1)} | ${fmt(f.inspector.costUs, 1)} | (info) | |`,
  );
  print(
    `| **inspector cost / ts-pdb cost per throw** [95% interval] | | | | **${formatInterval(f.cheaperCi, 0, 'x')}** | >= ${INSPECTOR_TARGET}x | ${f.verdict} |`,
  );
  print(`| inspector / ts-pdb, whole time per throw (info) | | | | ${fmt(f.cheaperTotal, 0)}x | (info) | |`);
  return f.verdict === FAIL ? 1 : 0;
}

if (process.argv[1] === SELF) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1], args[2], Number(args[3]), Number(args[4]));
  } else {
    const { buildBench } = await import('./build-bench.mjs');
    const res = throwCost({ dir: buildBench('throw-cost-'), quick: args.includes('--quick') });
    process.exitCode = printThrowCost(res) ? 1 : 0;
  }
}
