// The hosts harness (test/helpers/hosts.mjs) keeps its promises, shown with real programs: each host
// has its own host name and its own /tmp (a Unix socket made on one is not on the other), a TCP
// server bound to 0.0.0.0 on one host is reached from the other at its 192.0.2.x address while one
// bound to 127.0.0.1 is not, a folder under the checkout's .tmp/ is shared, and nothing the harness
// made remains after it: not when the test tears it down, not when the test runner is killed with -9.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeHosts, processesInNetns } from '../helpers/hosts.mjs';
import { collect, WAIT_MS } from '../helpers/socket.mjs';

const node = process.execPath;

/** A Node server on `host`: `listen` is the argument of server.listen; it prints `listening <address>`. */
async function serve(host, listen) {
  const child = host.spawn(node, [
    '-e',
    `const net = require('node:net'), os = require('node:os');
     const server = net.createServer((s) => s.end('hello from ' + os.hostname() + '\\n'));
     server.listen(${JSON.stringify(listen)}, () => {
       const a = server.address();
       console.log('listening ' + (typeof a === 'string' ? a : a.address + ' ' + a.port));
     });`,
  ]);
  const out = collect(child.stdout, `server on ${host.name}`);
  const [, where] = await out.until(/^listening (.+)$/m);
  return { child, where };
}

/** Connects from `host` to `target` (`{ path }` or `{ host, port }`); resolves to what was read, or `error <code>`. */
async function connectFrom(host, target) {
  const r = await host.run(node, [
    '-e',
    `const s = require('node:net').connect(${JSON.stringify(target)});
     let got = '';
     s.setEncoding('utf8').on('data', (d) => (got += d)).on('end', () => console.log('read ' + got.trim()));
     s.on('error', (e) => console.log('error ' + e.code));
     setTimeout(() => { console.log('error TIMEOUT'); process.exit(); }, 5000).unref();`,
  ]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test('two hosts: their own host names, loopbacks and /tmp; 0.0.0.0 reached across, 127.0.0.1 not; a shared folder', async (t) => {
  const net = await makeHosts(t, { names: ['alpha', 'beta'] });
  if (!net) return;
  const [alpha, beta] = net.hosts;
  assert.deepEqual([alpha.address, beta.address], ['192.0.2.1', '192.0.2.2']);

  // Host names: os.hostname() in node on each.
  const names = await Promise.all(net.hosts.map((h) => h.run(node, ['-p', 'require("os").hostname()'])));
  assert.deepEqual(
    names.map((r) => r.stdout.trim()),
    ['alpha', 'beta'],
  );
  assert.notEqual(os.hostname(), 'alpha', "the machine's own name is untouched");

  // A Unix socket in /tmp on alpha: alpha connects to it; beta and the machine do not see it.
  const sock = `/tmp/ts-pdb-hosts-${process.pid}.sock`;
  const unix = await serve(alpha, sock);
  assert.equal(unix.where, sock);
  assert.equal(await connectFrom(alpha, { path: sock }), 'read hello from alpha');
  assert.equal(await connectFrom(beta, { path: sock }), 'error ENOENT');
  assert.equal(fs.existsSync(sock), false, "not in the machine's /tmp either");

  // TCP on 0.0.0.0 on beta: alpha reaches it at beta's address.
  const open = await serve(beta, { host: '0.0.0.0', port: 0 });
  const openPort = Number(open.where.split(' ')[1]);
  assert.equal(await connectFrom(alpha, { host: beta.address, port: openPort }), 'read hello from beta');

  // TCP on 127.0.0.1 on beta: beta itself reaches it; alpha does not, neither at beta's address
  // (nothing listens there on beta) nor at 127.0.0.1 (alpha's own loopback).
  const local = await serve(beta, { host: '127.0.0.1', port: 0 });
  const localPort = Number(local.where.split(' ')[1]);
  assert.equal(await connectFrom(beta, { host: '127.0.0.1', port: localPort }), 'read hello from beta');
  assert.equal(await connectFrom(alpha, { host: beta.address, port: localPort }), 'error ECONNREFUSED');
  assert.equal(await connectFrom(alpha, { host: '127.0.0.1', port: localPort }), 'error ECONNREFUSED');

  // The shared folder (under the checkout's .tmp/): written on alpha, read and added to on beta.
  assert.ok(net.shared.startsWith(path.resolve(import.meta.dirname, '..', '..', '.tmp')), net.shared);
  const a = await alpha.run('sh', ['-c', 'hostname > from-alpha'], { cwd: net.shared });
  assert.equal(a.code, 0, a.stderr);
  const b = await beta.run('sh', ['-c', 'cat from-alpha; hostname > from-beta'], { cwd: net.shared });
  assert.equal(b.stdout, 'alpha\n');
  assert.equal(fs.readFileSync(path.join(net.shared, 'from-beta'), 'utf8'), 'beta\n');
});

/** The machine's own named namespaces and links, as `ip` lists them. */
function machineNetwork() {
  const ip = (...args) => spawnSync('ip', args, { encoding: 'utf8' }).stdout;
  // `ip -o link` lines carry counters that change; names and states are what matters.
  const links = ip('-o', 'link')
    .split('\n')
    .map((l) => l.split(/\s+/).slice(1, 2).join(' '))
    .filter(Boolean);
  return { netns: ip('netns', 'list'), links };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('teardown: no namespace, link or process remains, the programs running on the hosts included', async (t) => {
  const before = machineNetwork();
  const net = await makeHosts(t, { names: ['alpha', 'beta', 'gamma'] });
  if (!net) return;
  assert.equal(net.hosts[2].address, '192.0.2.3');
  // The hosts add nothing to the machine's own network.
  assert.deepEqual(machineNetwork(), before);
  // Something long-running on every host, as a waiting rank would be.
  const sleepers = net.hosts.map((h) => h.spawn('sleep', ['1000']));
  await Promise.all(sleepers.map((s) => new Promise((resolve) => s.on('spawn', resolve))));
  const namespaces = [...net.hosts.map((h) => h.netns), net.bridge.netns];
  const holders = [...net.hosts.map((h) => h.pid), net.bridge.pid];
  for (const ns of namespaces) assert.ok(processesInNetns(ns).length > 0, `${ns} is in use`);

  await net.teardown();
  for (const ns of namespaces) assert.deepEqual(processesInNetns(ns), [], `no process left in ${ns}`);
  for (const pid of holders) assert.equal(alive(pid), false, `holder ${pid} is gone`);
  for (const s of sleepers) assert.equal(alive(s.pid), false, `sleep's nsenter ${s.pid} is gone`);
  assert.deepEqual(machineNetwork(), before);
});

test('a test runner killed with -9 leaves no host behind (its holders end when their stdin closes)', async (t) => {
  // A runner of its own, which makes two hosts, starts a program on each and reports their
  // namespaces; then it is killed before it could tear anything down.
  const runner = spawn(
    node,
    [
      '--input-type=module',
      '-e',
      `import { makeHosts } from ${JSON.stringify(new URL('../helpers/hosts.mjs', import.meta.url).href)};
       const t = { after() {}, skip(why) { console.log('skip ' + why); process.exit(); } };
       const net = await makeHosts(t, { names: ['alpha', 'beta'] });
       for (const h of net.hosts) h.spawn('sleep', ['1000']);
       console.log('made ' + JSON.stringify([...net.hosts.map((h) => h.netns), net.bridge.netns]));`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  t.after(() => runner.kill('SIGKILL'));
  const out = collect(runner.stdout, 'the runner');
  const seen = await out.until(/^(made|skip) (.+)$/m);
  if (seen[1] === 'skip') {
    t.skip(seen[2]);
    return;
  }
  const namespaces = JSON.parse(seen[2]);
  const inUse = (ns) => processesInNetns(ns).length > 0;
  assert.ok(namespaces.every(inUse));
  runner.kill('SIGKILL');
  const deadline = Date.now() + WAIT_MS;
  while (namespaces.some(inUse)) {
    assert.ok(Date.now() < deadline, `still in use after ${WAIT_MS} ms: ${namespaces.filter(inUse).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});
