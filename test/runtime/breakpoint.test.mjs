// Live breakpoints (issue #6 item 1): `breakpoint({ ranks })` stops the listed ranks at the call
// with a session on the live frame; locals are read and written (the program sees the change when
// it goes on), `c` continues, `q` asks before ending the program; other ranks run on. In a real
// terminal, over a real socket in a Node cluster job, and without a terminal (the report).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { KEYS, spawnNode } from '../helpers/pty.mjs';
import { CLI, connectSession, startRun } from '../helpers/run-program.mjs';
import { linkedProject } from '../helpers/socket.mjs';

const TRAIN = `import { breakpoint, Debugger } from 'ts-pdb';

function train(steps: number) {
  let lr = 0.1;
  const name = 'model';
  for (let step = 0; step < steps; step++) {
    const loss = 1 / (step + 1);
    if (step === 2) breakpoint();
    lr = lr * 0.5;
    console.log(\`\${name} step \${step} lr \${lr}\`);
  }
  if (process.env.SET_TRACE) Debugger.setTrace({ ranks: [0] });
  return lr;
}
console.log('final', train(4));
`;

const ENV = { CI: undefined, NO_COLOR: '1', TS_PDB_HISTORY: '', IPDB_MODE: undefined, RANK: undefined, WORLD_SIZE: undefined };

test('console: the program stops at the call; locals are read and written, c goes on with the new value', async () => {
  const dir = linkedProject('breakpoint-', TRAIN);
  const p = spawnNode([CLI, 'run', 'app.ts'], { cwd: dir, env: { ...ENV, TS_PDB_HOME: path.join(dir, 'home') } });
  try {
    await p.waitFor(/model step 1 lr 0\.025\n/);
    await p.waitFor(/Breakpoint in train: the program is stopped here[^]*> app\.ts\(8\)train\(\)[^]*ipdb> $/);
    assert.doesNotMatch(p.text, /model step 2/, 'stopped before the rest of step 2');
    p.type('p [lr, loss, step, steps, name]');
    await p.waitFor(/\[ 0\.025, 0\.3333333333333333, 2, 4, 'model' \]\nipdb> $/);
    p.type('lr = 8');
    await p.waitFor(/ipdb> $/);
    // name is a const: the program would keep its value, and the session says so at the assignment.
    p.type('name = "other"');
    await p.waitFor(/name = "other"\n\*\*\* name is a const: the program keeps its value\nipdb> $/);
    p.type('p [lr, name]');
    await p.waitFor(/\[ 8, 'model' \]\nipdb> $/);
    p.type('c');
    await p.waitFor(/model step 2 lr 4\n/);
    assert.doesNotMatch(p.text, /not changed in the program/, 'nothing more to say after c');
    await p.waitFor(/final 2\n/);
    assert.equal((await p.wait()).exitCode, 0);
  } finally {
    p.kill();
  }
});

test('console: q asks first; "n" keeps the session, "y" ends the program', async () => {
  const dir = linkedProject('breakpoint-', TRAIN);
  const p = spawnNode([CLI, 'run', 'app.ts'], { cwd: dir, env: { ...ENV, TS_PDB_HOME: path.join(dir, 'home') } });
  try {
    await p.waitFor(/ipdb> $/);
    p.type('q');
    await p.waitFor(/Quit\? This ends the program \(y\/n\) $/);
    p.type('n');
    await p.waitFor(/Not quitting: c lets the program go on\.\nipdb> $/);
    p.type('q');
    await p.waitFor(/\(y\/n\) $/);
    p.type('y');
    await p.waitFor(/ts-pdb: quit at a breakpoint: the program ends\.\n/);
    assert.equal((await p.wait()).exitCode, 1);
    assert.doesNotMatch(p.text, /model step 2|final/);
  } finally {
    p.kill();
  }
});

test("console: Ctrl-D at q's question does not quit; Ctrl-D at the prompt lets the program go on", async () => {
  const dir = linkedProject('breakpoint-', TRAIN);
  const p = spawnNode([CLI, 'run', 'app.ts'], { cwd: dir, env: { ...ENV, TS_PDB_HOME: path.join(dir, 'home') } });
  try {
    await p.waitFor(/ipdb> $/);
    p.type('q');
    await p.waitFor(/Quit\? This ends the program \(y\/n\) $/);
    p.key(KEYS.ctrlD);
    await p.waitFor(/Not quitting: c lets the program go on\.\nipdb> $/);
    p.type('p step');
    await p.waitFor(/\n2\nipdb> $/);
    p.key(KEYS.ctrlD);
    await p.waitFor(/model step 2 lr 0\.0125\n[^]*final 0\.00625\n/);
    assert.equal((await p.wait()).exitCode, 0);
  } finally {
    p.kill();
  }
});

test('ranks: Debugger.setTrace({ ranks: [0] }) stops rank 0 only; breakpoint() with no ranks stops every rank', async () => {
  const dir = linkedProject('breakpoint-', TRAIN);
  // Rank 1, no terminal (CI): breakpoint() stops and reports (every rank); setTrace({ ranks: [0] }) does not.
  const run = startRun(dir, { RANK: '1', WORLD_SIZE: '2', IPDB_MODE: 'console', SET_TRACE: '1' });
  const r = { code: await run.exited, stdout: run.out.text, stderr: run.err.text };
  assert.equal(r.code, 0, r.stderr);
  assert.equal((r.stderr.match(/Breakpoint in train/g) ?? []).length, 1, r.stderr);
  assert.match(
    r.stderr,
    /File "app\.ts", line 8, in train\n.*\n {6}loss = 0\.3333333333333333\n {6}step = 2\n {6}steps = 4\n {6}lr = 0\.025\n {6}name = 'model'/,
  );
  assert.match(r.stdout, /model step 3 lr 0\.00625\nfinal 0\.00625\n$/);
});

const CLUSTER = `import cluster from 'node:cluster';
import { breakpoint } from 'ts-pdb';

function work(id: number) {
  let budget = id * 10;
  const label = \`worker \${id}\`;
  breakpoint({ ranks: [2] });
  return \`\${label} budget \${budget}\`;
}

if (cluster.isPrimary) {
  const done: string[] = [];
  for (let i = 0; i < 3; i++) cluster.fork();
  cluster.on('exit', (w, code) => {
    done.push(\`worker \${w.id} exit \${code}\`);
    if (done.length === 3) console.log(done.sort().join('; '));
  });
} else {
  console.log(work(cluster.worker!.id));
  process.exit(0);
}
`;

test('cluster: a breakpoint on rank 2 stops only rank 2 (socket); nc changes a local; c lets it finish with it', async () => {
  const dir = linkedProject('breakpoint-', CLUSTER);
  const job = startRun(dir, { RANK: '', WORLD_SIZE: '', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock') }, 'the job');
  try {
    const where = (
      await job.err.until(
        /\| ts-pdb: rank 2 \(pid \d+\) stopped: a breakpoint \(the program waits; c lets it go on\) +\|\n\| connect with: {2}nc -U (\S+) +\|/,
      )
    )[1];
    await job.out.until(/worker 1 budget 10\n[^]*worker 3 budget 30\n|worker 3 budget 30\n[^]*worker 1 budget 10\n/);
    const { socket, send, seen } = await connectSession(where, /Breakpoint in work[^]*\(rank-2-pdb\) $/);
    send('p budget');
    await seen.until(/\) 20\n\(rank-2-pdb\) $/);
    send('budget = 99');
    await seen.until(/\(rank-2-pdb\) \(rank-2-pdb\) $/);
    // A const: the client is told at the assignment (not the rank's stderr after c).
    send('label = "x"');
    await seen.until(/\(rank-2-pdb\) \*\*\* label is a const: the program keeps its value\n\(rank-2-pdb\) $/);
    send('c');
    await job.out.until(/worker 2 budget 99\n/);
    await job.out.until(/worker 1 exit 0; worker 2 exit 0; worker 3 exit 0/);
    assert.equal(await job.exited, 0);
    assert.doesNotMatch(job.err.text, /not changed in the program|is a const/, "nothing about the const on the rank's stderr");
    socket.destroy();
  } finally {
    job.kill();
  }
});
