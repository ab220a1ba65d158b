// What a try/catch costs a generator pipeline by itself, whatever the catch does: the figures
// behind docs/BENCHMARKS.md "What still costs". Hand-written variants, run side by side, medians.
//   node test/bench/try-region-cost.mjs
const R = { f() {} };
function* rangeP(from, to) {
  for (let i = from; i < to; i++) yield i;
}
function* mapP(src, fn) {
  for (const v of src) yield fn(v);
}
// as ts-pdb emits it: one catch per function, the loop variable declared at function level
function* rangeA(from, to) {
  let i;
  try {
    for (i = from; i < to; i++) yield i;
  } catch (e) {
    R.f(e, this, from, to, i);
    throw e;
  }
}
function* mapA(src, fn) {
  let v;
  try {
    for (v of src) yield fn(v);
  } catch (e) {
    R.f(e, this, src, fn, v);
    throw e;
  }
}
// a try/catch that captures nothing and only rethrows (what is measured: the rule says it is useless)
/* eslint-disable no-useless-catch */
function* rangeC(from, to) {
  try {
    for (let i = from; i < to; i++) yield i;
  } catch (e) {
    throw e;
  }
}
function* mapC(src, fn) {
  try {
    for (const v of src) yield fn(v);
  } catch (e) {
    throw e;
  }
}
/* eslint-enable no-useless-catch */
const sq = (x) => x * x;
const pipeline = (range, map) => (n) => {
  let s = 0;
  for (const v of map(range(0, n), sq)) s += v % 1000;
  return s;
};
const cases = { plain: pipeline(rangeP, mapP), 'as emitted': pipeline(rangeA, mapA), 'empty rethrow': pipeline(rangeC, mapC) };
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let round = 0; round < 41; round++) {
  for (const [k, fn] of Object.entries(cases)) {
    const t = process.hrtime.bigint();
    fn(100000);
    times[k].push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const base = median(times.plain);
for (const [k, a] of Object.entries(times))
  console.log(`${k.padEnd(14)} ${median(a).toFixed(2)} ms  ratio ${(median(a) / base).toFixed(3)}`);
