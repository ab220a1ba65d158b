// Real launchers (issue #4 item 6), continued: an Open MPI job, `mpirun -np 3`, each rank running
// `ts-pdb run app.ts`. Rank 1 throws from a marked function and waits on its socket (ts-pdb takes
// the rank from OMPI_COMM_WORLD_RANK); ranks 0 and 2 finish; a real client (`nc -U`, then
// `ts-pdb attach 1`) reads a local and quits; rank 1 ends with its original error, and mpirun
// reports it as the one rank that failed.
//
// mpirun ends the whole job as soon as one rank exits non-zero, so the tests connect only after
// ranks 0 and 2 have printed their results and exited: what they assert is what a user at the
// terminal sees, in that order.
//
// Run as root (CI in a container), mpirun refuses to start unless OMPI_ALLOW_RUN_AS_ROOT=1 and
// OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 are set; --oversubscribe lets 3 ranks run on fewer cores. Nothing
// else is needed: node is not an MPI program, so no transport (btl) is ever opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { collect, linkedProject, needMpirun, needNc } from '../helpers/socket.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
/** Three ranks start node and compile app.ts at once, on a small machine. */
const WAIT_MS = 60_000;

const APP = `// @debuggable
function reduceShard(rank: number) {
  const shard = { rank, rows: rank * 100 };
  if (rank === 1) throw new Error(\`rank \${rank}: checksum mismatch in shard of \${shard.rows} rows\`);
  return shard.rows;
}

const rank = Number(process.env.OMPI_COMM_WORLD_RANK);
console.log(\`rank \${rank} of \${process.env.OMPI_COMM_WORLD_SIZE} reduced \${reduceShard(rank)} rows\`);
`;

/**
 * Starts `mpirun -np 3 <command...>` in a scratch project holding {@link APP}, with its sockets and
 * registry in the scratch folder. Returns the job, its collected output, its exit and the folder.
 */
function startJob(t, command) {
  const dir = linkedProject('mpirun-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const prefix = path.join(dir, 'pdb.sock');
  const home = path.join(dir, 'home');
  const env = {
    ...process.env,
    CI: 'true',
    IPDB_SOCK_PATH: prefix,
    IPDB_MODE: '',
    NO_COLOR: '1',
    TS_PDB_HOME: home,
    // A rank left waiting by a test that failed half-way ends by itself.
    IPDB_TIMEOUT: '300',
    // Rank detection takes torchrun's variables first: none may leak in from the caller.
    RANK: '',
    LOCAL_RANK: '',
    WORLD_SIZE: '',
    OMPI_ALLOW_RUN_AS_ROOT: '1',
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1',
  };
  const job = spawn('mpirun', ['--oversubscribe', '-np', '3', ...command], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env });
  const out = collect(job.stdout, 'mpirun (stdout)', WAIT_MS);
  const err = collect(job.stderr, 'mpirun (stderr)', WAIT_MS);
  const exited = new Promise((resolve) => job.on('close', (code) => resolve(code)));
  // mpirun passes SIGTERM on to every rank's process group (the ranks' `ts-pdb run` children included).
  t.after(() => {
    if (job.exitCode === null && job.signalCode === null) job.kill('SIGTERM');
  });
  return { dir, prefix, home, env, out, err, exited };
}

/** The box of rank 1, waiting on `<prefix>.1`. */
async function rank1Box(job) {
  const box = await job.err.until(
    /\| ts-pdb: rank 1 \(pid \d+\) stopped: Error: rank 1: checksum mismatch in shard of 100 rows +\|\n\| connect with: {2}nc -U (\S+) +\|/,
  );
  assert.equal(box[1], `${job.prefix}.1`, 'rank 1 listens on IPDB_SOCK_PATH.1');
  return box[1];
}

test('mpirun -np 3: rank 1 throws and waits on pdb.sock.1; ranks 0 and 2 finish; nc -U reads its local and quits; rank 1 ends with its error', async (t) => {
  if (!needMpirun(t) || !needNc(t)) return;
  // Each rank reports its own exit code after ts-pdb run ends, and exits with it (mpirun sees it).
  const job = startJob(t, [
    'sh',
    '-c',
    `node "$0" run app.ts; code=$?; echo "rank $OMPI_COMM_WORLD_RANK exited with $code"; exit $code`,
    CLI,
  ]);
  const socket = await rank1Box(job);
  await job.out.until(/rank 0 exited with 0/);
  await job.out.until(/rank 2 exited with 0/);
  assert.match(job.out.text, /^rank 0 of 3 reduced 0 rows$/m);
  assert.match(job.out.text, /^rank 2 of 3 reduced 200 rows$/m);

  const nc = spawn('nc', ['-U', socket], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => nc.kill());
  const seen = collect(nc.stdout, 'nc');
  await seen.until(/\(rank-1-pdb\) $/);
  assert.match(seen.text, /^> app\.ts\(4\)reduceShard\(\)$/m, 'the session is at the throw, in app.ts');
  nc.stdin.write('p shard\n');
  await seen.until(/\{ rank: 1, rows: 100 \}\n\(rank-1-pdb\) $/);
  nc.stdin.write('q\n');

  await job.out.until(/rank 1 exited with 1/);
  const code = await job.exited;
  assert.match(
    job.err.text,
    /Error: rank 1: checksum mismatch in shard of 100 rows\n {4}at reduceShard \(.*app\.ts:4:\d+\)/,
    'the original error, at its TypeScript line',
  );
  assert.doesNotMatch(job.out.text, /rank 1 of 3 reduced/);
  assert.notEqual(code, 0, `mpirun fails the job\n${job.err.text}`);
});

test('mpirun -np 3, as a user types it (mpirun ... ts-pdb run app.ts): ts-pdb ls lists rank 1, ts-pdb attach 1 reads its local and quits', async (t) => {
  if (!needMpirun(t)) return;
  const job = startJob(t, [process.execPath, CLI, 'run', 'app.ts']);
  await rank1Box(job);
  await job.out.until(
    /rank 0 of 3 reduced 0 rows[^]*rank 2 of 3 reduced 200 rows|rank 2 of 3 reduced 200 rows[^]*rank 0 of 3 reduced 0 rows/,
  );

  const ls = spawnSync(process.execPath, [CLI, 'ls'], { encoding: 'utf8', env: job.env });
  const rows = ls.stdout.split('\n').filter((l) => /^\d+ /.test(l));
  assert.equal(rows.length, 1, `only rank 1 waits\n${ls.stdout}`);
  assert.match(
    rows[0],
    new RegExp(`^1 +\\d+ +\\S+ +socket +${job.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.1 .*Error: rank 1: checksum mismatch`),
  );

  // stdin stays open until the session ends: attach leaves when the rank closes the connection.
  const client = spawn(process.execPath, [CLI, 'attach', '1'], { cwd: job.dir, stdio: ['pipe', 'pipe', 'pipe'], env: job.env });
  t.after(() => client.kill());
  const seen = collect(client.stdout, 'ts-pdb attach 1');
  const clientExit = new Promise((resolve) => client.on('close', resolve));
  await seen.until(/\(rank-1-pdb\) $/);
  client.stdin.write('p shard\n');
  await seen.until(/\{ rank: 1, rows: 100 \}\n\(rank-1-pdb\) $/);
  client.stdin.write('q\n');
  assert.equal(await clientExit, 0, 'attach ends when the session does');
  assert.match(seen.text, /session ended; the error goes on/);

  const code = await job.exited;
  assert.match(job.err.text, /Error: rank 1: checksum mismatch in shard of 100 rows\n {4}at reduceShard \(.*app\.ts:4:\d+\)/);
  // mpirun's own report names the rank that failed: process [[job,1],1], exit code 1.
  assert.match(job.err.text, /Process name: +\[\[\d+,1\],1\]\n\s*Exit code: +1/, 'mpirun reports rank 1 as the failed process');
  assert.equal(code, 1, "mpirun ends with the failed rank's code");
});
