// Issue 19 §2, generators: which part of ts-pdb's try/catch costs a generator per resume? A range
// generator consumed by for-of (one resume per value), in the shapes below; ratios to `plain`.
//   node test/bench/micro/gen-try-region.mjs [rounds]
import { runMicro } from './harness.mjs';

const consumer = (gen) => `${gen}
return (n) => { let s = 0; for (const v of range(0, n)) s += v & 7; return s; };`;

await runMicro({
  title: 'generator: try region around a yield',
  arg: 1000,
  cases: {
    plain: consumer(`function* range(from, to) { for (let i = from; i < to; i++) yield i; }`),
    // as ts-pdb emits it today
    'as emitted (catch captures, rethrows)': consumer(`function* range(from, to) {
      let i;
      try { for (i = from; i < to; i++) yield i; }
      catch (e) { R.f(e, R, 0, this, from, to, i); throw e; } }`),
    'catch only rethrows': consumer(`function* range(from, to) {
      try { for (let i = from; i < to; i++) yield i; } catch (e) { throw e; } }`),
    'try/finally, finally reads a local': consumer(`function* range(from, to) {
      let i;
      try { for (i = from; i < to; i++) yield i; } finally { if (i === -1) R.f(); } }`),
    // the suspend outside any try, each synchronous stretch in its own try
    'yield outside, try per stretch': consumer(`function* range(from, to) {
      let i;
      try { i = from; } catch (e) { R.f(e, R, 0, this, from, to, i); throw e; }
      for (;;) {
        try { if (!(i < to)) break; } catch (e) { R.f(e, R, 0, this, from, to, i); throw e; }
        yield i;
        try { i++; } catch (e) { R.f(e, R, 0, this, from, to, i); throw e; }
      } }`),
    // no try at all, one more register live across the yield (what the try's saved context costs)
    'plain + 1 live register': consumer(`function* range(from, to) {
      const z = this;
      for (let i = from; i < to; i++) yield i;
      if (z === 1) return; }`),
    'plain + 4 live registers': consumer(`function* range(from, to) {
      const z = this, y = from + 1, x = to + 1, w = from - 1;
      for (let i = from; i < to; i++) yield i;
      if (z === 1 || y === x || w === z) return; }`),
  },
});
