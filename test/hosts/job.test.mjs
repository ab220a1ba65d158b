// A job across hosts (issue #13), on two hosts made of namespaces (test/helpers/hosts.mjs): 4 ranks,
// 2 per host, each host's ranks started by a launcher that sets their environment as torchrun does
// (fixtures/launch-job.cjs, Node's cluster). First, that ts-pdb reads that environment as each rank's
// rank and the job's id on every host; then rank 3, on beta, fails in socket mode over TCP bound to
// 0.0.0.0, and a real `nc` on alpha reaches it at beta's address with the token from its box, reads
// a local and quits, while a client on alpha without the token is turned away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { writeBuild } from '../helpers/build.mjs';
import { makeHosts } from '../helpers/hosts.mjs';
import { collect, needNc, WAIT_MS } from '../helpers/socket.mjs';

const LAUNCHER = path.join(import.meta.dirname, 'fixtures', 'launch-job.cjs');
const JOB = 'job-13';
const node = process.execPath;

/** Prints what ts-pdb's public API detects: the rank, the world and the job, with the host's name. */
const RANK_INFO = `import * as os from 'node:os';
import { detectRank } from 'ts-pdb';

console.log(JSON.stringify({ host: os.hostname(), ...detectRank() }));
`;

/** A training step per rank; rank 3's throws. */
const APP = `import * as os from 'node:os';

// @debuggable
function trainStep(rank: number, step: number) {
  const shard = { rank, host: os.hostname(), samples: rank * 10 };
  if (rank === 3) throw new RangeError(\`rank \${rank}: loss is NaN at step \${step}\`);
  return shard.samples;
}

const rank = Number(process.env.RANK);
console.log(\`rank \${rank} on \${os.hostname()}: \${trainStep(rank, 2)} samples\`);
`;

/**
 * The ranks' environment: the test's, without any ts-pdb switch or launcher variable it may carry,
 * plus `env`. The private registry is each host's own (its /tmp).
 */
function rankEnv(env) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(IPDB_|TS_PDB_|TORCHELASTIC_|OMPI_|PMIX_|PMI_|SLURM_|NODE_UNIQUE_ID$|RANK$|LOCAL_RANK$|WORLD_SIZE$)/.test(k),
    ),
  );
  return { ...base, CI: 'true', NO_COLOR: '1', TS_PDB_HOME: '/tmp/ts-pdb-home', ...env };
}

/** This host's 2 ranks of the 4-rank job (node `nodeRank` of 2), each running `program`. */
function launch(host, nodeRank, program, { cwd, env = {}, run = false }) {
  // --enable-source-maps reaches the ranks (cluster forks them with the launcher's execArgv): stacks name app.ts.
  const args = [
    '--enable-source-maps',
    LAUNCHER,
    '--nproc-per-node',
    '2',
    '--nnodes',
    '2',
    '--node-rank',
    String(nodeRank),
    '--rdzv-id',
    JOB,
    '--',
    program,
  ];
  const opts = { cwd, env: rankEnv(env) };
  return run ? host.run(node, args, opts) : host.spawn(node, args, opts);
}

test('the launcher gives ranks 0-1 on alpha and 2-3 on beta; ts-pdb detects each rank, the world and the job id', async (t) => {
  const net = await makeHosts(t, { names: ['alpha', 'beta'] });
  if (!net) return;
  const program = writeBuild(net.shared, 'rank-info', RANK_INFO, { transform: false });
  const runs = await Promise.all(net.hosts.map((h, i) => launch(h, i, program, { cwd: net.shared, run: true })));
  const seen = [];
  for (const [i, r] of runs.entries()) {
    assert.equal(r.code, 0, `launcher on ${net.hosts[i].name}: ${r.stderr}`);
    const exits = r.stdout.match(/^rank \d exited with .*$/gm).sort();
    assert.deepEqual(exits, [`rank ${2 * i} exited with code 0`, `rank ${2 * i + 1} exited with code 0`]);
    seen.push(
      ...r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l)),
    );
  }
  seen.sort((a, b) => a.rank - b.rank);
  const expected = [0, 1, 2, 3].map((rank) => ({
    host: rank < 2 ? 'alpha' : 'beta',
    rank,
    localRank: rank % 2,
    worldSize: 4,
    source: 'torchrun',
    jobId: JOB,
  }));
  assert.deepEqual(seen, expected);
});

test(
  'rank 3 on beta fails in socket mode over TCP; from alpha, nc at beta:port without the token is turned away, with it reads a local and quits',
  { timeout: 4 * WAIT_MS },
  async (t) => {
    if (!needNc(t)) return;
    const net = await makeHosts(t, { names: ['alpha', 'beta'] });
    if (!net) return;
    const [alpha, beta] = net.hosts;
    const program = writeBuild(net.shared, 'app', APP);
    const env = { IPDB_DEBUG: '1', IPDB_MODE: 'socket', IPDB_CONNECTION_TYPE: 'tcp', IPDB_HOST: '0.0.0.0', IPDB_PORT: '0' };
    const jobs = net.hosts.map((h, i) => {
      const child = launch(h, i, program, { cwd: net.shared, env });
      return {
        out: collect(child.stdout, `launcher on ${h.name} (stdout)`),
        err: collect(child.stderr, `launcher on ${h.name} (stderr)`),
        exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
      };
    });
    const [onAlpha, onBeta] = jobs;

    const box = await onBeta.err.until(
      new RegExp(
        String.raw`\| ts-pdb: rank 3 \(pid \d+\) stopped: RangeError: rank 3: loss is NaN at step 2 +\|\n` +
          String.raw`\| connect with: {2}nc 0\.0\.0\.0 (\d+) +\|\n` +
          String.raw`\| then send this token as the first line: {2}([0-9a-f]{32}) +\|`,
      ),
    );
    const [, port, token] = box;
    // Alpha's ranks and beta's rank 2 finish while rank 3 waits.
    await onAlpha.out.until((text) => /rank 0 exited with code 0/.test(text) && /rank 1 exited with code 0/.test(text));
    assert.equal(await onAlpha.exited, 0, onAlpha.err.text);
    assert.match(onAlpha.out.text, /rank 0 on alpha: 0 samples/);
    assert.match(onAlpha.out.text, /rank 1 on alpha: 10 samples/);
    await onBeta.out.until(/rank 2 on beta: 20 samples\n[^]*rank 2 exited with code 0/);

    // From alpha, without the token: the session asks for it and turns the client away.
    const wrong = alpha.spawn('nc', [beta.address, port]);
    const turnedAway = collect(wrong.stdout, 'nc on alpha without the token');
    await turnedAway.until(/ts-pdb: token\? \(send the token from the box/);
    wrong.stdin.write('p shard\n');
    await turnedAway.until(/needs its token as the first line/);
    assert.doesNotMatch(turnedAway.text, /samples: 30|rank-3-pdb/);

    // From alpha, with the token: the session.
    const nc = alpha.spawn('nc', [beta.address, port]);
    const session = collect(nc.stdout, 'nc on alpha with the token');
    nc.stdin.write(`${token}\n`);
    await session.until(/\(rank-3-pdb\) $/);
    assert.match(session.text, /RangeError: rank 3: loss is NaN at step 2/);
    nc.stdin.write('p shard\n');
    await session.until(/\{ rank: 3, host: 'beta', samples: 30 \}\n\(rank-3-pdb\) $/);
    nc.stdin.write('q\n');

    // Rank 3 ends with its original error; beta's launcher reports it and fails, as torchrun does.
    await onBeta.out.until(/rank 3 exited with code 1/);
    assert.equal(await onBeta.exited, 1);
    assert.match(onBeta.err.text, /RangeError: rank 3: loss is NaN at step 2\n {4}at trainStep \(.*app\.ts:6:\d+\)/);
  },
);

// TODO(#13), once the shared registry (branch i13-registry) and IPDB_NOTIFY (branch i13-notify) are
// merged, this job grows (docs/hosts-design.md, "Tests: hosts on one machine"); with IPDB_REGISTRY set
// to a folder under net.shared on every rank:
// - `ts-pdb ls` run on alpha lists rank 3 of job-13 with its host `beta` and beta's address
//   (192.0.2.2:port, not 0.0.0.0), grouped by job and host; `--json` gives the same.
// - `ts-pdb attach 3` run on alpha (its TS_PDB_HOME private to alpha) finds rank 3 through the
//   shared registry, sends the token itself, reads `p shard`, quits; the job ends with the RangeError.
// - The overview page (`/ranks`) of a rank in web mode, opened in Chromium from alpha, lists rank 3
//   on beta with a link to its page.
// - The heartbeat: after `beta.run('kill', ['-9', pid])` (the pid in the box is beta's own), `ts-pdb
//   ls` on alpha shows rank 3 as gone once its entry is older than 15 s (keep the wait bounded).
// - IPDB_NOTIFY: a command writing its TS_PDB_* environment to a file under net.shared ran exactly
//   once, on beta, with TS_PDB_RANK=3, TS_PDB_HOST=beta, TS_PDB_JOB=job-13, TS_PDB_ERROR and a
//   TS_PDB_CONNECT that works from alpha.
