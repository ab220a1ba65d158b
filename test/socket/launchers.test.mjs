// Real launchers (issue #4 item 6): a Node `cluster` job of 3 workers where one throws. The failing
// worker (rank = its cluster id) waits on its socket; a real `nc -U` reads a local and quits; that
// worker ends with its original error while the others finish normally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli.js');
const WAIT_MS = 20_000;
const HAS_NC = spawnSync('sh', ['-c', 'command -v nc'], { encoding: 'utf8' }).status === 0;

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

/** Text of a stream as it arrives; `until(pattern)` resolves on the data that makes it match, or rejects with what was seen. */
function collect(stream, what) {
  const c = { text: '', waiters: [] };
  stream.setEncoding('utf8').on('data', (d) => {
    c.text += d;
    for (const w of [...c.waiters]) {
      const m = w.pattern.exec(c.text);
      if (m) { c.waiters.splice(c.waiters.indexOf(w), 1); clearTimeout(w.timer); w.resolve(m); }
    }
  });
  c.until = (pattern) => new Promise((resolve, reject) => {
    const m = pattern.exec(c.text);
    if (m) { resolve(m); return; }
    const w = { pattern, resolve };
    w.timer = setTimeout(() => { c.waiters.splice(c.waiters.indexOf(w), 1); reject(new Error(`${what}: no ${pattern} within ${WAIT_MS} ms; seen:\n${c.text}`)); }, WAIT_MS);
    c.waiters.push(w);
  });
  return c;
}

test('cluster, 3 workers: worker 2 throws, waits on pdb.sock.2; nc -U reads its local and quits; the others finish', async (t) => {
  if (!HAS_NC) {
    if (process.env.CI) assert.fail('nc (netcat-openbsd) is not installed: .ci/run installs it');
    t.skip('nc (netcat-openbsd) is not installed');
    return;
  }
  const dir = scratch('cluster-');
  fs.writeFileSync(path.join(dir, 'app.ts'), CLUSTER_APP);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'cluster-app' }));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'ts-pdb'), 'dir');
  const prefix = path.join(dir, 'pdb.sock');
  const job = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', IPDB_SOCK_PATH: prefix, IPDB_MODE: '', NO_COLOR: '1', TS_PDB_HOME: path.join(dir, 'home') },
  });
  const out = collect(job.stdout, 'the job (stdout)');
  const err = collect(job.stderr, 'the job (stderr)');
  const exited = new Promise((resolve) => job.on('close', resolve));
  try {
    const box = await err.until(/\| ts-pdb: rank 2 \(pid \d+\) stopped: Error: worker 2 failed on shard 20 +\|\n\| connect with: {2}nc -U (\S+) +\|/);
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
    job.kill('SIGKILL');
  }
});
