// Statistics of the benchmarks: medians, 95% bootstrap intervals, and the verdict of a row against
// its target (issue #14 §7: a verdict only outside the noise).
//
// Touches nothing: pure functions over arrays of numbers (or of paired samples). Deterministic: the
// bootstrap draws from a seeded generator, so the same samples always give the same interval.

/** Median of a list of numbers (the mean of the two middle ones for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The q-quantile (0..1) of a list, linear between the two nearest ranks. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo] + (at - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

/** mulberry32: a small seeded generator, so that an interval is reproducible from its samples. */
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Iterations of every bootstrap (2,000: the 2.5% and 97.5% quantiles move < 1% of the width beyond that). */
export const BOOTSTRAP_ITERATIONS = 2000;

/**
 * A 95% percentile-bootstrap interval of `stat` over grouped samples.
 *
 * `groups` is a list of groups (one per timing process, or a single group for samples of one
 * kind); each group a list of samples (numbers, or objects such as `{ plain, instr }` when the two
 * builds of one round belong together). Each iteration resamples the groups with replacement and,
 * inside each drawn group, its samples with replacement (a two-stage bootstrap: it carries both the
 * spread between processes, where the JIT decides differently, and the spread within one), then
 * computes `stat(resampledGroups)`.
 *
 * @param {unknown[][]} groups
 * @param {(groups: unknown[][]) => number} stat
 * @param {{ iterations?: number, seed?: number, level?: number }} [opts] defaults: 2,000 iterations, seed 1, level 0.95
 * @returns {{ value: number, lo: number, hi: number }} the statistic on the samples as measured, and the interval
 */
export function bootstrap(groups, stat, opts = {}) {
  const level = opts.level ?? 0.95;
  const draws = bootstrapDraws(groups, stat, opts);
  return { value: stat(groups), lo: quantile(draws, (1 - level) / 2), hi: quantile(draws, 1 - (1 - level) / 2) };
}

/**
 * The bootstrap's draws of `stat` (see `bootstrap`), for figures made of two independent
 * measurements: draw each with the same options, combine the draws element by element, then take
 * the quantiles (`intervalOf`).
 * @returns {number[]}
 */
export function bootstrapDraws(groups, stat, { iterations = BOOTSTRAP_ITERATIONS, seed = 1 } = {}) {
  const draws = [];
  const random = generator(seed);
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  for (let i = 0; i < iterations; i++) {
    const drawn = groups.map(() => {
      const g = groups.length === 1 ? groups[0] : pick(groups);
      return g.map(() => pick(g));
    });
    draws.push(stat(drawn));
  }
  return draws;
}

/** `{ value, lo, hi }` from a figure and its bootstrap draws (95%). */
export const intervalOf = (value, draws) => ({ value, lo: quantile(draws, 0.025), hi: quantile(draws, 0.975) });

/**
 * Interval of a median over one list of numbers (session times, per-round ratios).
 * @param {number[]} xs
 */
export const medianInterval = (xs, opts) => bootstrap([xs], (g) => median(g[0]), opts);

/**
 * Interval of the ratio of medians of paired samples `{ a, b }` (b / a), per group, then the
 * median over groups: the non-throwing path's figure (a = plain, b = instrumented; one group per
 * timing process; the two builds of one round stay paired).
 * @param {{ a: number, b: number }[][]} groups
 */
export const ratioOfMediansInterval = (groups, opts) =>
  bootstrap(groups, (gs) => median(gs.map((g) => median(g.map((x) => x.b)) / median(g.map((x) => x.a)))), opts);

/**
 * Interval of a difference of medians of two independent lists (b - a): added startup time.
 * @param {number[]} a
 * @param {number[]} b
 * @param {{ iterations?: number, seed?: number }} [opts] defaults: 2,000 iterations, seed 1
 */
export function differenceOfMediansInterval(a, b, { iterations = BOOTSTRAP_ITERATIONS, seed = 1 } = {}) {
  const random = generator(seed);
  const resample = (xs) => xs.map(() => xs[Math.floor(random() * xs.length)]);
  const draws = [];
  for (let i = 0; i < iterations; i++) draws.push(median(resample(b)) - median(resample(a)));
  return { value: median(b) - median(a), lo: quantile(draws, 0.025), hi: quantile(draws, 0.975) };
}

/** The three verdicts. "within noise" never fails a run: a longer run decides it. */
export const PASS = 'PASS';
export const FAIL = 'FAIL';
export const NOISE = 'within noise';

/**
 * The verdict of an interval against a target.
 * @param {{ lo: number, hi: number }} interval
 * @param {number} target
 * @param {'max' | 'min'} [kind] 'max' (default): the figure must stay at or under the target; 'min': at or over it
 * @returns {'PASS' | 'FAIL' | 'within noise'} PASS when the whole interval meets the target, FAIL when none of it does
 */
export function verdict({ lo, hi }, target, kind = 'max') {
  if (kind === 'max') return hi <= target ? PASS : lo > target ? FAIL : NOISE;
  return lo >= target ? PASS : hi < target ? FAIL : NOISE;
}

/** `1.012 [0.998, 1.027]` with `d` decimals. */
export const formatInterval = ({ value, lo, hi }, d = 3, unit = '') => `${value.toFixed(d)}${unit} [${lo.toFixed(d)}, ${hi.toFixed(d)}]`;
