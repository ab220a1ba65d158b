// Uncaught errors (issue #6 item 5): with `ts-pdb run` (or IPDB_ON_UNCAUGHT=1), an exception nobody
// catches, or a rejection nobody handles, opens a session with every frame captured on its way
// ("instrument all"), then the process ends as Node would have: Node's own message, exit code 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';
import { linkedProject } from '../helpers/socket.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');

const SYNC = `function parse(line: string) {
  const fields = line.split(',');
  return fields.map((f) => {
    const n = Number(f);
    if (Number.isNaN(n)) throw new Error(\`bad number \${JSON.stringify(f)}\`);
    return n;
  });
}
function load(rows: string[]) {
  let total = 0;
  for (const row of rows) total += parse(row).length;
  return total;
}
console.log('loaded', load(['1,2', '3,x']));
`;

const ASYNC = `async function fetchRow(id: number) {
  await null;
  const row = { id, price: id === 2 ? undefined : 10 };
  if (row.price === undefined) throw new TypeError(\`row \${id} has no price\`);
  return row.price;
}
async function sum(ids: number[]) {
  let total = 0;
  for (const id of ids) total += await fetchRow(id);
  return total;
}
sum([1, 2, 3]).then((t) => console.log('total', t));
`;

/** Runs `ts-pdb run app.ts` without a terminal; resolves with its output and exit code. */
function run(dir, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        CI: '1',
        NO_COLOR: '1',
        TS_PDB_INSTRUMENT: 'all',
        IPDB_MODE: '',
        RANK: '',
        TS_PDB_HOME: path.join(dir, 'home'),
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test("an uncaught exception: the report has every frame with its locals, then Node's own message and exit code 1", async () => {
  const dir = linkedProject('uncaught-', SYNC);
  const r = await run(dir);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '', 'the program did not go on');
  assert.match(r.stderr, /^Uncaught exception in <anonymous>:\nTraceback \(most recent call last\):/m);
  // Every instrumented frame on the way, outermost first, with its locals.
  assert.match(r.stderr, /File "app\.ts", line 11, in load\n.*\n {6}rows = \[ '1,2', '3,x' \]\n {6}total = 2\n {6}row = '3,x'/);
  assert.match(r.stderr, /File "app\.ts", line 3, in parse\n.*\n {6}line = '3,x'\n {6}fields = \[ '3', 'x' \]/);
  assert.match(r.stderr, /File "app\.ts", line 5, in <anonymous>\n.*\n {6}f = 'x'\n {6}n = NaN/);
  // Then Node, as without ts-pdb: the source line, the error and its stack.
  const node = r.stderr.slice(r.stderr.lastIndexOf('app.ts:5\n'));
  assert.match(
    node,
    /^app\.ts:5\n.*throw new Error[^]*\n\nError: bad number "x"\n {4}at <anonymous> \(.*app\.ts:5:\d+\)\n {4}at Array\.map/,
  );
  assert.match(r.stderr, /Node\.js v\d+/);
});

test("an unhandled rejection of an async chain: the session has the async frames, then Node's message and exit code 1", async () => {
  const dir = linkedProject('uncaught-', ASYNC);
  const r = await run(dir);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^Uncaught exception in fetchRow:/m);
  assert.match(r.stderr, /in fetchRow\n.*\n {6}id = 2\n {6}row = \{ id: 2, price: undefined \}/);
  assert.match(r.stderr, /in sum\n.*\n {6}ids = \[ 1, 2, 3 \]\n {6}total = 10\n {6}id = 2/);
  assert.match(r.stderr, /TypeError: row 2 has no price\n {4}at fetchRow \(.*app\.ts:4:\d+\)/);
});

test('IPDB_ON_UNCAUGHT=0 leaves an uncaught exception to Node alone', async () => {
  const dir = linkedProject('uncaught-', SYNC);
  const r = await run(dir, { IPDB_ON_UNCAUGHT: '0' });
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /Uncaught exception in|Traceback/);
  assert.match(r.stderr, /Error: bad number "x"/);
});

test('a caught exception opens nothing: only the uncaught ones do', async () => {
  const dir = linkedProject(
    'uncaught-',
    `${SYNC.replace("console.log('loaded', load(['1,2', '3,x']));", '')}
try { load(['y']); } catch (e) { console.log('handled', (e as Error).message); }
console.log('loaded', load(['1,2']));
`,
  );
  const r = await run(dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'handled bad number "y"\nloaded 2\n');
  assert.equal(r.stderr, '');
});

test('in a terminal: the session opens on the uncaught exception; q lets Node end the process', async () => {
  const dir = linkedProject('uncaught-', SYNC);
  const p = spawnNode([CLI, 'run', 'app.ts'], {
    cwd: dir,
    env: {
      CI: undefined,
      NO_COLOR: '1',
      TS_PDB_INSTRUMENT: 'all',
      IPDB_MODE: undefined,
      RANK: undefined,
      TS_PDB_HOME: path.join(dir, 'home'),
      TS_PDB_HISTORY: '',
    },
  });
  try {
    await p.waitFor(/Uncaught exception in <anonymous>:[^]*ipdb> $/);
    p.type('p f, n');
    await p.waitFor(/NaN\nipdb> $/);
    p.type('u');
    await p.waitFor(/app\.ts\(3\)parse\(\)[^]*ipdb> $/);
    p.type('p fields');
    await p.waitFor(/\[ '3', 'x' \]\nipdb> $/);
    p.type('q');
    await p.waitFor(/Error: bad number "x"\n {4}at <anonymous>/);
    assert.equal((await p.wait()).exitCode, 1);
  } finally {
    p.kill();
  }
});
