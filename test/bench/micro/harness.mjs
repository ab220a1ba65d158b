// Side-by-side timing for the micro-benchmarks of this folder (issue 19): each case is compiled
// from its own source text (new Function), so no two cases share a function, its feedback or its
// optimised code; the cases run interleaved, round by round, rotating which goes first; the figure
// is the median over rounds of each case's time divided by the first case's time in the same round
// (CPU time of the process, so that time given to other processes on a shared machine counts less).
// Touches nothing outside this process; prints to stdout.
//
//   node test/bench/micro/<file>.mjs [rounds]      (any Node line; rounds default 31)
//   MICRO_CASES='plain|as emitted' node ...         only these cases (e.g. under --trace-turbo-inlining)

/** Stand-in for the capture runtime: never called on the paths measured. */
const R = {
  f() {
    throw new Error('micro: the capture was called');
  },
  b() {
    throw new Error('micro: the capture was called');
  },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};

async function sample(fn, arg, reps, isAsync) {
  let sink = 0;
  const c0 = cpuNow();
  const t0 = process.hrtime.bigint();
  if (isAsync) for (let k = 0; k < reps; k++) sink += await fn(arg);
  else for (let k = 0; k < reps; k++) sink += fn(arg);
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  return { cpu: cpuNow() - c0, wall, sink };
}

/**
 * Runs the cases and prints one line per case: median CPU ms per sample, median wall ms, and the
 * median of the per-round ratios to the first case (CPU, then wall).
 * @param {object} o
 * @param {string} o.title what the file asks
 * @param {Record<string, string>} o.cases label -> source of a function body that returns the
 *   function to time; `R` (the capture stand-in) is in scope. The first case is the baseline.
 * @param {unknown} o.arg argument of each call
 * @param {boolean} [o.isAsync] the function returns a promise (awaited call by call); default false
 * @param {number} [o.rounds] default process.argv[2] or 31
 * @param {number} [o.sampleMs] target length of a sample; default 15
 * @returns {Promise<Record<string, {cpu: number, wall: number, ratioCpu: number, ratioWall: number}>>}
 */
export async function runMicro({ title, cases, arg, isAsync = false, rounds, sampleMs = 15 }) {
  rounds = rounds ?? (Number(process.argv[2]) || 31);
  const only = process.env.MICRO_CASES?.split('|');
  const labels = Object.keys(cases).filter((l) => !only || only.includes(l));
  const fns = labels.map((l) => new Function('R', cases[l])(R));
  // Same result from every case, or the comparison means nothing.
  const results = [];
  for (const fn of fns) results.push(isAsync ? await fn(arg) : fn(arg));
  for (let i = 1; i < fns.length; i++)
    if (results[i] !== results[0]) throw new Error(`micro: ${labels[i]} returned ${results[i]}, ${labels[0]} ${results[0]}`);
  // Warm up every case, then size the samples on the baseline.
  for (let w = 0; w < 3; w++) for (const fn of fns) await sample(fn, arg, 200, isAsync);
  // Sized on the baseline, three times, the largest count kept: one slow estimate (a GC, the
  // machine's other load) would otherwise leave samples too short to time.
  let reps = 1;
  for (let c = 0; c < 3; c++) {
    let n = 1;
    for (;;) {
      const { wall } = await sample(fns[0], arg, n, isAsync);
      if (wall >= sampleMs / 4 || n > 1e7) {
        reps = Math.max(reps, Math.round((n * sampleMs) / Math.max(wall, 1e-3)));
        break;
      }
      n *= 4;
    }
  }
  const cpu = labels.map(() => []);
  const wall = labels.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < fns.length; j++) {
      const i = (j + r) % fns.length;
      const s = await sample(fns[i], arg, reps, isAsync);
      cpu[i].push(s.cpu);
      wall[i].push(s.wall);
    }
  }
  const out = {};
  console.log(`${title}  (node ${process.version}, ${rounds} rounds x ${reps} calls)`);
  labels.forEach((l, i) => {
    const ratioCpu = median(cpu[i].map((c, r) => c / cpu[0][r]));
    const ratioWall = median(wall[i].map((w, r) => w / wall[0][r]));
    out[l] = { cpu: median(cpu[i]), wall: median(wall[i]), ratioCpu, ratioWall };
    console.log(
      `  ${l.padEnd(44)} cpu ${median(cpu[i]).toFixed(2).padStart(7)} ms  wall ${median(wall[i]).toFixed(2).padStart(7)} ms  ratio cpu ${ratioCpu.toFixed(3)}  wall ${ratioWall.toFixed(3)}`,
    );
  });
  return out;
}
