// Where the non-throwing cost comes from (see docs/BENCHMARKS.md): the timing child of `npm run bench`
// run on the instrumented build as emitted, on the same build with the module-level eval hook
// (`ev: __tsPdbC => eval(__tsPdbC)`) removed, and both again under raised V8 inlining limits.
// Diagnosis only: the variants are not ts-pdb's output, and the flags are not something users set.
//
//   node test/bench/diagnose.mjs [--procs N]     (IPDB_DEBUG unset; default 3 processes per variant)
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../helpers/build.mjs';
import { buildBench } from './build-bench.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const at = args.indexOf('--procs');
const PROCS = at >= 0 ? Number(args[at + 1]) : 3;
const BIG_INLINING = ['--max-inlined-bytecode-size=2000', '--max-inlined-bytecode-size-cumulative=8000'];
const EV = /ev: (__tsPdbC\d*) => eval\(\1\), /;

const dir = buildBench('bench-diag-');
const noEv = dir + '-no-ev';
cpSync(dir, noEv, { recursive: true });
for (const f of readdirSync(join(noEv, 'instr')).filter((n) => n.endsWith('.js'))) {
  const p = join(noEv, 'instr', f);
  const code = readFileSync(p, 'utf8');
  if (/__tsPdb\.f\(/.test(code) && !EV.test(code)) throw new Error(`${p}: no eval hook found to remove`);
  writeFileSync(p, code.replace(EV, ''));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const variants = [
  ['as emitted', dir, []],
  ['no eval hook', noEv, []],
  ['as emitted, big inlining', dir, BIG_INLINING],
  ['no eval hook, big inlining', noEv, BIG_INLINING],
];
const results = variants.map(([label, d, flags]) => {
  const env = { ...process.env };
  delete env.IPDB_DEBUG;
  const runs = [];
  for (let p = 0; p < PROCS; p++) {
    const r = spawnSync(process.execPath, [...flags, join(HERE, 'child.mjs'), d, '15', '10', 'path'], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${label}: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  return { label, rows: runs[0].rows.map((row, i) => ({ id: row.id, ratios: runs.map((x) => x.rows[i].ratio) })) };
});

console.log(
  `builds: ${relative(ROOT, dir)}, ${relative(ROOT, noEv)}; ${PROCS} processes per variant, IPDB_DEBUG unset;` +
    ` big inlining = ${BIG_INLINING.join(' ')} (both builds)\n`,
);
console.log(`| benchmark | ${results.map((r) => r.label).join(' | ')} |`);
console.log(`|---|${results.map(() => '---').join('|')}|`);
for (let i = 0; i < results[0].rows.length; i++) {
  const cells = results.map((r) => {
    const x = r.rows[i].ratios;
    return `${median(x).toFixed(3)} (${Math.min(...x).toFixed(2)}..${Math.max(...x).toFixed(2)})`;
  });
  console.log(`| ${results[0].rows[i].id} | ${cells.join(' | ')} |`);
}
console.log('\nratio instrumented/plain: median over processes (min..max)');
