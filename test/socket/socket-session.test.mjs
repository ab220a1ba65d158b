// Socket mode (issue #4, docs/SPEC.md §3): a rank other than 0 that throws listens on IPDB_SOCK_PATH.<rank>
// (mode 0600), says in a box on stderr how to connect, and a real `nc -U` (Debian netcat-openbsd,
// installed by .ci/run) reads its locals and quits; the program then ends with its original error.
// One client at a time; a client that leaves lets the next one in; IPDB_TIMEOUT bounds the wait;
// a path that is not ours to use is never reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { linkedProject, needNc } from '../helpers/socket.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';
import { connectSession } from '../helpers/run-program.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
const WAIT_MS = 15_000;

const APP = `// @debuggable
function train(step: number) {
  const lr = 0.01 * step;
  const batch = { size: 32, rank: Number(process.env.RANK) };
  if (step > 2) throw new RangeError(\`loss is NaN at step \${step}\`);
  return lr;
}
for (let s = 0; s < 5; s++) train(s);
`;

/** A project with app.ts and ts-pdb installed (a link to this checkout), and a socket prefix and registry home in it. */
function project() {
  const dir = linkedProject('socket-', APP);
  return { dir, prefix: path.join(dir, 'pdb.sock'), home: path.join(dir, 'home') };
}

/** A child process whose output can be awaited: `until(stream, pattern)` resolves when it matches, or rejects with what was seen. */
function watch(child, what) {
  const seen = { stdout: '', stderr: '' };
  const waiters = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = w.pattern.exec(seen[w.stream]);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(m);
      }
    }
  };
  for (const stream of ['stdout', 'stderr']) {
    child[stream].setEncoding('utf8');
    child[stream].on('data', (d) => {
      seen[stream] += d;
      check();
    });
  }
  const closed = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  // The exit code, or a rejection with everything seen when the process does not end in time.
  const exited = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`${what} did not end within ${WAIT_MS} ms; seen:\n--- stdout\n${seen.stdout}\n--- stderr\n${seen.stderr}`));
    }, WAIT_MS);
    closed.then((code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  exited.catch(() => {});
  return {
    seen,
    get exited() {
      return exited;
    },
    until(stream, pattern, ms = WAIT_MS) {
      return new Promise((resolve, reject) => {
        const w = { stream, pattern, resolve };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(
            new Error(`${what}: no ${pattern} on ${stream} within ${ms} ms; seen:\n--- stdout\n${seen.stdout}\n--- stderr\n${seen.stderr}`),
          );
        }, ms);
        waiters.push(w);
        check();
      });
    },
  };
}

/** Starts the program as rank `rank` of 3 with debugging on (ts-pdb run), no terminal. */
function startRank(dir, prefix, rank, env = {}) {
  const child = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    // TS_PDB_HOME: the registry and private paths of this test, not the user's.
    env: {
      ...process.env,
      CI: 'true',
      RANK: String(rank),
      WORLD_SIZE: '3',
      IPDB_SOCK_PATH: prefix,
      IPDB_MODE: '',
      IPDB_TIMEOUT: '',
      NO_COLOR: '1',
      TS_PDB_HOME: path.join(dir, 'home'),
      ...env,
    },
  });
  return watch(child, `rank ${rank}`);
}

/** A real `nc -U` client. */
function nc(socketPath) {
  const child = spawn('nc', ['-U', socketPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  const w = watch(child, `nc -U ${socketPath}`);
  return { ...w, child, send: (line) => child.stdin.write(line + '\n') };
}

test('rank 1 fails: the box says how to connect, nc -U reads the locals, q ends with the original error', async (t) => {
  if (!needNc(t)) return;
  const { dir, prefix } = project();
  const rank1 = startRank(dir, prefix, 1);
  const box = await rank1.until('stderr', /\| connect with: {2}nc -U (\S+) +\|/);
  const socketPath = box[1];
  assert.equal(socketPath, `${prefix}.1`);
  assert.match(rank1.seen.stderr, /\| ts-pdb: rank 1 \(pid \d+\) stopped: RangeError: loss is NaN at step 3 +\|/);
  assert.equal(fs.statSync(socketPath).mode & 0o777, 0o600, 'only the owner may connect');

  const client = nc(socketPath);
  await client.until('stdout', /Entering post-mortem session[^]*\(rank-1-pdb\) $/);
  client.send('p [batch, lr, step]');
  await client.until('stdout', /\[ \{ size: 32, rank: 1 \}, 0\.03, 3 \]\n\(rank-1-pdb\) $/);
  client.send('q');
  assert.equal(await client.exited, 0, 'nc ends when the session does');
  assert.match(client.seen.stdout, /session ended; the error goes on/);
  assert.equal(await rank1.exited, 1);
  assert.match(rank1.seen.stderr, /RangeError: loss is NaN at step 3\n {4}at train \(.*app\.ts:5:\d+\)/);
  assert.ok(!fs.existsSync(socketPath), 'the socket file is removed');
});

test('one client at a time: a second one is told the session is busy; a client that leaves lets the next one in', async (t) => {
  if (!needNc(t)) return;
  const { dir, prefix } = project();
  const rank2 = startRank(dir, prefix, 2);
  const socketPath = (await rank2.until('stderr', /connect with: {2}nc -U (\S+)/))[1];
  const first = nc(socketPath);
  await first.until('stdout', /\(rank-2-pdb\) $/);
  const second = nc(socketPath);
  await second.until('stdout', /the session of rank 2 is busy: another client is attached/);
  assert.equal(await second.exited, 0);
  // The first client goes away without quitting: the session waits for the next one.
  first.child.kill();
  await first.exited;
  // The rank may not have read the first client's end yet: a busy refusal then, and nc tries again, as a user would.
  let third;
  for (;;) {
    third = nc(socketPath);
    const m = await third.until('stdout', /\(rank-2-pdb\) $|is busy: another client is attached/);
    if (!m[0].includes('busy')) break;
    assert.equal(await third.exited, 0, 'a refused nc ends by itself');
  }
  third.send('p step');
  await third.until('stdout', /3\n\(rank-2-pdb\) $/);
  third.send('q');
  assert.equal(await rank2.exited, 1);
  assert.match(rank2.seen.stderr, /RangeError: loss is NaN at step 3/);
});

test('a client turned away while it writes (a hello, a command) still reads why: the refusal is never lost to a reset', async () => {
  const { dir, prefix } = project();
  const rank2 = startRank(dir, prefix, 2);
  const socketPath = (await rank2.until('stderr', /connect with: {2}nc -U (\S+)/))[1];
  const first = net.connect(socketPath);
  await new Promise((resolve) => first.once('data', resolve));
  // Each writes as it connects, and keeps writing: what a DAP adapter's hello or a pasted script does.
  const turnedAway = async (i) => {
    const c = net.connect(socketPath);
    let seen = '';
    c.setEncoding('utf8');
    c.on('data', (d) => (seen += d));
    c.on('connect', () => {
      c.write('\x00hello {"protocol":1}\n');
      for (let k = 0; k < 50; k++) c.write(`p step ${k}\n`);
    });
    const how = await new Promise((resolve) => {
      c.on('error', (e) => resolve(e.code));
      c.on('close', () => resolve('closed'));
    });
    assert.match(seen, /the session of rank 2 is busy: another client is attached/, `client ${i} (${how}) read: ${JSON.stringify(seen)}`);
  };
  for (let i = 0; i < 20; i++) await turnedAway(i);
  first.write('q\n');
  assert.equal(await rank2.exited, 1);
});

test('a line that never ends (a binary file piped in) is cut at 1 MB and refused; the session goes on', async () => {
  const { dir, prefix } = project();
  const rank1 = startRank(dir, prefix, 1);
  const socketPath = (await rank1.until('stderr', /connect with: {2}nc -U (\S+)/))[1];
  const client = net.connect(socketPath);
  let seen = '';
  const until = (pattern) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${pattern}; seen:\n${seen.slice(-2000)}`)), WAIT_MS);
      const check = () => {
        if (pattern.test(seen)) {
          clearTimeout(t);
          client.off('data', on);
          resolve();
        }
      };
      const on = (d) => {
        seen += d;
        check();
      };
      client.setEncoding('utf8').on('data', on);
      check();
    });
  await until(/\(rank-1-pdb\) $/);
  client.write('x'.repeat(1_200_000));
  await until(/Line too long \(\d+ characters; the limit is 100000\)\n\(rank-1-pdb\) $/);
  client.write('\np step\n');
  // The rest of the long line (past 1 MB) is one more line too long; then the command runs.
  await until(/Line too long \(\d+ characters; the limit is 100000\)\n\(rank-1-pdb\) 3\n\(rank-1-pdb\) $/);
  client.write('q\n');
  assert.equal(await rank1.exited, 1);
  client.destroy();
});

test('a flood of empty lines (each repeats the last command) is read as the session catches up: every one is run, in order', async () => {
  const { dir, prefix } = project();
  const rank1 = startRank(dir, prefix, 1);
  const socketPath = (await rank1.until('stderr', /connect with: {2}nc -U (\S+)/))[1];
  const { socket, seen } = await connectSession(socketPath);
  // More lines than the worker queues (1,000) before it stops reading the client for a while.
  const repeats = 3000;
  socket.write(`p step\n${'\n'.repeat(repeats)}p 'done'\n`);
  await seen.until(/'done'\n\(rank-1-pdb\) $/);
  assert.equal((seen.text.match(/\(rank-1-pdb\) 3\n/g) ?? []).length, repeats + 1, 'p step, then once per empty line');
  socket.write('q\n');
  assert.equal(await rank1.exited, 1);
  socket.destroy();
});

test('IPDB_TIMEOUT: with nobody connecting, the rank gives up after that many seconds and its error goes on', async () => {
  const { dir, prefix } = project();
  const rank1 = startRank(dir, prefix, 1, { IPDB_TIMEOUT: '1' });
  await rank1.until('stderr', /waits 1 s for a client, then the error goes on/);
  assert.equal(await rank1.exited, 1);
  assert.match(rank1.seen.stderr, /no client connected within 1 s; the error goes on/);
  assert.match(rank1.seen.stderr, /RangeError: loss is NaN at step 3/);
  assert.ok(!fs.existsSync(`${prefix}.1`), 'the socket file is removed');
});

test('a path that is not a socket is never reused: the rank listens on a private path and says why', async (t) => {
  if (!needNc(t)) return;
  const { dir, prefix } = project();
  fs.writeFileSync(`${prefix}.1`, 'not a socket');
  const rank1 = startRank(dir, prefix, 1);
  const socketPath = (await rank1.until('stderr', /connect with: {2}nc -U (\S+)/))[1];
  assert.notEqual(socketPath, `${prefix}.1`);
  assert.match(rank1.seen.stderr, /exists and is not a socket: listening on a private path instead/);
  assert.equal(fs.readFileSync(`${prefix}.1`, 'utf8'), 'not a socket', 'the file is left as it was');
  assert.equal(fs.statSync(path.dirname(socketPath)).mode & 0o777, 0o700, "the private folder is the user's alone");
  const client = nc(socketPath);
  await client.until('stdout', /\(rank-1-pdb\) $/);
  client.send('q');
  assert.equal(await rank1.exited, 1);
});

test('a stale socket of ours (a session that died) is replaced', async (t) => {
  if (!needNc(t)) return;
  const { dir, prefix } = project();
  // A socket file nobody listens on: what a killed session leaves behind.
  const stale = spawnSync(process.execPath, [
    '-e',
    `const s = require('net').createServer().listen(${JSON.stringify(`${prefix}.1`)}, () => process.exit(0));`,
  ]);
  assert.equal(stale.status, 0);
  assert.ok(fs.lstatSync(`${prefix}.1`).isSocket());
  const rank1 = startRank(dir, prefix, 1);
  const socketPath = (await rank1.until('stderr', /connect with: {2}nc -U (\S+)/))[1];
  assert.equal(socketPath, `${prefix}.1`);
  const client = nc(socketPath);
  await client.until('stdout', /\(rank-1-pdb\) $/);
  client.send('q');
  assert.equal(await rank1.exited, 1);
});

test('socat connects too (socat - UNIX-CONNECT:path)', async (t) => {
  if (spawnSync('sh', ['-c', 'command -v socat']).status !== 0) {
    if (process.env.CI) assert.fail('socat is not installed: .ci/run installs it');
    t.skip('socat is not installed');
    return;
  }
  const { dir, prefix } = project();
  const rank1 = startRank(dir, prefix, 1);
  const socketPath = (await rank1.until('stderr', /connect with: {2}nc -U (\S+)/))[1];
  const child = spawn('socat', ['-', `UNIX-CONNECT:${socketPath}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  const client = watch(child, 'socat');
  await client.until('stdout', /\(rank-1-pdb\) $/);
  child.stdin.write('p lr\n');
  await client.until('stdout', /0\.03\n\(rank-1-pdb\) $/);
  child.stdin.write('q\n');
  assert.equal(await rank1.exited, 1);
  assert.match(rank1.seen.stderr, /RangeError: loss is NaN at step 3/);
});

/** `ts-pdb ls` with the test's registry. */
function ls(home) {
  const r = spawnSync(process.execPath, [CLI, 'ls'], { encoding: 'utf8', env: { ...process.env, TS_PDB_HOME: home } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('ts-pdb ls lists every waiting rank (rank, pid, host, mode, address, age, error); ended and killed ones go', async (t) => {
  if (!needNc(t)) return;
  const { dir, prefix, home } = project();
  const ranks = [1, 2].map((r) => startRank(dir, prefix, r));
  const paths = [];
  for (const r of ranks) paths.push((await r.until('stderr', /connect with: {2}nc -U (\S+)/))[1]);
  const table = ls(home);
  assert.match(table, /^RANK +PID +HOST +MODE +ADDRESS +AGE +ERROR$/m);
  for (const [i, p] of paths.entries()) {
    assert.match(
      table,
      new RegExp(`^${i + 1} +\\d+ +\\S+ +socket +${p.replace(/[.]/g, '\\.')} +\\d+s +RangeError: loss is NaN at step 3$`, 'm'),
    );
  }
  // Rank 1 ends its session normally; rank 2 is killed (it cannot remove its own entry).
  const client = nc(paths[0]);
  await client.until('stdout', /\(rank-1-pdb\) $/);
  client.send('q');
  assert.equal(await ranks[0].exited, 1);
  // The rank itself (the pid in its box; `ts-pdb run` is its parent and passes the signal on).
  process.kill(Number(/rank 2 \(pid (\d+)\)/.exec(ranks[1].seen.stderr)[1]), 'SIGKILL');
  await ranks[1].exited;
  assert.equal(ls(home), 'no waiting ts-pdb sessions\n');
});

test('ts-pdb attach <rank> connects through the registry: prompt, a local, q; the rank ends with its error', async () => {
  const { dir, prefix, home } = project();
  const rank1 = startRank(dir, prefix, 1);
  await rank1.until('stderr', /connect with: {2}nc -U (\S+)/);
  const child = spawn(process.execPath, [CLI, 'attach', '1'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TS_PDB_HOME: home },
  });
  const client = watch(child, 'ts-pdb attach 1');
  await client.until('stdout', /Entering post-mortem session[^]*\(rank-1-pdb\) $/);
  child.stdin.write('p [lr, batch.size]\n');
  await client.until('stdout', /\[ 0\.03, 32 \]\n\(rank-1-pdb\) $/);
  child.stdin.write('q\n');
  assert.equal(await client.exited, 0, 'attach ends with the session');
  assert.equal(await rank1.exited, 1);
  assert.match(rank1.seen.stderr, /RangeError: loss is NaN at step 3/);
});

test('piped commands (printf ... | ts-pdb attach): every answer and the goodbye arrive before attach leaves', async () => {
  const { dir, prefix, home } = project();
  const rank1 = startRank(dir, prefix, 1);
  await rank1.until('stderr', /connect with: {2}nc -U (\S+)/);
  const child = spawn(process.execPath, [CLI, 'attach', '1'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TS_PDB_HOME: home },
  });
  const client = watch(child, 'ts-pdb attach 1');
  child.stdin.end('p step\nq\n');
  assert.equal(await client.exited, 0);
  assert.match(client.seen.stdout, /\(rank-1-pdb\) 3\n/);
  assert.match(client.seen.stdout, /session ended; the error goes on/);
  assert.equal(await rank1.exited, 1);
});

test('piped input without q: attach leaves once the answers are in, and the session waits for the next client', async () => {
  const { dir, prefix, home } = project();
  const rank1 = startRank(dir, prefix, 1);
  const socketPath = (await rank1.until('stderr', /connect with: {2}nc -U (\S+)/))[1];
  const child = spawn(process.execPath, [CLI, 'attach', '1'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TS_PDB_HOME: home },
  });
  const client = watch(child, 'ts-pdb attach 1');
  child.stdin.end('p lr\n');
  assert.equal(await client.exited, 0, `the first attach:\n${client.seen.stdout}\n${client.seen.stderr}`);
  assert.match(client.seen.stdout, /\(rank-1-pdb\) 0\.03\n/);
  const next = spawn(process.execPath, [CLI, 'attach', socketPath], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TS_PDB_HOME: home },
  });
  const again = watch(next, 'the next ts-pdb attach');
  next.stdin.end('q\n');
  const code = await again.exited;
  if (code !== 0) await rank1.exited.catch(() => {});
  assert.equal(code, 0, `the next attach:\n${again.seen.stdout}\n${again.seen.stderr}\nthe rank:\n${rank1.seen.stderr.slice(-3000)}`);
  assert.equal(await rank1.exited, 1);
});

test('ts-pdb attach says why when there is nothing to attach to', () => {
  const { home } = project();
  const none = spawnSync(process.execPath, [CLI, 'attach', '3'], { encoding: 'utf8', env: { ...process.env, TS_PDB_HOME: home } });
  assert.equal(none.status, 1);
  assert.match(none.stderr, /no waiting session of rank 3/);
  const bad = spawnSync(process.execPath, [CLI, 'attach', 'x y'], { encoding: 'utf8', env: { ...process.env, TS_PDB_HOME: home } });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /is neither a rank, a socket path nor host:port/);
});

test('IPDB_CONNECTION_TYPE=tcp on loopback: nc HOST PORT gets the session, no token needed (IPDB_PORT=0: any free port)', async (t) => {
  if (!needNc(t)) return;
  const { dir, prefix } = project();
  const rank1 = startRank(dir, prefix, 1, { IPDB_CONNECTION_TYPE: 'tcp', IPDB_PORT: '0', IPDB_HOST: '' });
  const box = await rank1.until('stderr', /connect with: {2}nc (127\.0\.0\.1) (\d+) +\|/);
  assert.doesNotMatch(rank1.seen.stderr, /token/);
  const child = spawn('nc', [box[1], box[2]], { stdio: ['pipe', 'pipe', 'pipe'] });
  const client = watch(child, 'nc (tcp)');
  await client.until('stdout', /\(rank-1-pdb\) $/);
  child.stdin.write('p lr\n');
  await client.until('stdout', /0\.03\n\(rank-1-pdb\) $/);
  child.stdin.write('q\n');
  assert.equal(await rank1.exited, 1);
});

test('IPDB_TOKEN=1: a TCP session on loopback asks for its token too; with it first, nc gets the session', async (t) => {
  if (!needNc(t)) return;
  const { dir, prefix } = project();
  const rank1 = startRank(dir, prefix, 1, { IPDB_CONNECTION_TYPE: 'tcp', IPDB_PORT: '0', IPDB_HOST: '', IPDB_TOKEN: '1' });
  const [, port, token] = await rank1.until(
    'stderr',
    /connect with: {2}nc 127\.0\.0\.1 (\d+) +\|\n\| then send this token as the first line: {2}([0-9a-f]{32}) +\|/,
  );
  const wrong = spawn('nc', ['127.0.0.1', port], { stdio: ['pipe', 'pipe', 'pipe'] });
  const turnedAway = watch(wrong, 'nc without the token');
  await turnedAway.until('stdout', /ts-pdb: token\? \(send the token from the box/);
  wrong.stdin.write('p lr\n');
  await turnedAway.until('stdout', /needs its token as the first line/);
  const child = spawn('nc', ['127.0.0.1', port], { stdio: ['pipe', 'pipe', 'pipe'] });
  const client = watch(child, 'nc with the token');
  child.stdin.write(`${token}\n`);
  await client.until('stdout', /\(rank-1-pdb\) $/);
  child.stdin.write('p lr\n');
  await client.until('stdout', /0\.03\n\(rank-1-pdb\) $/);
  child.stdin.write('q\n');
  assert.equal(await rank1.exited, 1);
});

test('a TCP bind other than loopback takes the per-session token as the first line; without it a client is turned away', async (t) => {
  if (!needNc(t)) return;
  const { dir, prefix, home } = project();
  const rank1 = startRank(dir, prefix, 1, { IPDB_CONNECTION_TYPE: 'tcp', IPDB_PORT: '0', IPDB_HOST: '0.0.0.0' });
  const box = await rank1.until(
    'stderr',
    /connect with: {2}nc 0\.0\.0\.0 (\d+) +\|\n\| then send this token as the first line: {2}([0-9a-f]{32}) +\|/,
  );
  const [, port, token] = box;
  const wrong = spawn('nc', ['127.0.0.1', port], { stdio: ['pipe', 'pipe', 'pipe'] });
  const turnedAway = watch(wrong, 'nc without the token');
  await turnedAway.until('stdout', /ts-pdb: token\? \(send the token from the box/);
  wrong.stdin.write('p lr\n');
  await turnedAway.until('stdout', /needs its token as the first line/);
  assert.doesNotMatch(turnedAway.seen.stdout, /0\.03|rank-1-pdb/);
  // ts-pdb attach finds the token in the (private) registry.
  const child = spawn(process.execPath, [CLI, 'attach', `127.0.0.1:${port}`], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TS_PDB_HOME: home },
  });
  const client = watch(child, 'ts-pdb attach (tcp)');
  await client.until('stdout', /\(rank-1-pdb\) $/);
  assert.doesNotMatch(client.seen.stdout, /token\?/, 'attach sent the token itself: no question shown');
  child.stdin.write('p lr\n');
  await client.until('stdout', /0\.03\n\(rank-1-pdb\) $/);
  child.stdin.write('q\n');
  assert.equal(await rank1.exited, 1);
  assert.ok(token.length === 32);
});
