// `ts-pdb dap --port N` as nvim-dap's `server` adapter uses it: the adapter started with a port (0:
// any free one, printed on stdout), then the editor connects over loopback TCP with
// @vscode/debugadapter-testsupport's DebugClient. A session per connection, one after the other and
// side by side; 127.0.0.1 only; a connection from another user of the machine refused (its uid seen
// in /proc/net/tcp); usage mistakes and a taken port are one line and an exit code; `ts-pdb --help`
// names the command. Every message the adapter sends conforms to the protocol's schema.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import test from 'node:test';
import { attach, CLI, snapshotOf, startAdapter, watchMessages } from './dap-helpers.mjs';

const { dir, file } = snapshotOf();
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('--port 0: the port on stdout; an editor connects, attaches to a snapshot, reads the stack; a second connection after it, and two side by side', async (t) => {
  const first = await startAdapter(t, { port: true, cwd: dir });
  assert.ok(first.port > 0);
  await attach(first.dc, { snapshot: file });
  const st = await first.dc.stackTraceRequest({ threadId: 1 });
  assert.equal(st.body.stackFrames[0].name, 'check');
  assert.equal((await first.dc.evaluateRequest({ expression: 'p sum', context: 'repl' })).body.result, '600');
  await first.dc.disconnectRequest({});
  assert.equal(first.adapter.exitCode, null, 'the server stays for the next connection');

  // The next session on the same server, and another one beside it.
  const { DebugClient } = (await import('node:module')).createRequire(import.meta.url)('@vscode/debugadapter-testsupport');
  const clients = [new DebugClient(process.execPath, CLI, 'ts-pdb'), new DebugClient(process.execPath, CLI, 'ts-pdb')];
  for (const dc of clients) {
    await dc.start(first.port);
    // The adapter is killed when the test ends: a connection still open then is reset.
    dc._socket.on('error', () => {});
  }
  const checks = clients.map((dc) => watchMessages(dc));
  await Promise.all(clients.map((dc) => attach(dc, { snapshot: file })));
  // Each session has its own state: a frame moved in one is not moved in the other.
  await clients[0].evaluateRequest({ expression: 'u', context: 'repl' });
  assert.equal((await clients[0].evaluateRequest({ expression: 'p rate', context: 'repl' })).body.result, '1.5');
  assert.equal(
    (await clients[1].evaluateRequest({ expression: 'p rate', context: 'repl' })).body.result,
    '*** ReferenceError: rate is not defined',
  );
  await Promise.all(clients.map((dc) => dc.disconnectRequest({})));
  assert.deepEqual([...first.problems, ...checks.flatMap((c) => c.problems)], []);
});

test('it listens on 127.0.0.1 only', async (t) => {
  const { port } = await startAdapter(t, { port: true, cwd: dir });
  const outside = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (!outside) {
    t.skip('this machine has no address but loopback');
    return;
  }
  const refused = await new Promise((resolve) => {
    const s = net.connect(port, outside.address);
    s.on('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', (e) => resolve(e.code));
  });
  assert.equal(refused, 'ECONNREFUSED');
});

test('a connection from another user of the machine is refused with a message, and the connection closed', async (t) => {
  if (process.getuid() !== 0) {
    t.skip('needs root to run a client as another user');
    return;
  }
  const { port, adapter } = await startAdapter(t, { port: true, cwd: dir });
  // A client as user 65534 (nobody): it reads what the adapter says until the connection closes.
  const script = `const s = require('net').connect(${port}, '127.0.0.1'); let got = ''; s.on('data', (d) => (got += d)); s.on('close', () => { process.stdout.write(got); });`;
  const r = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 20_000, cwd: '/' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Content-Length: \d+\r\n\r\n\{.*"event":"output".*ts-pdb dap serves only its own user/);
  assert.equal(adapter.exitCode, null, 'the server goes on');
});

test('usage mistakes: --port without a number, out of range, an unknown argument: one line and exit 2; a port taken: exit 1; ts-pdb --help names dap', async (t) => {
  const run = (...args) => spawnSync(process.execPath, [CLI, 'dap', ...args], { encoding: 'utf8', timeout: 20_000 });
  for (const args of [['--port'], ['--port', 'abc'], ['--port', '70000'], ['--stdio']]) {
    const r = run(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /^ts-pdb dap: .*\nusage: ts-pdb dap \[--port N\]/, args.join(' '));
  }
  const taken = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => taken.once('listening', r));
  t.after(() => taken.close());
  const r = spawn(process.execPath, [CLI, 'dap', '--port', String(taken.address().port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  r.stderr.on('data', (d) => (err += d));
  const code = await new Promise((resolve) => r.on('exit', resolve));
  assert.equal(code, 1);
  assert.match(err, /^ts-pdb dap: cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  assert.match(help.stdout, /ts-pdb dap \[--port N\] +a Debug Adapter Protocol adapter for editors/);
});
