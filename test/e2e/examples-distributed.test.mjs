// examples/distributed, as its README tells a user to run it: `npm start` (Node cluster: rank 0 and
// two workers) and `npm run mpi` (mpirun -np 3), each script run as npm runs it (`sh -c` with the
// example's node_modules/.bin first in PATH) in the example's folder. Rank 1 stops with its box;
// ranks 0 and 2 finish; a real `nc -U` gets rank 1's session, `p rank` prints 1 and `p batch` the
// corrupt batch; `q`, and rank 1 ends with its original error, and the job with it.
//
// The README uses the default /tmp/pdb.sock; the test puts the sockets (IPDB_SOCK_PATH) and the
// registry (TS_PDB_HOME) in a scratch folder, so it never meets a user's session or another test's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { cleanEnv, escapeRegExp, installedExample, lineOf, packageOf, scratch } from '../helpers/examples.mjs';
import { collect, needMpirun, needNc } from '../helpers/socket.mjs';

/** Three ranks start node and compile train.ts at once, on a small machine. */
const WAIT_MS = 60_000;
const ERROR = 'RangeError: loss is NaN at step 3';

/**
 * Runs the example's npm script `name` as `npm run` would, with sockets and registry in a scratch
 * folder. Returns its collected output, its exit code (a promise) and the socket prefix.
 */
function runScript(t, example, name) {
  const dir = scratch(t, `e2e-examples-distributed-${name}-`);
  const prefix = path.join(dir, 'pdb.sock');
  const env = cleanEnv({
    PATH: `${path.join(example, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`,
    IPDB_SOCK_PATH: prefix,
    TS_PDB_HOME: path.join(dir, 'home'),
    NO_COLOR: '1',
    // A rank left waiting by a test that failed half-way ends by itself.
    IPDB_TIMEOUT: '300',
    // No OMPI_ALLOW_RUN_AS_ROOT here: `npm run mpi` must start as root (CI in a container) by itself.
  });
  // A rank is found from these first: none may leak in from the caller.
  for (const k of ['RANK', 'LOCAL_RANK', 'WORLD_SIZE', 'OMPI_COMM_WORLD_RANK']) delete env[k];
  // Nor may mpirun's permission to run as root: the script must give it itself.
  for (const k of ['OMPI_ALLOW_RUN_AS_ROOT', 'OMPI_ALLOW_RUN_AS_ROOT_CONFIRM']) delete env[k];
  // Its own process group, so that the cleanup reaches the whole job (mpirun passes SIGTERM on to
  // its ranks; the cluster workers are in the group).
  const job = spawn('sh', ['-c', packageOf(example).scripts[name]], {
    cwd: example,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const out = collect(job.stdout, `npm run ${name} (stdout)`, WAIT_MS);
  const err = collect(job.stderr, `npm run ${name} (stderr)`, WAIT_MS);
  const exited = new Promise((resolve) => job.on('close', (code) => resolve(code)));
  t.after(() => {
    if (job.exitCode !== null || job.signalCode !== null) return;
    try {
      process.kill(-job.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  });
  return { prefix, out, err, exited };
}

/**
 * The README's walkthrough against a running job: rank 1's box, ranks 0 and 2 finished, then
 * `nc -U <prefix>.1`, `p rank`, `p batch`, `q`.
 */
async function walkthrough(t, example, job, othersDone) {
  const box = await job.err.until(
    new RegExp(`\\| ts-pdb: rank 1 \\(pid \\d+\\) stopped: ${escapeRegExp(ERROR)} +\\|\\n\\| connect with: {2}nc -U (\\S+) +\\|`),
  );
  assert.equal(box[1], `${job.prefix}.1`, 'rank 1 listens on IPDB_SOCK_PATH.1');
  await job.out.until(/^rank 0: finished 5 steps, weight \d\.\d{3}$/m);
  await job.out.until(/^rank 2: finished 5 steps, weight \d\.\d{3}$/m);
  if (othersDone) await job.out.until(othersDone);

  const nc = spawn('nc', ['-U', box[1]], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => nc.kill());
  const seen = collect(nc.stdout, 'nc', WAIT_MS);
  await seen.until(/\(rank-1-pdb\) $/);
  const throwLine = lineOf(path.join(example, 'train.ts'), 'throw new RangeError');
  assert.match(seen.text, new RegExp(`^> train\\.ts\\(${throwLine}\\)trainStep\\(\\)$`, 'm'), 'the session is at the throw, in train.ts');
  nc.stdin.write('p rank\n');
  await seen.until(/\(rank-1-pdb\) 1\n\(rank-1-pdb\) $/);
  nc.stdin.write('p batch\n');
  await seen.until(/\[ [\d.]+, [\d.]+, NaN, [\d.]+ \]\n\(rank-1-pdb\) $/);
  nc.stdin.write('q\n');
  await seen.until(/session ended; the error goes on/);
  return throwLine;
}

/** Rank 1's original error on the job's stderr, at train.ts's throw. */
function assertOriginalError(job, throwLine) {
  assert.match(job.err.text, new RegExp(`^${escapeRegExp(ERROR)}\\n {4}at trainStep \\(\\S*train\\.ts:${throwLine}:\\d+\\)`, 'm'));
}

test('examples/distributed: npm start (cluster): rank 1 waits on its socket, nc -U: p rank is 1, q; rank 1 ends with its error, ranks 0 and 2 finished', async (t) => {
  if (!needNc(t)) return;
  const example = installedExample(t, 'distributed');
  if (!example) return;
  assert.equal(packageOf(example).scripts.start, 'ts-pdb run train.ts', 'npm start as the README shows it');

  const job = runScript(t, example, 'start');
  const throwLine = await walkthrough(t, example, job, /^rank 2 exited with code 0$/m);
  await job.out.until(/^rank 1 exited with code 1$/m);
  assert.equal(await job.exited, 1, 'the job fails with its rank');
  assertOriginalError(job, throwLine);
  assert.doesNotMatch(job.out.text, /rank 1: finished/);
});

test('examples/distributed: npm run mpi (mpirun -np 3): the same walkthrough; mpirun reports rank 1 as the rank that failed', async (t) => {
  if (!needMpirun(t) || !needNc(t)) return;
  const example = installedExample(t, 'distributed');
  if (!example) return;
  assert.equal(
    packageOf(example).scripts.mpi,
    'mpirun --allow-run-as-root --oversubscribe -np 3 ts-pdb run train.ts',
    'npm run mpi as the README shows it',
  );

  const job = runScript(t, example, 'mpi');
  const throwLine = await walkthrough(t, example, job);
  assert.equal(await job.exited, 1, 'mpirun fails the job');
  assertOriginalError(job, throwLine);
  assert.match(job.err.text, /Process name: +\[\[\d+,1\],1\]\n\s*Exit code: +1/, 'mpirun names rank 1 as the process that failed');
  assert.doesNotMatch(job.out.text, /rank 1: finished/);
});
