// The report of scripts/test262.sh: counts per directory and build, and every test that fails
// instrumented but passes as written.
//
//   node scripts/test262-report.mjs <out-dir>                 Markdown on stdout; exit 1 on a ts-pdb difference
//   node scripts/test262-report.mjs --suspects <out-dir> <compiler>
//       the test files (test/language/...) that fail with <compiler> (babel, ts) and pass raw, one a line
//
// <out-dir> holds what test262.sh wrote: <build>.json (test262-harness's json reporter), dirs.txt,
// test262-commit.txt, <build>.refused.jsonl (tests the compiler refused to compile: they ran as written).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `test/language/...` from the harness's path (relative to wherever it ran). */
const rel = (file) => file.slice(file.indexOf('test/language/'));
const key = (r) => `${rel(r.file)} (${r.scenario})`;

function load(out, build) {
  const p = join(out, build + '.json');
  if (!existsSync(p)) return undefined;
  const runs = new Map();
  for (const r of JSON.parse(readFileSync(p, 'utf8')))
    runs.set(key(r), {
      file: rel(r.file),
      scenario: r.scenario,
      pass: r.result.pass,
      message: (r.result.message ?? '').replace(/\s+/g, ' ').trim(),
      // A negative test of phase parse (or early): it must not compile at all.
      early: ['parse', 'early'].includes(r.attrs?.negative?.phase),
    });
  return runs;
}

function refused(out, build) {
  const p = join(out, build + '.refused.jsonl');
  if (!existsSync(p)) return new Map();
  const m = new Map();
  for (const line of readFileSync(p, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    m.set(`${rel(r.file)} (${r.scenario})`, r.refused);
  }
  return m;
}

/** Tests failing with `build` and passing raw: `[key, run]`. */
function differences(raw, runs) {
  const d = [];
  for (const [k, r] of runs) {
    const base = raw.get(k);
    if (!r.pass && base?.pass) d.push([k, r]);
  }
  return d.sort((a, b) => a[0].localeCompare(b[0]));
}

const args = process.argv.slice(2);
if (args[0] === '--suspects') {
  const [, out, compiler] = args;
  const raw = load(out, 'raw');
  const runs = load(out, compiler);
  const files = new Set(differences(raw, runs).map(([, r]) => r.file));
  for (const f of [...files].sort()) console.log(f);
  process.exit(0);
}

const out = args[0];
if (!out) {
  console.error('usage: node scripts/test262-report.mjs <out-dir> | --suspects <out-dir> <compiler>');
  process.exit(2);
}
const dirs = readFileSync(join(out, 'dirs.txt'), 'utf8').split('\n').filter(Boolean);
const commit = existsSync(join(out, 'test262-commit.txt')) ? readFileSync(join(out, 'test262-commit.txt'), 'utf8').trim() : 'unknown';
const raw = load(out, 'raw');
if (!raw) {
  console.error(`${out}/raw.json is missing: the baseline run is needed`);
  process.exit(2);
}
const builds = ['babel', 'ts'].filter((b) => existsSync(join(out, b + '.json')));
const data = Object.fromEntries(
  builds.map((b) => [b, { runs: load(out, b), plain: load(out, b + '-plain') ?? new Map(), refused: refused(out, b) }]),
);

const dirOf = (file) => dirs.find((d) => file.startsWith(`test/language/${d}/`)) ?? '(other)';
console.log(
  `test262 ${commit}, node ${process.version}. A run is one test in one scenario (as written, or with "use strict" prepended).\n`,
);
const diffs = Object.fromEntries(builds.map((b) => [b, differences(raw, data[b].runs)]));
/** Is a difference ts-pdb's? Not when the same compiler without ts-pdb fails it too; unknown (counted as ours) when not re-run. */
const oursOf = (b, k) => {
  const p = data[b].plain.get(k);
  return p === undefined || p.pass;
};
for (const b of builds) {
  console.log(`#### ${b}\n`);
  console.log(
    "| directory | runs | pass | pass raw (same runs) | compiler refused (ran as written) | of which not a syntax-error test | fail, pass raw | of which ts-pdb's |",
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const total = { runs: 0, pass: 0, raw: 0, refused: 0, refusedValid: 0, diff: 0, ours: 0 };
  for (const d of [...dirs, '(other)']) {
    const keys = [...data[b].runs.keys()].filter((k) => raw.has(k) && dirOf(raw.get(k).file) === d);
    if (!keys.length) continue;
    const ds = diffs[b].filter(([k]) => dirOf(raw.get(k).file) === d);
    const row = {
      runs: keys.length,
      pass: keys.filter((k) => data[b].runs.get(k).pass).length,
      raw: keys.filter((k) => raw.get(k).pass).length,
      refused: keys.filter((k) => data[b].refused.has(k)).length,
      refusedValid: keys.filter((k) => data[b].refused.has(k) && !raw.get(k).early).length,
      diff: ds.length,
      ours: ds.filter(([k]) => oursOf(b, k)).length,
    };
    for (const k of Object.keys(total)) total[k] += row[k];
    console.log(`| ${d} | ${row.runs} | ${row.pass} | ${row.raw} | ${row.refused} | ${row.refusedValid} | ${row.diff} | ${row.ours} |`);
  }
  console.log(
    `| **all** | ${total.runs} | ${total.pass} | ${total.raw} | ${total.refused} | ${total.refusedValid} | ${total.diff} | ${total.ours} |\n`,
  );
  const valid = [...data[b].refused.keys()].filter((k) => raw.has(k) && !raw.get(k).early);
  if (valid.length) {
    const why = new Map();
    for (const k of valid) {
      const m = data[b].refused.get(k);
      why.set(m, (why.get(m) ?? 0) + 1);
    }
    console.log(
      `${b} refused ${valid.length} runs of tests that are not syntax-error tests (they ran as written); the compiler's messages:\n`,
    );
    for (const [m, n] of [...why].sort((x, y) => y[1] - x[1]).slice(0, 15))
      console.log(`- ${n} x ${m.replace(/^\/\S+: /, '').replace(/ \(\d+:\d+\):?$/, '')}`);
    console.log('');
  }
}

let ours = 0;
for (const b of builds) {
  const missing = [...raw.keys()].filter((k) => !data[b].runs.has(k));
  if (missing.length)
    console.log(`\n${b}: ${missing.length} runs of the raw results were not run (TS_PDB_TEST262_SCENARIO=one, or directories not given)`);
  const extra = [...data[b].runs.keys()].filter((k) => !raw.has(k));
  if (extra.length)
    console.log(
      `\n${b}: ${extra.length} runs have no raw result to compare with (${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ', ...' : ''})`,
    );
  const list = diffs[b];
  console.log(`\n### ${b}: ${list.length} runs fail compiled and pass raw\n`);
  for (const [k, r] of list) {
    const p = data[b].plain.get(k);
    const cause =
      p === undefined
        ? 'NOT RE-RUN without ts-pdb'
        : p.pass
          ? 'TS-PDB (passes without it)'
          : `compiler (fails without ts-pdb too: ${p.message.slice(0, 120)})`;
    if (oursOf(b, k)) ours++;
    console.log(`- ${k}: ${r.message.slice(0, 160)} [${cause}]`);
  }
}
console.log(`\n${ours ? `FAIL: ${ours} runs differ because of ts-pdb (or were not re-run)` : 'PASS: no run fails because of ts-pdb'}`);
process.exitCode = ours ? 1 : 0;
