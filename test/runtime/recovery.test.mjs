// `return expr` (issue #6 item 2): the boundary function where the session opened returns a value
// instead of throwing, and the program goes on from its caller; in a real terminal and over a real
// socket, for a method and an async function; refused, with the reason, where nothing can return.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnNode } from '../helpers/pty.mjs';
import { CLI, connectSession, startRun } from '../helpers/run-program.mjs';
import { linkedProject } from '../helpers/socket.mjs';

const APP = `class Trainer {
  // @debuggable
  step(batch: number[]) {
    const loss = batch.reduce((a, b) => a + b, 0) / batch.length;
    if (Number.isNaN(loss)) throw new RangeError(\`loss is NaN for \${batch.length} samples\`);
    return loss;
  }
}

class Shard {
  // @debuggable
  constructor(readonly rows: number) {
    if (rows < 0) throw new Error('negative rows');
  }
}

// @debuggable
async function fetchPrice(id: number) {
  await null;
  if (id === 2) throw new Error(\`no price for \${id}\`);
  return id * 10;
}

async function main() {
  const t = new Trainer();
  const losses = [[1, 2], [NaN, 1], [3, 3]].map((b) => t.step(b));
  console.log('losses', JSON.stringify(losses));
  const prices = [];
  for (const id of [1, 2, 3]) prices.push(await fetchPrice(id));
  console.log('prices', JSON.stringify(prices));
  if (process.env.SHARD) new Shard(-1);
}
main();
`;

const ENV = { CI: undefined, NO_COLOR: '1', TS_PDB_HISTORY: '', IPDB_MODE: undefined, RANK: undefined, WORLD_SIZE: undefined };

test('console: return in a method and in an async function; the program goes on with those values', async () => {
  const dir = linkedProject('recovery-', APP);
  const p = spawnNode([CLI, 'run', 'app.ts'], { cwd: dir, env: { ...ENV, TS_PDB_HOME: path.join(dir, 'home') } });
  try {
    await p.waitFor(/Exception caught in Trainer\.step:[^]*ipdb> $/);
    p.type('return oops(');
    await p.waitFor(/\*\*\* SyntaxError[^\n]*\nipdb> $/);
    p.type('return batch.length - 2');
    await p.waitFor(/Trainer\.step returns 0 instead of throwing; the program goes on\.\n/);
    await p.waitFor(/losses \[1\.5,0,3\]\n/);
    await p.waitFor(/Exception caught in fetchPrice:[^]*ipdb> $/);
    p.type('return id * 100');
    await p.waitFor(/fetchPrice returns 200 instead of throwing/);
    await p.waitFor(/prices \[10,200,30\]\n/);
    assert.equal((await p.wait()).exitCode, 0, 'the program finished normally');
  } finally {
    p.kill();
  }
});

test('console: return with no value returns undefined; in a constructor, return is refused and the error goes on', async () => {
  const dir = linkedProject('recovery-', APP);
  const p = spawnNode([CLI, 'run', 'app.ts'], { cwd: dir, env: { ...ENV, SHARD: '1', TS_PDB_HOME: path.join(dir, 'home') } });
  try {
    await p.waitFor(/Exception caught in Trainer\.step:[^]*ipdb> $/);
    p.type('return');
    await p.waitFor(/losses \[1\.5,null,3\]\n/);
    await p.waitFor(/ipdb> $/);
    p.type('return 7');
    await p.waitFor(/prices \[10,7,30\]\n/);
    await p.waitFor(/Exception caught in Shard\.constructor:[^]*ipdb> $/);
    p.type('return {}');
    await p.waitFor(/\*\*\* return is not available here: Shard\.constructor cannot return a value in place of the error[^\n]*\nipdb> $/);
    p.type('q');
    await p.waitFor(/Error: negative rows/);
    assert.equal((await p.wait()).exitCode, 1);
  } finally {
    p.kill();
  }
});

test('socket: return over nc-style plain text; the goodbye says the program goes on; the rank finishes', async () => {
  const dir = linkedProject('recovery-', APP);
  const rank = startRun(dir, { RANK: '1', WORLD_SIZE: '2', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock') }, 'the rank');
  try {
    const where = (await rank.err.until(/connect with: {2}nc -U (\S+)/))[1];
    const first = await connectSession(where);
    first.send('return -1');
    await first.seen.until(
      /Trainer\.step returns -1 instead of throwing; the program goes on\.\nts-pdb: session ended; Trainer\.step returns the value instead of throwing, the program goes on\.\n$/,
    );
    await rank.out.until(/losses \[1\.5,-1,3\]\n/);
    // The async boundary opens a second session on the same path.
    await rank.err.until(/rank 1 \(pid \d+\) stopped: Error: no price for 2/);
    const second = await connectSession(where, undefined, 'the second client');
    second.send('q');
    assert.equal(await rank.exited, 1);
    assert.match(rank.err.text, /Error: no price for 2\n {4}at fetchPrice/);
  } finally {
    rank.kill();
  }
});

const FLAKY = `let attempts = 0;
class Client {
  // @debuggable
  fetch(url: string) {
    attempts++;
    const status = attempts < 3 ? 503 : 200;
    if (status !== 200) throw new Error(\`HTTP \${status} for \${url}\`);
    return \`body of \${url} after \${attempts} attempts\`;
  }
}

// @debuggable
function* pages(n: number) {
  yield 1;
  if (n > 1) throw new Error('page 2 is gone');
}

console.log(new Client().fetch('/data'));
for (const p of pages(2)) console.log('page', p);
`;

test('console: interact (Ctrl-D returns to the session), then retry runs the boundary again (a session opens again if it throws again); generators cannot be retried', async () => {
  const dir = linkedProject('recovery-', FLAKY);
  const p = spawnNode([CLI, 'run', 'app.ts'], { cwd: dir, env: { ...ENV, TS_PDB_HOME: path.join(dir, 'home') } });
  try {
    await p.waitFor(/Exception caught in Client\.fetch:\nError: HTTP 503 for \/data[^]*ipdb> $/);
    p.type('p attempts');
    await p.waitFor(/\n1\nipdb> $/);
    // interact: a nested REPL in the frame's scope; Ctrl-D returns to the session.
    p.type('interact');
    await p.waitFor(/\*interactive\*[^\n]*\n>>> $/);
    p.type('const tried = attempts');
    await p.waitFor(/>>> $/);
    p.type('`${url} tried ${tried}`');
    await p.waitFor(/'\/data tried 1'\n>>> $/);
    p.key('\x04');
    await p.waitFor(/now exiting interactive mode\.\.\.\r?\nipdb> $/);
    p.type('retry');
    await p.waitFor(/Client\.fetch runs again from its first line; the program goes on from there\.\n/);
    // Still 503 on the second attempt: a new session on the new error.
    await p.waitFor(/Exception caught in Client\.fetch:\nError: HTTP 503 for \/data[^]*ipdb> $/);
    p.type('p attempts');
    await p.waitFor(/\n2\nipdb> $/);
    p.type('retry');
    await p.waitFor(/body of \/data after 3 attempts\n/);
    await p.waitFor(/page 1\n[^]*Exception caught in pages:[^]*ipdb> $/);
    p.type('retry');
    await p.waitFor(/\*\*\* retry is not available here: pages cannot be run again \(a generator[^\n]*\nipdb> $/);
    p.type('return');
    await p.waitFor(/pages returns undefined instead of throwing/);
    assert.equal((await p.wait()).exitCode, 0);
  } finally {
    p.kill();
  }
});

test('socket: retry, and interact (a nested REPL; .exit returns to the session), over plain text', async () => {
  const dir = linkedProject('recovery-', FLAKY);
  const rank = startRun(dir, { RANK: '1', WORLD_SIZE: '2', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock') }, 'the rank');
  try {
    const where = (await rank.err.until(/connect with: {2}nc -U (\S+)/))[1];
    const { send, seen } = await connectSession(where);
    send('interact');
    await seen.until(/\*interactive\*[^\n]*\n>>> $/);
    send('const next = attempts + 1');
    await seen.until(/>>> >>> $/);
    send('next * 10');
    await seen.until(/>>> 20\n>>> $/);
    send('.exit');
    await seen.until(/now exiting interactive mode\.\.\.\n\(rank-1-pdb\) $/);
    send('retry');
    await seen.until(/Client\.fetch runs again from its first line; the program goes on from there\.\n/);
    // The second attempt fails too: a new session, on the same path.
    await rank.err.until(
      /rank 1 \(pid \d+\) stopped: Error: HTTP 503 for \/data[^]*rank 1 \(pid \d+\) stopped: Error: HTTP 503 for \/data/,
    );
    (await connectSession(where, undefined, 'the second client')).send('retry');
    await rank.out.until(/body of \/data after 3 attempts\n/);
    await rank.err.until(/stopped: Error: page 2 is gone/);
    (await connectSession(where, undefined, 'the third client')).send('q');
    assert.equal(await rank.exited, 1);
    assert.match(rank.err.text, /Error: page 2 is gone\n {4}at pages/);
  } finally {
    rank.kill();
  }
});
