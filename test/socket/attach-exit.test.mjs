// `ts-pdb attach`'s exit status and its one-line messages (issue #9 item 3): a script or a user
// who runs attach must be able to tell "the session ended" (0) from "attach got nowhere" (non-zero):
// a busy session, a refused token, a missing socket, a rank in web mode, a peer that closes before
// any prompt. Real ranks (`ts-pdb run` in socket, TCP and web mode), real sockets, attach with pipes
// so that its stderr is seen apart from its stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';
import { collect, linkedProject, WAIT_MS } from '../helpers/socket.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');

const APP = `// @debuggable
function work(step: number) {
  const lr = 0.01 * step;
  if (step > 2) throw new RangeError(\`loss is NaN at step \${step}\`);
  return lr;
}
for (let s = 0; s < 5; s++) work(s);
`;

/** Rank 1 of the app, failing and waiting; `env` adds to or overrides its environment (IPDB_MODE: socket by default). */
function startRank(t, env = {}) {
  const dir = linkedProject('attach-exit-', APP);
  const home = path.join(dir, 'home');
  const child = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CI: 'true',
      IPDB_DEBUG: '1',
      RANK: '1',
      WORLD_SIZE: '3',
      IPDB_SOCK_PATH: path.join(dir, 'pdb.sock'),
      IPDB_MODE: '',
      IPDB_TIMEOUT: '',
      IPDB_CONNECTION_TYPE: '',
      IPDB_HOST: '',
      NO_COLOR: '1',
      TS_PDB_HOME: home,
      ...env,
    },
  });
  const stderr = collect(child.stderr, 'rank 1 (stderr)');
  collect(child.stdout, 'rank 1 (stdout)');
  t.after(() => {
    const pid = /rank 1 \(pid (\d+)\)/.exec(stderr.text)?.[1];
    if (pid)
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* ended */
      }
    killGroup(child);
  });
  return { dir, home, stderr };
}

/**
 * `ts-pdb attach <args>` with pipes; `input` is written to its stdin, which then ends unless `keepOpen`.
 * @returns {{ child, out, err, exited: () => Promise<number> }}
 */
function attach(t, args, { home, input = '', keepOpen = false } = {}) {
  const child = spawn(process.execPath, [CLI, 'attach', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...(home ? { TS_PDB_HOME: home, HOME: home } : {}) },
  });
  t.after(() => child.kill('SIGKILL'));
  const out = collect(child.stdout, 'attach (stdout)');
  const err = collect(child.stderr, 'attach (stderr)');
  const closed = new Promise((resolve) => child.on('close', resolve));
  if (input) child.stdin.write(input);
  if (!keepOpen) child.stdin.end();
  const exited = () =>
    Promise.race([
      closed,
      new Promise((_, reject) => {
        setTimeout(
          () => reject(new Error(`attach did not end within ${WAIT_MS} ms; stdout:\n${out.text}\nstderr:\n${err.text}`)),
          WAIT_MS,
        ).unref();
      }),
    ]);
  return { child, out, err, exited };
}

/** Asserts that `text` is exactly one line matching `pattern`. */
function oneLine(text, pattern) {
  assert.match(text, /^[^\n]+\n$/, `one line, not:\n${text}`);
  assert.match(text, pattern);
}

test(
  'a normal end is 0: the session ends with q; a client that leaves (end of input) leaves it waiting, also 0',
  { timeout: 4 * WAIT_MS },
  async (t) => {
    const rank = startRank(t);
    const socketPath = (await rank.stderr.until(/connect with: {2}nc -U (\S+)/))[1];
    const left = attach(t, [socketPath], { home: rank.home, input: 'p lr\n' });
    assert.equal(await left.exited(), 0, left.err.text);
    assert.match(left.out.text, /0\.03\n/);
    assert.equal(left.err.text, '');
    const ended = attach(t, [socketPath], { home: rank.home, input: 'q\n' });
    assert.equal(await ended.exited(), 0, ended.err.text);
    assert.match(ended.out.text, /session ended; the error goes on/);
    assert.equal(ended.err.text, '');
  },
);

test(
  'a busy session: attach says so in one line on stderr and exits 1; the client that has it keeps it',
  { timeout: 4 * WAIT_MS },
  async (t) => {
    const rank = startRank(t);
    const socketPath = (await rank.stderr.until(/connect with: {2}nc -U (\S+)/))[1];
    const first = net.connect(socketPath);
    t.after(() => first.destroy());
    const firstOut = collect(first, 'first client');
    await firstOut.until(/\(rank-1-pdb\) $/);
    const second = attach(t, [socketPath], { home: rank.home, keepOpen: true });
    assert.equal(await second.exited(), 1, `stdout:\n${second.out.text}\nstderr:\n${second.err.text}`);
    oneLine(second.err.text, /^ts-pdb attach: the session of rank 1 is busy: another client is attached\. Try again when it ends\.\n$/);
    assert.doesNotMatch(second.out.text, /busy/);
    first.write('p lr\n');
    await firstOut.until(/0\.03\n\(rank-1-pdb\) $/);
    first.write('q\n');
    await firstOut.until(/session ended/);
  },
);

test(
  'a refused token (TCP session, attach without its registry entry, a wrong token typed): one line on stderr, exit 1',
  { timeout: 4 * WAIT_MS },
  async (t) => {
    const rank = startRank(t, { IPDB_CONNECTION_TYPE: 'tcp', IPDB_PORT: '0', IPDB_HOST: '0.0.0.0' });
    const port = (await rank.stderr.until(/connect with: {2}nc 0\.0\.0\.0 (\d+) +\|/))[1];
    // Another home: attach finds no entry, so no token; the session asks, the wrong one goes.
    const elsewhere = scratch('attach-exit-home-');
    const a = attach(t, [`127.0.0.1:${port}`], { home: elsewhere, input: 'not-the-token\n', keepOpen: true });
    assert.equal(await a.exited(), 1, `stdout:\n${a.out.text}\nstderr:\n${a.err.text}`);
    oneLine(a.err.text, /^ts-pdb attach: this session needs its token as the first line/);
    assert.match(a.out.text, /token\?/, 'the question was shown');
  },
);

test('a missing socket: one line that says what to do, exit 1', async (t) => {
  const dir = scratch('attach-exit-');
  const a = attach(t, [path.join(dir, 'pdb.sock.1')], { home: path.join(dir, 'home') });
  assert.equal(await a.exited(), 1);
  oneLine(
    a.err.text,
    new RegExp(
      `^ts-pdb attach: no socket at ${path.join(dir, 'pdb.sock.1').replace(/[.]/g, '\\.')} \\(the session ended, or the path is wrong; ts-pdb ls lists the waiting sessions\\)\\n$`,
    ),
  );
  assert.equal(a.out.text, '');
});

test('a peer that closes before any prompt (not a session): one line, exit 1', async (t) => {
  const dir = scratch('attach-exit-');
  const file = path.join(dir, 'peer.sock');
  const server = net.createServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  await new Promise((resolve) => server.listen(file, resolve));
  t.after(() => server.close());
  const a = attach(t, [file], { home: path.join(dir, 'home'), keepOpen: true });
  assert.equal(await a.exited(), 1, a.err.text);
  oneLine(a.err.text, /^ts-pdb attach: the session at \S+ closed the connection before its prompt\n$/);
});

test(
  'a rank in web mode, by rank, by host:port or by its URL: open the page in a browser, one line, exit 1',
  { timeout: 4 * WAIT_MS },
  async (t) => {
    const rank = startRank(t, { IPDB_MODE: 'web', IPDB_WEB_PORT: '0', IPDB_HOST: '' });
    const url = (await rank.stderr.until(/(http:\/\/127\.0\.0\.1:\d+\/)/))[1];
    const port = new URL(url).port;
    for (const target of ['1', `127.0.0.1:${port}`, `localhost:${port}`]) {
      const a = attach(t, [target], { home: rank.home });
      assert.equal(await a.exited(), 1, `${target}: ${a.err.text}`);
      assert.equal(a.err.text, `ts-pdb attach: rank 1 waits in web mode: open ${url} in a browser\n`, target);
    }
    const byUrl = attach(t, [url], { home: rank.home });
    assert.equal(await byUrl.exited(), 1);
    assert.equal(byUrl.err.text, `ts-pdb attach: ${url} is a web session's page: open it in a browser\n`);
  },
);
