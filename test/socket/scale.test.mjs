// Scale (issue #4 item 7): 32 ranks of one job throw at once. All 32 listen, `ts-pdb ls` shows 32,
// and each one is attachable: a real `nc -U` to every rank ends its session; the job then ends with
// every rank's original error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { collect, linkedProject, needNc } from '../helpers/socket.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
const RANKS = 32;
/** 32 processes starting on a small machine: a longer wait than one rank's. */
const WAIT_MS = 120_000;

const APP = `import { fork } from 'node:child_process';

// @debuggable
function shard(rank: number) {
  const rows = rank * 100;
  throw new Error(\`rank \${rank} lost shard of \${rows} rows\`);
}

if (!process.env.RANK) {
  const codes: number[] = [];
  for (let r = 0; r < ${RANKS}; r++) {
    fork(__filename, [], { env: { ...process.env, RANK: String(r), WORLD_SIZE: '${RANKS}', IPDB_MODE: 'socket' } })
      .on('exit', (code) => { codes.push(code ?? -1); if (codes.length === ${RANKS}) console.log(\`exit codes: \${[...new Set(codes)].join(',')}\`); });
  }
} else {
  shard(Number(process.env.RANK));
}
`;

test(`${RANKS} ranks throwing at once: all listen, ts-pdb ls shows ${RANKS}, each is attachable`, { timeout: 300_000 }, async (t) => {
  if (!needNc(t)) return;
  const dir = linkedProject('scale-', APP);
  const home = path.join(dir, 'home');
  const prefix = path.join(dir, 'pdb.sock');
  const job = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', IPDB_SOCK_PATH: prefix, NO_COLOR: '1', TS_PDB_HOME: home, RANK: '', WORLD_SIZE: '' },
  });
  const out = collect(job.stdout, 'the job (stdout)', WAIT_MS);
  const err = collect(job.stderr, 'the job (stderr)', WAIT_MS);
  const exited = new Promise((resolve) => job.on('close', resolve));
  const boxes = (text) => new Set([...text.matchAll(/connect with: {2}nc -U (\S+)/g)].map((m) => m[1]));
  try {
    await err.until((text) => boxes(text).size === RANKS);
    const paths = [...boxes(err.text)];
    for (let r = 0; r < RANKS; r++) assert.ok(paths.includes(`${prefix}.${r}`), `rank ${r} listens on ${prefix}.${r}`);

    const ls = spawnSync(process.execPath, [CLI, 'ls'], { encoding: 'utf8', env: { ...process.env, TS_PDB_HOME: home } });
    const rows = ls.stdout.split('\n').filter((l) => /^\d+ /.test(l));
    assert.equal(rows.length, RANKS, ls.stdout);

    for (let r = 0; r < RANKS; r++) {
      const nc = spawn('nc', ['-U', `${prefix}.${r}`], { stdio: ['pipe', 'pipe', 'pipe'] });
      const seen = collect(nc.stdout, `nc rank ${r}`);
      await seen.until((text) => text.endsWith(`(rank-${r}-pdb) `));
      nc.stdin.write('p rows\n');
      await seen.until((text) => text.includes(`${r * 100}\n(rank-${r}-pdb) `));
      nc.stdin.write('q\n');
      await new Promise((resolve) => nc.on('close', resolve));
    }
    await out.until(/exit codes: 1\n/);
    for (let r = 0; r < RANKS; r++) assert.match(err.text, new RegExp(`Error: rank ${r} lost shard of ${r * 100} rows`));
    assert.equal(await exited, 0);
    t.diagnostic(`${RANKS} ranks listened, were listed and attached`);
  } finally {
    killGroup(job);
  }
});
