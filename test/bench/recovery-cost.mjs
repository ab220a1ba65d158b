// What issue #6's transforms cost on the non-throwing path, measured side by side in one process
// (interleaved rounds, median of the ratios):
// - a marked boundary (its catch can `return` and `retry`: a loop and a switch) against the same
//   function unmarked and uninstrumented, called in a hot loop;
// - a function that contains a `breakpoint()` call (never reached, debugging off) against the same
//   function without it, in a hot loop.
//   node test/bench/recovery-cost.mjs
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, scratch, transpile } from '../helpers/build.mjs';

const SOURCE = `import { breakpoint } from 'ts-pdb';
// @debuggable
export function markedStep(a: number, b: number) {
  const s = a * 2 + b;
  return s % 7;
}
export function plainStep(a: number, b: number) {
  const s = a * 2 + b;
  return s % 7;
}
export function withBreakpoint(n: number) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += i % 3;
    if (acc < 0) breakpoint();
  }
  return acc;
}
export function withoutBreakpoint(n: number) {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += i % 3;
    if (acc < 0) console.log('never');
  }
  return acc;
}
`;

const dir = scratch('recovery-cost-');
fs.mkdirSync(path.join(dir, 'node_modules'));
fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'ts-pdb'), 'dir');
const file = path.join(dir, 'program.js');
fs.writeFileSync(file, transpile(SOURCE, { fileName: path.join(dir, 'program.ts') }).code);
delete process.env.IPDB_DEBUG;
const m = createRequire(import.meta.url)(file);

const time = (fn, n) => { const t = process.hrtime.bigint(); fn(n); return Number(process.hrtime.bigint() - t) / 1e6; };
const hot = (f) => (n) => { let s = 0; for (let i = 0; i < n; i++) s += f(i, s & 3); return s; };
const marked = hot(m.markedStep);
const plain = hot(m.plainStep);
for (let w = 0; w < 5; w++) { marked(1e6); plain(1e6); m.withBreakpoint(1e6); m.withoutBreakpoint(1e6); }
const r1 = [];
const r2 = [];
for (let k = 0; k < 21; k++) {
  if (k % 2) { const a = time(marked, 3e6); r1.push(a / time(plain, 3e6)); } else { const b = time(plain, 3e6); r1.push(time(marked, 3e6) / b); }
  if (k % 2) { const a = time(m.withBreakpoint, 3e6); r2.push(a / time(m.withoutBreakpoint, 3e6)); } else { const b = time(m.withoutBreakpoint, 3e6); r2.push(time(m.withBreakpoint, 3e6) / b); }
}
const median = (x) => [...x].sort((p, q) => p - q)[x.length >> 1];
const row = (name, r) => `| ${name} | ${median(r).toFixed(3)} | ${Math.min(...r).toFixed(3)}..${Math.max(...r).toFixed(3)} | <= 1.02 | ${median(r) <= 1.02 ? 'PASS' : 'FAIL'} |`;
console.log('| row (debugging off) | ratio, median of 21 | range | target | result |');
console.log('|---|---:|---|---|---|');
console.log(row('hot calls of a marked boundary (return/retry catch) vs plain', r1));
console.log(row('hot loop of a function with a breakpoint() call vs without', r2));
