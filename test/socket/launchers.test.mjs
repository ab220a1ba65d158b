// Real launchers (issue #4 item 6): a Node `cluster` job of 3 workers where one throws. The failing
// worker (rank = its cluster id) waits on its socket; a real `nc -U` reads a local and quits; that
// worker ends with its original error while the others finish normally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { collect, linkedProject, needNc } from '../helpers/socket.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');

const CLUSTER_APP = `import cluster from 'node:cluster';

// @debuggable
function work(id: number) {
  const shard = { id, items: id * 10 };
  if (id === 2) throw new Error(\`worker \${id} failed on shard \${shard.items}\`);
  return shard.items;
}

if (cluster.isPrimary) {
  const results: string[] = [];
  for (let i = 0; i < 3; i++) cluster.fork();
  cluster.on('exit', (w, code) => {
    results.push(\`worker \${w.id} exit \${code}\`);
    if (results.length === 3) console.log(results.sort().join('; '));
  });
} else {
  console.log(\`worker \${cluster.worker!.id} did \${work(cluster.worker!.id)}\`);
  process.exit(0);
}
`;

test('cluster, 3 workers: worker 2 throws, waits on pdb.sock.2; nc -U reads its local and quits; the others finish', async (t) => {
  if (!needNc(t)) return;
  const dir = linkedProject('cluster-', CLUSTER_APP);
  const prefix = path.join(dir, 'pdb.sock');
  const job = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', IPDB_SOCK_PATH: prefix, IPDB_MODE: '', NO_COLOR: '1', TS_PDB_HOME: path.join(dir, 'home') },
  });
  const out = collect(job.stdout, 'the job (stdout)');
  const err = collect(job.stderr, 'the job (stderr)');
  const exited = new Promise((resolve) => job.on('close', resolve));
  try {
    const box = await err.until(
      /\| ts-pdb: rank 2 \(pid \d+\) stopped: Error: worker 2 failed on shard 20 +\|\n\| connect with: {2}nc -U (\S+) +\|/,
    );
    assert.equal(box[1], `${prefix}.2`);
    // The other workers finish while rank 2 waits.
    await out.until(/worker 1 did 10[^]*worker 3 did 30|worker 3 did 30[^]*worker 1 did 10/);

    const nc = spawn('nc', ['-U', box[1]], { stdio: ['pipe', 'pipe', 'pipe'] });
    const seen = collect(nc.stdout, 'nc');
    await seen.until(/\(rank-2-pdb\) $/);
    nc.stdin.write('p shard\n');
    await seen.until(/\{ id: 2, items: 20 \}\n\(rank-2-pdb\) $/);
    nc.stdin.write('q\n');
    await out.until(/worker 1 exit 0; worker 2 exit 1; worker 3 exit 0/);
    assert.match(err.text, /Error: worker 2 failed on shard 20\n {4}at work \(.*app\.ts:6:\d+\)/);
    assert.equal(await exited, 0, 'the primary ends normally');
  } finally {
    killGroup(job);
  }
});

/**
 * Runs `ts-pdb run app.ts` in `dir`; waits for rank `rank`'s box (any rank when undefined), connects
 * with nc, sends `command`, expects `answer`, quits; returns the job's output, exit code and the rank.
 */
async function debugOneRank(t, dir, rank, command, answer) {
  if (!needNc(t)) return undefined;
  const prefix = path.join(dir, 'pdb.sock');
  const job = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CI: 'true',
      IPDB_SOCK_PATH: prefix,
      IPDB_MODE: '',
      NO_COLOR: '1',
      TS_PDB_HOME: path.join(dir, 'home'),
      RANK: '',
      WORLD_SIZE: '',
    },
  });
  const out = collect(job.stdout, 'the job (stdout)');
  const err = collect(job.stderr, 'the job (stderr)');
  const exited = new Promise((resolve) => job.on('close', resolve));
  try {
    const box = await err.until(new RegExp(`connect with: {2}nc -U (\\S+\\.(${rank ?? '\\d+'})) `));
    const nc = spawn('nc', ['-U', box[1]], { stdio: ['pipe', 'pipe', 'pipe'] });
    const seen = collect(nc.stdout, 'nc');
    await seen.until(new RegExp(`\\(rank-${box[2]}-pdb\\) $`));
    nc.stdin.write(command + '\n');
    await seen.until(answer);
    nc.stdin.write('q\n');
    const code = await exited;
    return { out, err, code, rank: Number(box[2]) };
  } finally {
    killGroup(job);
  }
}

test('child_process.fork with RANK/WORLD_SIZE: rank 1 of 3 throws; nc reads it; ranks 0 and 2 finish', async (t) => {
  const dir = linkedProject(
    'fork-',
    `import { fork } from 'node:child_process';

// @debuggable
function step(rank: number) {
  const grad = [rank, rank * 2];
  if (rank === 1) throw new RangeError(\`rank \${rank}: gradient overflow\`);
  return grad.length;
}

if (!process.env.RANK) {
  let done = 0;
  const codes: string[] = [];
  for (let r = 0; r < 3; r++) {
    fork(__filename, [], { env: { ...process.env, RANK: String(r), WORLD_SIZE: '3' } }).on('exit', (code) => {
      codes[r] = \`rank \${r} exit \${code}\`;
      if (++done === 3) console.log(codes.join('; '));
    });
  }
} else {
  console.log(\`rank \${process.env.RANK} did \${step(Number(process.env.RANK))}\`);
}
`,
  );
  const r = await debugOneRank(t, dir, 1, 'p grad', /\[ 1, 2 \]\n\(rank-1-pdb\) $/);
  if (!r) return;
  await r.out.until(/rank 0 exit 0; rank 1 exit 1; rank 2 exit 0/);
  assert.match(r.out.text, /rank 0 did 2/);
  assert.match(r.out.text, /rank 2 did 2/);
  assert.match(r.err.text, /RangeError: rank 1: gradient overflow/);
  assert.equal(r.code, 0);
});

test('worker_threads: the thread that throws (rank = its threadId) waits on its socket; the main thread and the other thread go on', async (t) => {
  const dir = linkedProject(
    'threads-',
    `import { Worker, isMainThread, threadId } from 'node:worker_threads';

// @debuggable
function compute(n: number) {
  const table = { n, square: n * n };
  if (n === 2) throw new TypeError(\`thread \${threadId} cannot compute \${n}\`);
  return table.square;
}

if (isMainThread) {
  const codes: string[] = [];
  for (const n of [1, 2]) {
    const w = new Worker(__filename, { workerData: n });
    w.on('error', (e) => codes.push(\`thread \${n} error \${(e as Error).message}\`));
    w.on('exit', () => { if (codes.push(\`thread \${n} exit\`) && codes.length >= 3) console.log(codes.sort().join('; ')); });
  }
} else {
  const { workerData } = require('node:worker_threads');
  console.log(\`thread \${threadId} squared \${compute(workerData)}\`);
}
`,
  );
  // Thread ids count every thread, the loader's own hooks thread of \`ts-pdb run\` included: the
  // failing thread's rank is the id it reports itself.
  const r = await debugOneRank(t, dir, undefined, 'p table', /\{ n: 2, square: 4 \}\n\(rank-\d+-pdb\) $/);
  if (!r) return;
  assert.match(r.err.text, new RegExp(`TypeError: thread ${r.rank} cannot compute 2`));
  await r.out.until(/thread 1 exit; thread 2 error thread \d+ cannot compute 2; thread 2 exit/);
  assert.match(r.out.text, /thread \d+ squared 1/);
});
