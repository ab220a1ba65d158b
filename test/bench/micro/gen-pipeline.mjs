// Issue 19 §2, generators: test/bench/src/generator.ts (range, map, filter, take consumed by
// for-of) in the shapes below, to attribute the cost of ts-pdb's catch; ratios to `plain`.
//   node test/bench/micro/gen-pipeline.mjs [rounds]
import { runMicro } from './harness.mjs';

const RUN = `return (n) => {
  let s = 0;
  const squares = mapGen(range(0, n * 2), (x) => x * x);
  for (const v of take(filterGen(squares, (x) => x % 3 !== 0), n)) s += v % 1000;
  return s;
};`;
// refs(idx, names): the catch of a function; `null` = no catch at all
const gens = (refs) => {
  const body = (idx, decl, names, stmts) =>
    refs === null
      ? stmts.replace(/\b(i|v|left) = /, (m, n) => `let ${n} = `).replace('for (v of', 'for (const v of')
      : `${decl} try { ${stmts} } catch (e) { ${refs(idx, names)} throw e; }`;
  return `
function* range(from, to) { ${body(0, 'let i;', ['from', 'to', 'i'], 'for (i = from; i < to; i++) yield i;')} }
function* mapGen(src, fn) { ${body(1, 'let v;', ['src', 'fn', 'v'], 'for (v of src) yield fn(v);')} }
function* filterGen(src, keep) { ${body(2, 'let v;', ['src', 'keep', 'v'], 'for (v of src) if (keep(v)) yield v;')} }
function* take(src, n) { ${body(3, 'let left, v;', ['src', 'n', 'left', 'v'], 'left = n; if (left <= 0) return; for (v of src) { yield v; if (--left === 0) return; }')} }
${RUN}`;
};

await runMicro({
  title: 'generator pipeline (generator.ts)',
  arg: 1000,
  cases: {
    plain: gens(null),
    'as emitted': gens((idx, names) => `R.f(e, R, ${idx}, this, ${names.join(', ')});`),
    'catch only rethrows': gens(() => ''),
    // v is dead at every yield in plain code; the catch keeps it live (and so saved and restored)
    'catch without the loop variable v': gens((idx, names) => `R.f(e, R, ${idx}, this, ${names.filter((n) => n !== 'v').join(', ')});`),
    'catch, locals as one array argument': gens((idx, names) => `R.f(e, R, ${idx}, this, [${names.join(', ')}]);`),
  },
});
