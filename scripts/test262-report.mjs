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
  for (const r of JSON.parse(readFileSync(p, 'utf8'))) runs.set(key(r), { file: rel(r.file), scenario: r.scenario, pass: r.result.pass, message: r.result.message ?? '' });
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
const data = Object.fromEntries(builds.map((b) => [b, { runs: load(out, b), plain: load(out, b + '-plain') ?? new Map(), refused: refused(out, b) }]));

const dirOf = (file) => dirs.find((d) => file.startsWith(`test/language/${d}/`)) ?? '(other)';
console.log(`test262 ${commit}, node ${process.version}; runs are tests x scenarios (default, strict mode).\n`);
const head = ['directory', 'runs', 'pass raw', ...builds.flatMap((b) => [`pass ${b}`, `${b}: compiler refused`, `${b}: fail, pass raw`])];
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`);
const total = { runs: 0, raw: 0, ...Object.fromEntries(builds.flatMap((b) => [[b, 0], [b + 'R', 0], [b + 'D', 0]])) };
const diffs = Object.fromEntries(builds.map((b) => [b, differences(raw, data[b].runs)]));
for (const d of [...dirs, '(other)']) {
  const keys = [...raw.keys()].filter((k) => dirOf(raw.get(k).file) === d);
  if (!keys.length) continue;
  const row = { runs: keys.length, raw: keys.filter((k) => raw.get(k).pass).length };
  for (const b of builds) {
    const runs = data[b].runs;
    row[b] = keys.filter((k) => runs.get(k)?.pass).length;
    row[b + 'R'] = keys.filter((k) => data[b].refused.has(k)).length;
    row[b + 'D'] = diffs[b].filter(([k]) => dirOf(raw.get(k).file) === d).length;
  }
  for (const k of Object.keys(total)) total[k] += row[k];
  console.log(`| ${d} | ${row.runs} | ${row.raw} | ${builds.map((b) => `${row[b]} | ${row[b + 'R']} | ${row[b + 'D']}`).join(' | ')} |`);
}
console.log(`| **all** | ${total.runs} | ${total.raw} | ${builds.map((b) => `${total[b]} | ${total[b + 'R']} | ${total[b + 'D']}`).join(' | ')} |`);

let ours = 0;
for (const b of builds) {
  const missing = [...raw.keys()].filter((k) => !data[b].runs.has(k));
  if (missing.length) console.log(`\n${b}: ${missing.length} runs missing from the results (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''})`);
  const list = diffs[b];
  console.log(`\n### ${b}: ${list.length} runs fail compiled and pass raw\n`);
  for (const [k, r] of list) {
    const p = data[b].plain.get(k);
    const cause = p === undefined ? 'NOT RE-RUN without ts-pdb' : p.pass ? 'TS-PDB (passes without it)' : `compiler (fails without ts-pdb too: ${p.message.slice(0, 120)})`;
    if (p === undefined || p.pass) ours++;
    console.log(`- ${k}: ${r.message.slice(0, 160)} [${cause}]`);
  }
}
console.log(`\n${ours ? `FAIL: ${ours} runs differ because of ts-pdb (or were not re-run)` : 'PASS: no run fails because of ts-pdb'}`);
process.exitCode = ours ? 1 : 0;
