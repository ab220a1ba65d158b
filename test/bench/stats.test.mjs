// The benchmarks' verdicts (test/bench/stats.mjs): a row is PASS or FAIL only outside the noise.
// These are the rules `npm run bench` judges every row by; a mistake here would make every
// verdict of BENCHMARKS.md wrong without any benchmark noticing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bootstrapDraws,
  differenceOfMediansInterval,
  FAIL,
  median,
  medianInterval,
  NOISE,
  PASS,
  quantile,
  ratioOfMediansInterval,
  verdict,
} from './stats.mjs';

test('median and quantile', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(quantile([0, 10], 0.25), 2.5);
  assert.equal(quantile([5], 0.975), 5);
});

test('a verdict is PASS or FAIL only when the whole interval is on one side of the target', () => {
  assert.equal(verdict({ lo: 0.99, hi: 1.019 }, 1.02), PASS);
  assert.equal(verdict({ lo: 0.99, hi: 1.02 }, 1.02), PASS, 'at the target is within it');
  assert.equal(verdict({ lo: 1.021, hi: 1.05 }, 1.02), FAIL);
  assert.equal(verdict({ lo: 1.0, hi: 1.03 }, 1.02), NOISE);
  // A lower bound (the inspector is at least 50x dearer).
  assert.equal(verdict({ lo: 60, hi: 300 }, 50, 'min'), PASS);
  assert.equal(verdict({ lo: 20, hi: 49 }, 50, 'min'), FAIL);
  assert.equal(verdict({ lo: 40, hi: 60 }, 50, 'min'), NOISE);
});

test('the interval of a steady figure is narrow and decides; of a noisy one, wide and undecided', () => {
  // Paired rounds of 3 processes: instrumented 5% slower than plain, with +-0.5% jitter...
  const jitter = (k) => 1 + ((k * 7919) % 11) / 1000 - 0.005;
  const steady = [0, 1, 2].map((p) => Array.from({ length: 21 }, (_, k) => ({ a: 10 * jitter(k + p), b: 10.5 * jitter(k + 2 * p + 1) })));
  const s = ratioOfMediansInterval(steady);
  assert.ok(s.lo > 1.02 && s.hi < 1.08, `steady 1.05: ${JSON.stringify(s)}`);
  assert.equal(verdict(s, 1.02), FAIL);
  // ...and the same mean with processes that disagree (the JIT's decisions): 0.97, 1.05, 1.10.
  const noisy = [0.97, 1.05, 1.1].map((f) => Array.from({ length: 21 }, (_, k) => ({ a: 10 * jitter(k), b: 10 * f * jitter(k + 3) })));
  const n = ratioOfMediansInterval(noisy);
  assert.ok(n.lo < 1.0 && n.hi > 1.08, `processes that disagree widen the interval: ${JSON.stringify(n)}`);
  assert.equal(verdict(n, 1.02), NOISE);
});

test('the same samples give the same interval (seeded), and the value is the statistic as measured', () => {
  const xs = [48, 51, 47, 60, 49, 52, 50, 75, 49];
  const a = medianInterval(xs);
  assert.deepEqual(medianInterval(xs), a);
  assert.equal(a.value, 50);
  assert.ok(a.lo <= 50 && a.hi >= 50 && a.lo >= 47 && a.hi <= 75, JSON.stringify(a));
  const draws = (seed) => bootstrapDraws([xs], (g) => median(g[0]), { seed, iterations: 50 });
  assert.deepEqual(draws(1), draws(1));
  assert.notDeepEqual(draws(2), draws(1), 'another seed draws otherwise');
});

test('a difference of medians: startup added by the runtime', () => {
  const plain = Array.from({ length: 40 }, (_, k) => 30 + (k % 5) * 0.2);
  const instr = plain.map((x) => x + 3);
  const d = differenceOfMediansInterval(plain, instr);
  assert.ok(Math.abs(d.value - 3) < 1e-9, String(d.value));
  assert.ok(d.lo > 2 && d.hi < 4, JSON.stringify(d));
  assert.equal(verdict(d, 5), PASS);
});
