// `npm run bench`: what the instrumentation costs, on every Node line a user runs, side by side in
// one run (issue #14 §1).
//
//   node test/bench/run.mjs [--quick] [--json FILE] [--no-build-cost] [--no-socket-wait] [--no-tsc-program]
//
// Runs test/bench/line.mjs (every section) once per Node line (test/bench/node-lines.mjs): Node 24
// first (the headline), then Node 22, then the machine's own Node when it is another line. Each
// line's sections print as they finish, under the line's heading; the run ends with one table of
// every row, a column per line, each figure with its 95% bootstrap interval and its verdict
// (PASS: the interval meets the target; FAIL: none of it does; "within noise": it straddles it,
// and a longer run decides). --quick is a smoke test: Node 24 only (the other columns say "not
// measured in --quick"), fewer processes and rounds, smaller projects.
//
// Exit status 1 when a row FAILs on a line, or a line could not run; "within noise" is not a failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeLines } from './node-lines.mjs';
import { FAIL, NOISE, PASS } from './stats.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const JSON_OUT = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
/** What each line's runner gets: the switches, without the orchestrator's --json FILE. */
const lineArgs = jsonAt >= 0 ? args.filter((a, i) => i !== jsonAt && i !== jsonAt + 1) : args;

const lines = nodeLines();
// --quick measures the headline line only.
const measured = QUICK ? lines.slice(0, 1) : lines;
const started = Date.now();
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
console.log(`# ts-pdb benchmarks${QUICK ? ' (--quick)' : ''}\n`);
console.log(`command: node test/bench/run.mjs${args.length ? ' ' + args.join(' ') : ''}`);
console.log(
  `lines: ${lines.map((l) => `${l.label} ${l.version ?? '(not installed)'}${measured.includes(l) ? '' : ' (not measured in --quick)'}`).join('; ')}`,
);
console.log(`machine: ${availableParallelism()} CPUs; ${new Date().toISOString()}; load average at start ${load()}\n`);

const work = mkdtempSync(join(tmpdir(), 'ts-pdb-bench-'));
/** Per line: its label, version, and the runner's JSON (undefined when it could not run). */
const results = [];
for (const line of measured) {
  console.log(`\n---\n\n# ${line.label}: ${line.version ?? 'not installed'}\n`);
  if (!line.bin) {
    console.log(`Not installed: ${line.install}`);
    results.push({ line, error: `not installed: ${line.install}` });
    continue;
  }
  const out = join(work, `${line.key}.json`);
  const t0 = Date.now();
  // The runner's Markdown goes straight to our stdout, its progress to our stderr.
  // The informational variants that take minutes run on the first line only.
  const extra = line === measured[0] ? [] : ['--no-info-rows'];
  const r = spawnSync(line.bin, [join(HERE, 'line.mjs'), ...lineArgs, ...extra, '--json', out], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const minutes = (Date.now() - t0) / 60000;
  let json;
  try {
    json = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    // no JSON: the runner failed before its end (its stderr says why)
  }
  results.push({ line, json, minutes, error: json ? undefined : `the runner exited with status ${r.status} before its summary` });
}
rmSync(work, { recursive: true, force: true });

// ------------------------------------------------------------------ the table of every line

/** Rows keyed by section and row text, in the order the first line that has them printed them. */
const keys = [];
const cells = new Map();
for (const { line, json } of results) {
  for (const row of json?.summary ?? []) {
    const key = `${row.section}\u0000${row.row}`;
    if (!cells.has(key)) {
      cells.set(key, { section: row.section, row: row.row, target: row.target, byLine: {} });
      keys.push(key);
    }
    cells.get(key).byLine[line.key] = row;
  }
}
const minutes = (Date.now() - started) / 60000;
console.log(`\n---\n\n# Summary${QUICK ? ' (--quick)' : ''}: every row on every line\n`);
console.log(
  `${availableParallelism()} CPUs; ${results.map((r) => `${r.line.label} ${r.line.version ?? ''}${r.minutes ? ` (${r.minutes.toFixed(1)} min)` : ''}`).join(', ')}; ` +
    `${minutes.toFixed(1)} minutes in all; load average at the end ${load()}.`,
);
console.log(
  'Each figure: the value [95% bootstrap interval], then the verdict: PASS (the interval meets the target), FAIL (none of it does), within noise (it straddles the target).\n',
);
const cell = (line, c) => {
  if (!measured.includes(line)) return 'not measured in --quick';
  const res = results.find((r) => r.line === line);
  if (res.error) return res.error;
  const row = c.byLine[line.key];
  return row ? `${row.figure}${row.result ? ` **${row.result}**` : ''}` : '(info: first line only)';
};
console.log(`| section | row | target | ${lines.map((l) => `${l.label} (${l.version ?? 'n/a'})`).join(' | ')} |`);
console.log(`|---|---|---|${lines.map(() => '---:').join('|')}|`);
for (const key of keys) {
  const c = cells.get(key);
  console.log(`| ${c.section} | ${c.row} | ${c.target} | ${lines.map((l) => cell(l, c)).join(' | ')} |`);
}
console.log('');
let failed = 0;
for (const { line, json, error } of results) {
  if (error) {
    failed++;
    console.log(`- ${line.label}: ${error}`);
    continue;
  }
  const judged = json.summary.filter((r) => r.result);
  const n = (v) => judged.filter((r) => r.result === v);
  failed += n(FAIL).length;
  console.log(
    `- ${line.label}: ${n(PASS).length} of ${judged.length} judged rows PASS, ${n(NOISE).length} within noise${
      n(NOISE).length
        ? ` (${n(NOISE)
            .map((r) => r.row)
            .join('; ')})`
        : ''
    }, ${n(FAIL).length} FAIL${
      n(FAIL).length
        ? ` (${n(FAIL)
            .map((r) => r.row)
            .join('; ')})`
        : ''
    }`,
  );
}
console.log(`\n${failed ? `FAIL: ${failed} row(s) failed or line(s) did not run` : 'no row FAILs on any line'}`);
if (JSON_OUT)
  writeFileSync(
    JSON_OUT,
    JSON.stringify(
      { quick: QUICK, minutes, lines: results.map(({ line, json, minutes, error }) => ({ ...line, minutes, error, figures: json })) },
      null,
      2,
    ),
  );
process.exitCode = failed ? 1 : 0;
