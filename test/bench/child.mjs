// Timing child: loads the plain and the instrumented build of every benchmark in this one process
// (the IPDB_DEBUG of its environment applies to the instrumented build) and times them
// interleaved, round by round, alternating which build goes first. Prints JSON on stdout.
//
//   node child.mjs <build dir> <rounds> <sample ms> <path | throw>
//
// `path` times the non-throwing rows, `throw` the throwing path: in separate processes, because
// with debugging on the throw benchmark leaves captures in the heap that change the GC cost of
// whatever runs next in the process.
//
// Loads nothing but the built modules (and, through them, ts-pdb/capture).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BENCHMARKS, THROW_BENCH } from './benchmarks.mjs';

const require = createRequire(import.meta.url);
const [dir, roundsArg, sampleArg, which] = process.argv.slice(2);
const ROUNDS = Number(roundsArg);
const SAMPLE_MS = Number(sampleArg);

function load(b) {
  return {
    plain: require(join(dir, 'plain', b.module + '.js'))[b.fn],
    instr: require(join(dir, 'instr', b.module + '.js'))[b.fn],
  };
}

/**
 * Time of `reps` calls in ms. No forced GC between samples: a full GC before each sample made the
 * results of whole processes swing (allocation-site pretenuring decisions change, code deopts);
 * interleaving spreads each build's garbage over both builds' samples instead.
 */
async function sample(fn, arg, reps, isAsync) {
  let sink = 0;
  const t0 = process.hrtime.bigint();
  if (isAsync) for (let k = 0; k < reps; k++) sink += await fn(arg);
  else for (let k = 0; k < reps; k++) sink += fn(arg);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, sink };
}

async function calibrate(fn, arg, isAsync) {
  let reps = 1;
  for (;;) {
    const { ms } = await sample(fn, arg, reps, isAsync);
    if (ms >= SAMPLE_MS / 4 || reps > 1e7) return Math.max(1, Math.round((reps * SAMPLE_MS) / Math.max(ms, 1e-3)));
    reps *= 4;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};

const rows = (which === 'throw' ? [{ ...THROW_BENCH, group: 'throw' }] : BENCHMARKS).map((b) => ({ b, ...load(b) }));

// Same results from both builds, or the comparison means nothing.
for (const r of rows) {
  const a = await r.plain(r.b.arg);
  const c = await r.instr(r.b.arg);
  if (a !== c) throw new Error(`${r.b.id}: plain returned ${a}, instrumented returned ${c}`);
}

// Warm both builds up (so that calibration times optimized code), calibrate on the plain build
// (the same count for both), then warm up again at the calibrated size.
for (const r of rows) {
  for (const v of ['plain', 'instr']) {
    const end = performance.now() + SAMPLE_MS * 10;
    while (performance.now() < end) await sample(r[v], r.b.arg, 1, r.b.async);
  }
  r.reps = Math.max(await calibrate(r.plain, r.b.arg, r.b.async), await calibrate(r.plain, r.b.arg, r.b.async));
  r.times = { plain: [], instr: [] };
}
for (let w = 0; w < 5; w++) {
  for (const r of rows) {
    await sample(r.plain, r.b.arg, r.reps, r.b.async);
    await sample(r.instr, r.b.arg, r.reps, r.b.async);
  }
}

for (let round = 0; round < ROUNDS; round++) {
  for (const r of rows) {
    const order = round % 2 ? ['instr', 'plain'] : ['plain', 'instr'];
    for (const v of order) r.times[v].push((await sample(r[v], r.b.arg, r.reps, r.b.async)).ms);
  }
}

const out = rows.map((r) => {
  const perRound = r.times.plain.map((p, i) => r.times.instr[i] / p);
  return {
    id: r.b.id,
    group: r.b.group,
    reps: r.reps,
    calls: r.reps * (r.b.throwsPerCall ?? 1),
    plainMs: median(r.times.plain),
    instrMs: median(r.times.instr),
    ratio: median(r.times.instr) / median(r.times.plain),
    roundRatioQ1: quantile(perRound, 0.25),
    roundRatioQ3: quantile(perRound, 0.75),
    // Every round's two samples, for the parent's bootstrap interval (test/bench/stats.mjs).
    plainTimes: r.times.plain,
    instrTimes: r.times.instr,
  };
});
process.stdout.write(JSON.stringify({ debug: process.env.IPDB_DEBUG ?? '', rounds: ROUNDS, rows: out }));
