// Sessions under Vitest with the ts-pdb Vite plugin, on a real pseudo-terminal, in the cases
// examples/vitest does not show: several failing test files at once (the workers take turns on
// the terminal, one session at a time, in both pools), the reporter's output held while a session
// has the terminal, Vitest's timeouts while a session is open, and `instrument: "all"` (a test that
// fails through a function that is not marked). Each project is a scratch folder
// (test/helpers/vitest-project.mjs) run by the checkout's Vitest. And an explicit IPDB_MODE still
// wins over the console every Vitest worker gets: socket mode, with a real `nc -U` client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { cleanEnv, ptyEnv, scratch } from '../helpers/examples.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';
import { spawnNode } from '../helpers/pty.mjs';
import { collect, needNc } from '../helpers/socket.mjs';
import { failingTest, STOCK_TS, VITEST, vitestProject } from '../helpers/vitest-project.mjs';

const TIMEOUT_MS = 120_000;
const PROMPT = /\nipdb> $/;

/** Vitest on a pseudo-terminal in `dir`, debugging on, IPDB_MODE unset, its own private folder for the terminal's turns. */
function vitestOnTerminal(t, dir, args) {
  const home = scratch(t, 'vitest-sessions-');
  const p = spawnNode([VITEST, 'run', ...args], {
    cwd: dir,
    cols: 120,
    rows: 50,
    env: ptyEnv({ IPDB_DEBUG: '1', NO_COLOR: '1', TS_PDB_HISTORY: '', TS_PDB_HOME: home, IPDB_DUMP_DIR: path.join(home, 'dumps') }),
  });
  t.after(() => p.kill());
  return p;
}

/** One session: waits for its prompt, reads `line.qty`, quits; returns what it read. */
async function oneSession(p) {
  await p.waitFor(PROMPT, TIMEOUT_MS);
  p.type('p line.qty');
  const qty = Number((await p.waitFor(/\n(\d+)(?=\n)/))[1]);
  await p.waitFor(PROMPT);
  p.type('q');
  return qty;
}

for (const pool of ['threads', 'forks']) {
  test(`two test files failing at once (${pool} pool): their sessions take turns on the terminal, each with its own locals`, async (t) => {
    const dir = vitestProject(t, {
      'src/stock.ts': STOCK_TS,
      'test/a.test.ts': failingTest('twenty nuts', 20),
      'test/b.test.ts': failingTest('thirty nuts', 30),
    });
    const p = vitestOnTerminal(t, dir, ['--pool', pool, '--maxWorkers=2']);
    const first = await oneSession(p);
    const second = await oneSession(p);
    assert.deepEqual([first, second].sort(), [20, 30], 'each session is its own test');
    const exit = await p.wait(TIMEOUT_MS);
    assert.equal(exit.exitCode, 1, p.text);
    assert.match(p.text, /Tests {2}2 failed \(2\)/);
    // One session at a time: the second's banner comes after the first one's `q`.
    const quits = [...p.text.matchAll(/ipdb> q\n/g)].map((m) => m.index);
    const banners = [...p.text.matchAll(/^Exception caught in reserve:$/gm)].map((m) => m.index);
    assert.equal(banners.length, 2, p.text);
    assert.ok(banners[1] > quits[0], `the second session opened after the first ended\n${p.text}`);
    assert.doesNotMatch(p.text, /ts-pdb: internal fault|timed out|nc -U/);
  });
}

for (const pool of ['forks', 'threads']) {
  test(`what Vitest prints while a session is open waits for its end (${pool} pool): another test file's output and result`, async (t) => {
    // The second file's test passes as soon as the first file's session has the terminal, and logs.
    const dir = vitestProject(t, {
      'src/stock.ts': STOCK_TS,
      'test/a.test.ts': failingTest('twenty nuts', 20),
      'test/c.test.ts': `import fs from 'node:fs';
import path from 'node:path';
import { test, vi } from 'vitest';

test('meanwhile', async () => {
  const locks = path.join(process.env.TS_PDB_HOME!, 'terminals');
  await vi.waitFor(
    () => {
      if (!fs.existsSync(locks) || !fs.readdirSync(locks).some((k) => fs.existsSync(path.join(locks, k, 'holder')))) throw new Error('no session yet');
    },
    { timeout: 60_000, interval: 20 },
  );
  console.log('logged while the other test was in its session');
});
`,
    });
    const p = vitestOnTerminal(t, dir, ['--pool', pool, '--maxWorkers=2']);
    await p.waitFor(PROMPT, TIMEOUT_MS);
    // The session goes on for a while: long enough for the other test to end and Vitest to report it.
    p.type('p (() => { const t = Date.now(); while (Date.now() - t < 1500); return line.qty })()');
    await p.waitFor(/\n20(?=\n)/);
    await p.waitFor(PROMPT);
    const during = p.text;
    p.type('q');
    const exit = await p.wait(TIMEOUT_MS);
    assert.equal(exit.exitCode, 1, p.text);
    const session = during.slice(during.indexOf('Entering post-mortem session'));
    assert.doesNotMatch(session, /logged while|c\.test\.ts/, `nothing of Vitest's in the session\n${session}`);
    const after = p.text.slice(p.text.lastIndexOf('ipdb> q'));
    assert.match(after, /logged while the other test was in its session/, p.text);
    assert.match(after, /✓ test\/c\.test\.ts/, p.text);
    assert.match(p.text, /Tests {2}1 failed \| 1 passed \(2\)/);
  });
}

test("Vitest's timeouts while a session is open: a test that goes on after its session passes, one that fails does with its own error", async (t) => {
  const dir = vitestProject(
    t,
    {
      'src/stock.ts': STOCK_TS,
      'test/timeouts.test.ts': `import { expect, test } from 'vitest';
import { reserve } from '../src/stock';

test('an order too big is refused', () => {
  const wanted = 20;
  expect(() => reserve(new Map([['nut', 12]]), [{ sku: 'nut', qty: wanted }])).toThrow(RangeError);
});

test('its own timeout', () => {
  const wanted = 30;
  expect(reserve(new Map([['nut', 12]]), [{ sku: 'nut', qty: wanted }]).get('nut')).toBe(0);
}, 1000);
`,
    },
    { test: '{ testTimeout: 1000 }' },
  );
  const p = vitestOnTerminal(t, dir, []);
  for (const wanted of [20, 30]) {
    await p.waitFor(PROMPT, TIMEOUT_MS);
    // Longer than both timeouts (1 s).
    p.type('p (() => { const t = Date.now(); while (Date.now() - t < 1500); return line.qty })()');
    await p.waitFor(new RegExp(`\\n${wanted}(?=\\n)`));
    await p.waitFor(PROMPT);
    p.type('q');
  }
  const exit = await p.wait(TIMEOUT_MS);
  assert.equal(exit.exitCode, 1, p.text);
  assert.match(
    p.text,
    /✓ an order too big is refused/,
    'the test that caught the error passes, though its session took longer than testTimeout',
  );
  assert.match(p.text, /FAIL {2}test\/timeouts\.test\.ts > its own timeout\nRangeError: only 12 nut left, 30 wanted/);
  assert.doesNotMatch(p.text, /timed out/);
  assert.match(p.text, /Tests {2}1 failed \| 1 passed \(2\)/);
});

test('instrument "all": a test that fails through a function that is not marked opens the session, with that function\'s locals; a passing test is left alone', async (t) => {
  const dir = vitestProject(
    t,
    {
      'src/share.ts': `export interface Owner {
  name: string;
  parts: number;
}

export function share(total: number, owners: Owner[]) {
  const parts = owners.reduce((n, o) => n + o.parts, 0);
  if (parts === 0) throw new Error(\`nothing to share \${total} by\`);
  return owners.map((o) => ({ name: o.name, amount: (total * o.parts) / parts }));
}
`,
      'test/share.test.ts': `import { expect, test } from 'vitest';
import { share } from '../src/share';

test('shares by parts', () => {
  expect(share(90, [{ name: 'a', parts: 2 }, { name: 'b', parts: 1 }])[0].amount).toBe(60);
});

test('nobody has a part', async () => {
  const owners = await Promise.resolve([{ name: 'a', parts: 0 }]);
  expect(share(90, owners)).toHaveLength(1);
});
`,
    },
    { plugin: "{ instrument: 'all' }" },
  );
  const p = vitestOnTerminal(t, dir, []);
  const banner = (await p.waitFor(PROMPT, TIMEOUT_MS)).input;
  assert.match(banner, /^> src\/share\.ts\(8\)share\(\)$/m, 'the session starts at the throw, in the function that is not marked');
  p.type('p parts');
  await p.waitFor(/\n0(?=\n)/);
  await p.waitFor(PROMPT);
  p.type('u');
  await p.waitFor(/test\/share\.test\.ts\(10\)/);
  await p.waitFor(PROMPT);
  p.type('p owners');
  await p.waitFor(/\[ \{ name: 'a', parts: 0 \} \]/);
  await p.waitFor(PROMPT);
  p.type('q');
  const exit = await p.wait(TIMEOUT_MS);
  assert.equal(exit.exitCode, 1, p.text);
  assert.equal(p.text.match(/Entering post-mortem session/g)?.length, 1, 'one session: the passing test opens none');
  assert.match(p.text, /✓ shares by parts/);
  assert.match(p.text, /FAIL {2}test\/share\.test\.ts > nobody has a part\nError: nothing to share 90 by/);
});

test("an explicit IPDB_MODE=socket wins: the failing test's worker (threads pool) waits on its socket, numbered by its pool slot; nc reads a local and quits, the test fails", async (t) => {
  if (!needNc(t)) return;
  const dir = vitestProject(t, { 'src/stock.ts': STOCK_TS, 'test/a.test.ts': failingTest('twenty nuts', 20) });
  const home = scratch(t, 'vitest-sessions-');
  const prefix = path.join(home, 'pdb.sock');
  const job = spawn(process.execPath, [VITEST, 'run', '--pool', 'threads'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv({
      CI: 'true',
      IPDB_DEBUG: '1',
      IPDB_MODE: 'socket',
      IPDB_SOCK_PATH: prefix,
      NO_COLOR: '1',
      TS_PDB_HOME: home,
      IPDB_DUMP: '0',
    }),
  });
  t.after(() => killGroup(job));
  const out = collect(job.stdout, 'vitest (stdout)', TIMEOUT_MS);
  const err = collect(job.stderr, 'vitest (stderr)', TIMEOUT_MS);
  const exited = new Promise((resolve) => job.on('close', resolve));
  const box = await err.until(/\| connect with: {2}nc -U (\S+) +\|/);
  assert.equal(box[1], `${prefix}.0`, 'the first pool slot: rank 0, not the thread id');
  const nc = spawn('nc', ['-U', box[1]], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => nc.kill());
  const seen = collect(nc.stdout, 'nc', TIMEOUT_MS);
  await seen.until(/ipdb> $/);
  nc.stdin.write('p have\n');
  await seen.until(/ipdb> 12\nipdb> $/);
  nc.stdin.write('q\n');
  assert.equal(await exited, 1, `${out.text}\n${err.text}`);
  assert.match(out.text + err.text, /FAIL {2}test\/a\.test\.ts > twenty nuts\nRangeError: only 12 nut left, 20 wanted/);
});

test("watch mode: what is typed into the session goes to the session, not to Vitest's own keys; after it they work again", async (t) => {
  const dir = vitestProject(t, { 'src/stock.ts': STOCK_TS, 'test/a.test.ts': failingTest('twenty nuts', 20) });
  // `vitest` on a terminal watches (and reads its keys: `p` filters, `q` quits, ...).
  const home = scratch(t, 'vitest-sessions-');
  const p = spawnNode([VITEST], {
    cwd: dir,
    cols: 120,
    rows: 50,
    env: ptyEnv({ IPDB_DEBUG: '1', NO_COLOR: '1', TS_PDB_HISTORY: '', TS_PDB_HOME: home, IPDB_DUMP_DIR: path.join(home, 'dumps') }),
  });
  t.after(() => p.kill());
  await p.waitFor(PROMPT, TIMEOUT_MS);
  // At once, as the prompt shows: Vitest must already have stopped reading its keys.
  p.type('p line.qty');
  await p.waitFor(/\n20(?=\n)/);
  await p.waitFor(PROMPT);
  p.type('q');
  await p.waitFor(/Tests failed\. Watching for file changes/, TIMEOUT_MS);
  assert.doesNotMatch(p.text, /cancelled|Filter|pattern/i, "none of the session's keys reached Vitest");
  p.key('q');
  const exit = await p.wait(TIMEOUT_MS);
  assert.equal(exit.exitCode, 1, p.text);
});

test("one runtime: debugging switched on from code (ts-pdb's Debugger, in a setup file) is the switch the instrumented code reads, with ts-pdb linked outside node_modules", (t) => {
  // Here ts-pdb is this checkout by self-reference, as a linked or workspace package is: outside any
  // node_modules, which Vitest would run through its module runner unless the plugin keeps it external.
  const dir = vitestProject(
    t,
    {
      'src/stock.ts': STOCK_TS,
      'test/setup.ts': "import { Debugger } from 'ts-pdb';\nDebugger.enabled = true;\n",
      'test/a.test.ts': failingTest('twenty nuts', 20),
    },
    { test: "{ setupFiles: ['test/setup.ts'] }" },
  );
  const r = spawnSync(process.execPath, [VITEST, 'run'], {
    cwd: dir,
    encoding: 'utf8',
    env: cleanEnv({ CI: 'true', IPDB_DUMP: '0', NO_COLOR: '1' }), // no IPDB_DEBUG
    input: '',
    timeout: TIMEOUT_MS,
  });
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 1, out);
  assert.match(out, /^Exception caught in reserve:$/m, out);
  assert.match(out, /^ {6}have = 12$/m, out);
});
