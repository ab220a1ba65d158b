// examples/vitest, as its README tells a user to run it: `vitest run` with the ts-pdb Vite plugin in
// vitest.config.ts, IPDB_DEBUG=1. Its second test fails on purpose, through the marked reserve();
// its first passes.
//
// - With no terminal (CI=true, pipes): the report names reserve at its TypeScript line with every
//   local, a snapshot is left, and Vitest fails the test with the original error: exit code 1, as
//   without ts-pdb.
// - On a real pseudo-terminal, in both of Vitest's pools (forks, the default, and threads) and with
//   --no-file-parallelism: a session opens inside the failing test, at the TypeScript line, reads a
//   local, and `q` lets Vitest fail the test with the original error. What the user sees is checked
//   on the rendered screen: the session's rows stay as they were written while Vitest's reporter
//   goes on running (its summary, redrawn every second, would clear them).
//
// The example's own node_modules are used (installed by .ci/run); Vitest runs in the example's folder
// and writes nothing there (the snapshots go to a scratch folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnNode } from '../helpers/pty.mjs';
import { Screen } from '../helpers/screen.mjs';
import {
  binOf,
  cleanEnv,
  escapeRegExp,
  installedExample,
  lineOf,
  packageOf,
  ptyEnv,
  runNode,
  scratch,
  seen,
} from '../helpers/examples.mjs';

const TIMEOUT_MS = 120_000;
const MESSAGE = 'only 12 nut left, 20 wanted';

/** Where the example throws, read from its source. */
function throwLineOf(dir) {
  return lineOf(path.join(dir, 'src', 'stock.ts'), 'if (have < line.qty) throw new RangeError(');
}

test('examples/vitest without a terminal: the report shows reserve at its TypeScript line with its locals, a snapshot is left, the test fails with its error', async (t) => {
  const dir = installedExample(t, 'vitest');
  if (!dir) return;
  assert.equal(packageOf(dir).scripts.test, 'vitest run');
  const throwLine = throwLineOf(dir);
  const dumps = path.join(scratch(t, 'e2e-examples-vitest-'), 'ts-pdb-dumps');
  const vitest = binOf(dir, 'vitest', 'vitest');
  const r = await runNode(vitest, ['run'], {
    cwd: dir,
    env: cleanEnv({ CI: 'true', IPDB_DEBUG: '1', NO_COLOR: '1', IPDB_DUMP_DIR: dumps }),
    timeout: TIMEOUT_MS,
  });
  t.diagnostic(`vitest ${r.ms} ms`);
  const out = r.stdout + r.stderr;
  assert.equal(r.code, 1, `vitest fails (one failing test)\n${seen(r)}`);
  assert.match(out, /^Exception caught in reserve:$/m, seen(r));
  // The frame of the throw, in TypeScript: the line, its text, and every local with its value.
  const frame = `\
  File "src/stock.ts", line ${throwLine}, in reserve
    if (have < line.qty) throw new RangeError(\`only \${have} \${line.sku} left, \${line.qty} wanted\`);
      stock = Map(2) { 'bolt' => 40, 'nut' => 12 }
      lines = [ { sku: 'bolt', qty: 10 }, { sku: 'nut', qty: 20 } ]
      left = Map(2) { 'bolt' => 30, 'nut' => 12 }
      line = { sku: 'nut', qty: 20 }
      have = 12
RangeError: ${MESSAGE}
`;
  assert.ok(out.includes(frame), `reserve's frame at src/stock.ts:${throwLine} with its locals, then the error\n${seen(r)}`);
  // The report's last line names the snapshot, which is there.
  const named = /^ts-pdb: rank 0: snapshot written: (\S+\.tspdb\.json\.gz)/m.exec(out);
  assert.ok(named, `the report names its snapshot\n${seen(r)}`);
  assert.equal(path.dirname(named[1]), dumps);
  assert.deepEqual(fs.readdirSync(dumps), [path.basename(named[1])], 'one snapshot, in the dump folder');
  // The snapshot opens after the run (`ts-pdb open`; without a terminal it prints the same frames).
  const opened = await runNode(binOf(dir, 'ts-pdb', 'ts-pdb'), ['open', named[1]], {
    cwd: dir,
    env: cleanEnv({ NO_COLOR: '1' }),
    timeout: TIMEOUT_MS,
  });
  assert.equal(opened.code, 0, seen(opened));
  assert.ok(
    (opened.stdout + opened.stderr).includes(frame),
    `the snapshot has reserve's frame at src/stock.ts:${throwLine}\n${seen(opened)}`,
  );
  // Vitest's own verdict, after the report: the test failed with the original error; the other passed.
  assert.match(
    out,
    new RegExp(`FAIL {2}test/stock\\.test\\.ts > an order for every nut on the shelf\\nRangeError: ${escapeRegExp(MESSAGE)}`),
    seen(r),
  );
  assert.match(out, /✓ what is left after an order/, seen(r));
  assert.match(out, /Tests {2}1 failed \| 1 passed \(2\)/, seen(r));
  assert.doesNotMatch(out, /ts-pdb: internal fault|timed out/, seen(r));

  // The same run without debugging: the same exit code and verdict, and nothing of ts-pdb.
  const plain = await runNode(vitest, ['run'], { cwd: dir, env: cleanEnv({ CI: 'true', NO_COLOR: '1' }), timeout: TIMEOUT_MS });
  assert.equal(plain.code, r.code, seen(plain));
  assert.match(plain.stdout + plain.stderr, /Tests {2}1 failed \| 1 passed \(2\)/, seen(plain));
  assert.doesNotMatch(plain.stdout + plain.stderr, /ts-pdb|Exception caught/, seen(plain));
  assert.equal(fs.existsSync(path.join(dir, 'ts-pdb-dumps')), false, 'nothing written in the example');
});

/**
 * Runs the example's Vitest with `args` on a pseudo-terminal, reaches the session of the failing
 * test, reads a local, holds the session open past Vitest's summary interval (1 s) and its default
 * test timeout's scale, and quits; checks the screen and Vitest's verdict.
 */
async function sessionOnTerminal(t, args) {
  const dir = installedExample(t, 'vitest');
  if (!dir) return;
  const throwLine = throwLineOf(dir);
  const home = scratch(t, 'e2e-examples-vitest-');
  const p = spawnNode([binOf(dir, 'vitest', 'vitest'), 'run', ...args], {
    cwd: dir,
    cols: 120,
    rows: 50,
    // IPDB_MODE is left unset: every Vitest worker gets the console (it is no rank of a job).
    env: ptyEnv({ IPDB_DEBUG: '1', NO_COLOR: '1', TS_PDB_HISTORY: '', TS_PDB_HOME: home, IPDB_DUMP_DIR: path.join(home, 'dumps') }),
  });
  const screen = new Screen(p);
  t.after(() => p.kill());
  const PROMPT = /\nipdb> $/;
  const banner = (await p.waitFor(PROMPT, TIMEOUT_MS)).input;
  assert.match(banner, /Exception caught in reserve/);
  assert.match(banner, new RegExp(`^> src/stock\\.ts\\(${throwLine}\\)reserve\\(\\)$`, 'm'), 'the session is at the TypeScript line');

  p.type('p have');
  await p.waitFor(/\n12(?=\n)/);
  await p.waitFor(PROMPT);
  // The user takes a while (1.5 s, past the summary's redraw every second): a command that takes
  // that long, so that nothing else in the test needs to wait.
  p.type('p (() => { const t = Date.now(); while (Date.now() - t < 1500); return left.get("nut") })()');
  await p.waitFor(/\n12(?=\n)/);
  await p.waitFor(PROMPT);

  // The screen shows the session as it was written, each row where it was put.
  await screen.waitFor((s) => s.lines().some((l) => l === 'ipdb> p have'));
  const rows = screen.lines();
  const at = rows.indexOf(`> src/stock.ts(${throwLine})reserve()`);
  assert.ok(at > 0, `the session's location row is on the screen\n${screen.framed()}`);
  assert.deepEqual(
    rows.slice(at - 1, at + 9),
    [
      'Entering post-mortem session: h for help; c or q ends it and the error goes on.',
      `> src/stock.ts(${throwLine})reserve()`,
      `     ${throwLine - 1}     const have = left.get(line.sku) ?? 0;`,
      `---> ${throwLine}     if (have < line.qty) throw new RangeError(\`only \${have} \${line.sku} left, \${line.qty} wanted\`);`,
      `     ${throwLine + 1}     left.set(line.sku, have - line.qty);`,
      'ipdb> p have',
      '12',
      'ipdb> p (() => { const t = Date.now(); while (Date.now() - t < 1500); return left.get("nut") })()',
      '12',
      'ipdb>',
    ],
    `the session's rows, untouched by Vitest's reporter\n${screen.framed()}`,
  );

  p.type('q');
  const exit = await p.wait(TIMEOUT_MS);
  assert.equal(exit.exitCode, 1, `vitest fails the test\n${p.text}`);
  // And when Vitest goes on, its output comes after the session, which stays on the screen whole.
  await screen.waitFor(/Test Files/);
  const after = screen.lines();
  const from = after.indexOf(`> src/stock.ts(${throwLine})reserve()`);
  assert.deepEqual(
    after.slice(from - 1, from + 10),
    [...rows.slice(at - 1, at + 8), 'ipdb> q', after[from + 9]],
    `the session's rows after it ended\n${screen.framed()}`,
  );
  assert.match(after[from + 9], /test\/stock\.test\.ts/, `Vitest's report goes on below the session\n${screen.framed()}`);
  assert.match(
    p.rest,
    new RegExp(`FAIL {2}test/stock\\.test\\.ts > an order for every nut on the shelf\\nRangeError: ${escapeRegExp(MESSAGE)}`),
  );
  assert.match(p.rest, /Tests {2}1 failed \| 1 passed \(2\)/);
  assert.doesNotMatch(p.rest, /ipdb> /, 'a session opens once per error');
  assert.doesNotMatch(p.text, /ts-pdb: internal fault|timed out/);
}

test('examples/vitest on a terminal (forks, the default pool): a session opens inside the failing test, reads a local, the screen stays clean, q lets Vitest fail it', async (t) => {
  await sessionOnTerminal(t, []);
});

test("examples/vitest on a terminal, threads pool: the worker thread gets the console, not a socket for its thread id's rank", async (t) => {
  await sessionOnTerminal(t, ['--pool', 'threads']);
});

test('examples/vitest on a terminal with --no-file-parallelism: the same session', async (t) => {
  await sessionOnTerminal(t, ['--no-file-parallelism']);
});
