// The shared registry (issue #13, docs/hosts-design.md): IPDB_REGISTRY names a folder the hosts of a
// job share; real ranks (`ts-pdb run`, socket mode) register there under unique names, 0600 in a 0700
// folder, refresh their entry every 5 s, and remove it when they end; a folder that is not safe is
// refused in one line. `ts-pdb ls` groups by job and host, `attach` chooses with --job/--host and says
// in one line why it cannot reach a rank. On one machine "another host" is an entry file with another
// host name, written into the folder as a session of that host writes it: honest for the listing, the
// heartbeat's ages and attach's choices (the real multi-host run is the namespace harness's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from '../helpers/build.mjs';
import { collect, linkedProject, WAIT_MS } from '../helpers/socket.mjs';
import { CLI, connectSession, startRun } from '../helpers/run-program.mjs';

const require = createRequire(import.meta.url);
const HERE = os.hostname();
const FAR = 'far-host.example';

const APP = `// @debuggable
function train(step: number) {
  const lr = 0.01 * step;
  if (step > 2) throw new RangeError(\`loss is NaN at step \${step}\`);
  return lr;
}
for (let s = 0; s < 5; s++) train(s);
`;

/** A project, a shared registry folder that does not exist yet (its parent neither), and the private home. */
function setup() {
  const dir = linkedProject('shared-registry-', APP);
  return { dir, shared: path.join(dir, 'nfs', 'registry'), home: path.join(dir, 'home') };
}

/** Starts rank `rank` of job `job` (torchrun's variables) in socket mode, registering in `shared`. */
function startRank(t, s, rank, job, env = {}) {
  const run = startRun(
    s.dir,
    {
      RANK: String(rank),
      WORLD_SIZE: '4',
      TORCHELASTIC_RUN_ID: job,
      IPDB_SOCK_PATH: path.join(s.dir, 'pdb.sock'),
      IPDB_REGISTRY: s.shared,
      IPDB_TIMEOUT: undefined,
      ...env,
    },
    `rank ${rank}`,
  );
  t.after(() => run.kill());
  return run;
}

/** The socket path in a rank's box, once it is out. */
async function boxPath(run) {
  return (await run.err.until(/connect with: {2}nc -U (\S+)/))[1];
}

/** `ts-pdb <args>` with the test's registry; its exit code, stdout and stderr. */
function cli(s, args, env = {}) {
  return spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, TS_PDB_HOME: s.home, IPDB_REGISTRY: s.shared, ...env },
  });
}

/** The entry files in `dir` (no temporary ones). */
const entryFiles = (dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.'));

/** Writes an entry of another host into the shared folder, as a session there would (0600); returns its file. */
function foreignEntry(s, fields) {
  const e = { pid: 4242, host: FAR, mode: 'tcp', error: 'Error: far away', since: Date.now() - 60_000, beat: Date.now(), ...fields };
  const file = path.join(s.shared, `${e.job ?? 'nojob'}.far-host_example.${e.pid}.${e.rank}.json`);
  fs.writeFileSync(file, JSON.stringify(e), { mode: 0o600 });
  return file;
}

/** Resolves when `test()` holds for the folder `dir` (watched), rejecting with `what` and the folder's files after WAIT_MS. */
function folderUntil(dir, what, check) {
  return new Promise((resolve, reject) => {
    const done = () => {
      const v = check();
      if (!v) return false;
      clearTimeout(timer);
      watcher.close();
      resolve(v);
      return true;
    };
    const watcher = fs.watch(dir, () => done());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${what} within ${WAIT_MS} ms; the folder holds: ${fs.readdirSync(dir).join(', ') || 'nothing'}`));
    }, WAIT_MS);
    done();
  });
}

test('IPDB_REGISTRY: two waiting ranks register in the shared folder (made 0700), each entry whole, 0600, under a name unique across hosts and jobs; an ended session removes its own', async (t) => {
  const s = setup();
  const ranks = [1, 2].map((r) => startRank(t, s, r, 'job-a'));
  const sockets = await Promise.all(ranks.map(boxPath));
  const names = await folderUntil(s.shared, 'two entries', () => (entryFiles(s.shared).length === 2 ? entryFiles(s.shared) : null));
  assert.equal(fs.statSync(s.shared).mode & 0o777, 0o700, 'the folder is made 0700');
  const host = HERE.replace(/[^A-Za-z0-9_-]/g, '_');
  for (const name of names) {
    assert.match(name, new RegExp(`^job-a\\.${host}\\.\\d+\\.[12]\\.json$`));
    const file = path.join(s.shared, name);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, `${name} is 0600`);
    const e = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(name, `job-a.${host}.${e.pid}.${e.rank}.json`);
    assert.equal(e.host, HERE);
    assert.equal(e.job, 'job-a');
    assert.equal(e.mode, 'socket');
    assert.equal(e.reach, 'host', 'a Unix socket is for this host only');
    assert.equal(e.address, sockets[e.rank - 1]);
    assert.equal(typeof e.thrown, 'number');
    assert.equal(typeof e.beat, 'number');
  }
  // The private registry holds nothing: the shared folder is where these sessions are.
  assert.deepEqual(fs.existsSync(path.join(s.home, 'sessions')) ? entryFiles(path.join(s.home, 'sessions')) : [], []);

  // ls (from this host): one group, the job's, this host's; --json gives each entry its state.
  const ls = cli(s, ['ls']);
  assert.equal(ls.status, 0, ls.stderr);
  assert.match(
    ls.stdout,
    new RegExp(`^RANK +PID +HOST +MODE +ADDRESS +AGE +ERROR\\njob job-a, host ${HERE} \\(this host\\):\\n1 .*\\n(?: {6}.*\\n)*2 `, 'm'),
  );
  const json = JSON.parse(cli(s, ['ls', '--json']).stdout);
  assert.deepEqual(
    json.map((e) => [e.rank, e.state]),
    [
      [1, 'waiting'],
      [2, 'waiting'],
    ],
  );

  // Rank 1's client ends its session: its entry goes, rank 2's stays.
  const client = await connectSession(sockets[0]);
  client.send('q');
  assert.equal(await ranks[0].exited, 1);
  assert.deepEqual(entryFiles(s.shared), [names.find((n) => n.endsWith('.2.json'))]);
});

test('the heartbeat: a waiting session rewrites its entry`s beat about every 5 s (from its serving thread, while the program is stopped)', async (t) => {
  const s = setup();
  const rank = startRank(t, s, 1, 'job-beat');
  await boxPath(rank);
  const [name] = await folderUntil(s.shared, 'the entry', () => (entryFiles(s.shared).length ? entryFiles(s.shared) : null));
  const read = () => JSON.parse(fs.readFileSync(path.join(s.shared, name), 'utf8'));
  const first = read();
  const next = await folderUntil(s.shared, 'a new beat', () => {
    try {
      const e = read();
      return e.beat !== first.beat ? e : null;
    } catch {
      return null;
    }
  });
  const gap = next.beat - first.beat;
  assert.ok(gap >= 4500 && gap < 12_000, `the next beat came ${gap} ms after the first (5000 expected)`);
  assert.equal(next.since, first.since, 'only the beat changes');
  assert.equal(fs.statSync(path.join(s.shared, name)).mode & 0o777, 0o600);
});

test('entries of another host: gone after 15 s without a beat, removed after an hour; ls groups by job then host, --job filters, --json carries the state', async (t) => {
  const s = setup();
  const rank = startRank(t, s, 1, 'job-a');
  await boxPath(rank);
  await folderUntil(s.shared, 'the entry', () => entryFiles(s.shared).length === 1);
  foreignEntry(s, { rank: 2, job: 'job-a', address: '192.0.2.77:4446', reach: 'network', token: 't0k' });
  foreignEntry(s, { rank: 3, pid: 4243, job: 'job-a', beat: Date.now() - 40_000, address: '192.0.2.77:4447', reach: 'network' });
  foreignEntry(s, { rank: 0, job: 'job-b', mode: 'socket', address: '/tmp/pdb.sock.0', reach: 'host' });
  const old = foreignEntry(s, { rank: 5, job: 'job-a', pid: 4244, beat: Date.now() - 2 * 3600_000, address: '192.0.2.77:4449' });

  const ls = cli(s, ['ls']);
  assert.equal(ls.status, 0, ls.stderr);
  const lines = ls.stdout.split('\n');
  const heads = lines.filter((l) => /^(job|no job)/.test(l));
  assert.deepEqual(heads, [`job job-a, host ${HERE} (this host):`, `job job-a, host ${FAR}:`, `job job-b, host ${FAR}:`]);
  const under = (head) => {
    const at = lines.indexOf(head);
    const end = lines.findIndex((l, i) => i > at && /^(job|no job)/.test(l));
    return lines.slice(at + 1, end < 0 ? undefined : end).join('\n');
  };
  assert.match(under(`job job-a, host ${FAR}:`), /^2 +4242 +far-host\.example +tcp +192\.0\.2\.77:4446 /m);
  assert.match(under(`job job-a, host ${FAR}:`), /^3 +4243 .*\n {6}gone: no heartbeat for 4\ds \(its host or process may be down\)$/m);
  assert.match(
    under(`job job-b, host ${FAR}:`),
    /^0 +4242 .*socket +\/tmp\/pdb\.sock\.0 .*\n {6}note: waits on a Unix socket: other hosts cannot reach it \(attach on far-host\.example, or run with IPDB_CONNECTION_TYPE=tcp IPDB_HOST=0\.0\.0\.0, or web mode with IPDB_HOST\)$/m,
  );
  assert.doesNotMatch(ls.stdout, /4449/, 'an entry silent for an hour is not listed');
  assert.equal(fs.existsSync(old), false, 'and ls removed it');

  const jobB = cli(s, ['ls', '--job', 'job-b']);
  assert.deepEqual(
    jobB.stdout
      .split('\n')
      .filter((l) => /^\d/.test(l))
      .map((l) => l.split(/ +/)[0]),
    ['0'],
  );
  const json = JSON.parse(cli(s, ['ls', '--json', '--job', 'job-a']).stdout);
  assert.deepEqual(
    json.map((e) => [e.rank, e.host === HERE ? 'here' : e.host, e.state]),
    [
      [1, 'here', 'waiting'],
      [2, FAR, 'waiting'],
      [3, FAR, 'gone'],
    ],
  );
  const usage = cli(s, ['ls', '--job']);
  assert.equal(usage.status, 2);
  assert.equal(usage.stderr, 'ts-pdb ls: --job takes a job id; usage: ts-pdb ls [--job ID] [--json]\n');
});

test('attach RANK --job/--host: several matches, a host-only entry of another host, a gone one: one line each, exit 1; --job picks the rank and the session runs', async (t) => {
  const s = setup();
  const rank = startRank(t, s, 1, 'job-a');
  await boxPath(rank);
  await folderUntil(s.shared, 'the entry', () => entryFiles(s.shared).length === 1);
  foreignEntry(s, { rank: 1, job: 'job-b', mode: 'socket', address: '/tmp/pdb.sock.1', reach: 'host' });
  foreignEntry(s, { rank: 2, job: 'job-b', pid: 4245, beat: Date.now() - 30_000, address: '192.0.2.77:4446', reach: 'network' });

  const several = cli(s, ['attach', '1']);
  assert.equal(several.status, 1);
  assert.match(
    several.stderr,
    new RegExp(
      `^ts-pdb attach: 2 waiting sessions of rank 1: job job-a on host ${HERE} \\(pid \\d+\\); job job-b on host far-host\\.example \\(pid 4242\\); say which with --job ID or --host H\\n$`,
    ),
  );
  const far = cli(s, ['attach', '1', '--host', FAR]);
  assert.equal(far.status, 1);
  assert.equal(
    far.stderr,
    `ts-pdb attach: rank 1 waits on host ${FAR} on a Unix socket (/tmp/pdb.sock.1), which other hosts cannot reach: ` +
      `run ts-pdb attach 1 on ${FAR}, or start the job with IPDB_CONNECTION_TYPE=tcp IPDB_HOST=0.0.0.0, or web mode with IPDB_HOST\n`,
  );
  const gone = cli(s, ['attach', '2', '--job', 'job-b']);
  assert.equal(gone.status, 1);
  assert.match(gone.stderr, /^ts-pdb attach: rank 2 of job job-b on host far-host\.example \(pid 4245\) is gone: no heartbeat for 3\ds /);
  const none = cli(s, ['attach', '1', '--job', 'job-c']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /^ts-pdb attach: no waiting session of rank 1 of job job-c\n/);
  const bad = cli(s, ['attach', '/tmp/x.sock', '--job', 'job-a']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--job and --host choose among the sessions of a rank/);

  // --job job-a (and --host this host): the real rank, through the shared registry.
  for (const args of [
    ['--job', 'job-a'],
    ['--host', HERE],
  ]) {
    const child = spawn(process.execPath, [CLI, 'attach', '1', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TS_PDB_HOME: s.home, IPDB_REGISTRY: s.shared },
    });
    t.after(() => child.kill());
    const out = collect(child.stdout, `attach 1 ${args.join(' ')}`);
    const err = collect(child.stderr, `attach 1 ${args.join(' ')} (stderr)`);
    const exit = new Promise((resolve) => child.on('close', resolve));
    await out.until(/\(rank-1-pdb\) $/);
    child.stdin.write('p lr\n');
    await out.until(/0\.03\d*\n\(rank-1-pdb\) $/);
    child.stdin.end();
    assert.equal(await exit, 0, err.text);
  }
});

test('attach to another host`s TCP rank that does not answer: refused, or no answer within 5 s: one line that says what to set, exit 1', async (t) => {
  const s = setup();
  fs.mkdirSync(s.shared, { recursive: true, mode: 0o700 });
  // A port nothing listens on (taken, then let go): the connection is refused.
  const free = net.createServer();
  await new Promise((resolve) => free.listen(0, '127.0.0.1', resolve));
  const closedPort = free.address().port;
  await new Promise((resolve) => free.close(resolve));
  foreignEntry(s, { rank: 1, job: 'job-a', address: `127.0.0.1:${closedPort}`, reach: 'network' });
  const refused = cli(s, ['attach', '1']);
  assert.equal(refused.status, 1);
  assert.equal(
    refused.stderr,
    `ts-pdb attach: rank 1 on host ${FAR} (127.0.0.1:${closedPort}) refused the connection: the session ended, or a firewall on ${FAR} ` +
      `turns this host away (let this host reach TCP port ${closedPort} there, or run ts-pdb attach 1 on ${FAR})\n`,
  );

  // An address that drops what it is sent: a listener whose queue is full (it never accepts), so the
  // kernel drops further SYNs, as a firewall that drops does.
  if (spawnSync('sh', ['-c', 'command -v python3']).status !== 0) {
    t.skip('python3 is needed for a listener that never accepts (the no-answer case)');
    return;
  }
  const hole = spawn(
    'python3',
    [
      '-c',
      `import socket, sys
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(0)
fill = []
for _ in range(3):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(s.getsockname())
    except BlockingIOError: pass
    fill.append(c)
print(s.getsockname()[1], flush=True)
sys.stdin.read()`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  t.after(() => hole.kill());
  const port = Number((await collect(hole.stdout, 'the black hole').until(/^(\d+)\n/))[1]);
  foreignEntry(s, { rank: 2, job: 'job-a', address: `127.0.0.1:${port}`, reach: 'network' });
  const started = Date.now();
  const silent = await new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'attach', '2'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TS_PDB_HOME: s.home, IPDB_REGISTRY: s.shared },
    });
    const err = collect(child.stderr, 'attach 2 (stderr)');
    child.on('close', (code) => resolve({ code, stderr: err.text }));
  });
  const took = Date.now() - started;
  assert.equal(silent.code, 1);
  assert.equal(
    silent.stderr,
    `ts-pdb attach: rank 2 on host ${FAR} (127.0.0.1:${port}) did not answer within 5 s: a firewall drops the connection, or the host is down ` +
      `(let this host reach TCP port ${port} there, or run ts-pdb attach 2 on ${FAR})\n`,
  );
  assert.ok(took >= 4900 && took < 15_000, `attach gave up after ${took} ms`);
});

test('a shared folder that is not safe is refused in one line; the session registers in the private registry and ls says why it lists that one only', async (t) => {
  const s = setup();
  fs.mkdirSync(s.shared, { recursive: true });
  fs.chmodSync(s.shared, 0o777);
  const rank = startRank(t, s, 1, 'job-a');
  await boxPath(rank);
  const line = `ts-pdb: IPDB_REGISTRY=${s.shared} is refused: its group or others may write in it (mode 0777); chmod 700 it; this session registers in the private registry of this host instead\n`;
  await rank.err.until((text) => text.includes(line));
  assert.equal(rank.err.text.split(line).length, 2, 'said once');
  assert.deepEqual(entryFiles(s.shared), []);
  const priv = path.join(s.home, 'sessions');
  await folderUntil(priv, 'the private entry', () => entryFiles(priv).length === 1);
  const ls = cli(s, ['ls']);
  assert.equal(ls.status, 0);
  assert.equal(
    ls.stderr,
    `ts-pdb ls: IPDB_REGISTRY=${s.shared} is refused: its group or others may write in it (mode 0777); chmod 700 it; listing this host's private registry only\n`,
  );
  assert.match(ls.stdout, /^1 +\d+ +\S+ +socket /m);

  // Not a folder; and (as root, which can give it away) a folder of another user.
  const file = path.join(s.dir, 'a-file');
  fs.writeFileSync(file, '');
  assert.match(
    cli(s, ['ls'], { IPDB_REGISTRY: file }).stderr,
    /^ts-pdb ls: IPDB_REGISTRY=\S+a-file is refused: it is not a folder; listing/,
  );
  if (process.getuid?.() === 0) {
    const theirs = path.join(s.dir, 'theirs');
    fs.mkdirSync(theirs, { mode: 0o700 });
    fs.chownSync(theirs, 65534, 65534);
    assert.match(
      cli(s, ['ls'], { IPDB_REGISTRY: theirs }).stderr,
      /^ts-pdb ls: IPDB_REGISTRY=\S+theirs is refused: it belongs to another user \(uid 65534\); make a folder of your own, mode 0700; listing/,
    );
  }
});

test('the address other hosts use: the IP of the interface bound; for 0.0.0.0 the first non-internal IPv4; loopback and lo alone are this host only', () => {
  const { reachableFrom, withPort } = require(path.join(ROOT, 'dist/runtime/front-ends/shared/reachable-address.js'));
  const lo = [{ address: '127.0.0.1', family: 'IPv4', internal: true }];
  const eth = [
    { address: 'fe80::1', family: 'IPv6', internal: false },
    { address: 'fd00::2', family: 'IPv6', internal: false },
    { address: '192.0.2.2', family: 'IPv4', internal: false },
  ];
  assert.deepEqual(reachableFrom('0.0.0.0', { lo, eth }), { reach: 'network', ip: '192.0.2.2' });
  assert.deepEqual(reachableFrom('::', { lo, eth: eth.slice(0, 2) }), { reach: 'network', ip: 'fd00::2' }, 'never a link-local address');
  assert.deepEqual(reachableFrom('0.0.0.0', { lo, eth: eth.slice(0, 2) }), { reach: 'host' }, '0.0.0.0 has no IPv6');
  assert.deepEqual(reachableFrom('0.0.0.0', { lo }), { reach: 'host' });
  assert.deepEqual(reachableFrom('127.0.0.1', { lo, eth }), { reach: 'host' });
  assert.deepEqual(reachableFrom('[::1]', { lo, eth }), { reach: 'host' });
  assert.deepEqual(reachableFrom('192.0.2.9', { lo, eth }), { reach: 'network', ip: '192.0.2.9' });
  assert.equal(withPort('fd00::2', 4445), '[fd00::2]:4445');
  assert.equal(withPort('192.0.2.2', 4445), '192.0.2.2:4445');
});

test('a TCP rank bound to 0.0.0.0 registers the IP other hosts use and reach "network"', async (t) => {
  const s = setup();
  const rank = startRank(t, s, 1, 'job-tcp', { IPDB_CONNECTION_TYPE: 'tcp', IPDB_HOST: '0.0.0.0', IPDB_PORT: '0' });
  await rank.err.until(/then send this token as the first line: {2}(\w+)/);
  const [name] = await folderUntil(s.shared, 'the entry', () => (entryFiles(s.shared).length ? entryFiles(s.shared) : null));
  const e = JSON.parse(fs.readFileSync(path.join(s.shared, name), 'utf8'));
  const ip = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => !i.internal && i.family === 'IPv4')?.address;
  if (!ip) {
    assert.equal(e.reach, 'host');
    return;
  }
  assert.equal(e.reach, 'network');
  assert.match(e.address, new RegExp(`^${ip.replace(/\./g, '\\.')}:\\d+$`));
  // attach (on this host) reaches it at that address, with the token from the entry.
  const child = spawn(process.execPath, [CLI, 'attach', '1', '--job', 'job-tcp'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TS_PDB_HOME: s.home, IPDB_REGISTRY: s.shared },
  });
  t.after(() => child.kill());
  const out = collect(child.stdout, 'attach 1');
  await out.until(/\(rank-1-pdb\) $/);
  child.stdin.write('q\n');
  assert.equal(await rank.exited, 1);
});

/** GET `pathname` of 127.0.0.1:`port` (the page's own Host); status and body. */
function get(port, pathname) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: pathname, headers: { Host: `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
  });
}

test('the overview page (/ranks) of a web rank lists the ranks of every host sharing the registry, grouped by job and host; another host`s page linked by its IP, with its token only on a page that needs one', async (t) => {
  const s = setup();
  fs.mkdirSync(s.shared, { recursive: true, mode: 0o700 });
  foreignEntry(s, { rank: 2, job: 'job-w', mode: 'web', address: 'http://192.0.2.77:4446/', token: 'f00d', reach: 'network' });
  foreignEntry(s, { rank: 3, job: 'job-w', mode: 'tcp', pid: 4243, address: '192.0.2.77:4447', reach: 'network' });
  foreignEntry(s, { rank: 4, job: 'job-w', mode: 'socket', pid: 4244, address: '/tmp/pdb.sock.4', reach: 'host' });
  foreignEntry(s, { rank: 5, job: 'job-w', mode: 'tcp', pid: 4245, address: '192.0.2.77:4449', beat: Date.now() - 20_000 });
  for (const token of ['', '1']) {
    const rank = startRank(t, s, 1, 'job-w', { IPDB_MODE: 'web', IPDB_WEB_PORT: '0', IPDB_HOST: '', IPDB_TOKEN: token });
    const url = new URL((await rank.err.until(/open in a browser: {2}(\S+)/))[1]);
    const overview = await get(url.port, `/ranks${url.search}`);
    assert.equal(overview.status, 200, overview.body);
    const html = overview.body;
    assert.match(
      html,
      new RegExp(`<th colspan="7">job job-w, host ${HERE} \\(this host\\)</th>[^]*<th colspan="7">job job-w, host far-host\\.example</th>`),
    );
    if (token) {
      assert.ok(html.includes('<a href="http://192.0.2.77:4446/?token=f00d">http://192.0.2.77:4446/</a>'), html);
    } else {
      assert.ok(
        html.includes('<a href="http://192.0.2.77:4446/">http://192.0.2.77:4446/</a> <span class="dim">(needs its token)</span>'),
        html,
      );
      assert.ok(!html.includes('f00d'), 'no token on a page that needs none');
    }
    assert.ok(
      html.includes('<code>ts-pdb attach 3 --job job-w --host far-host.example</code> <span class="dim">(192.0.2.77:4447)</span>'),
      html,
    );
    assert.match(
      html,
      /<code>nc -U \/tmp\/pdb\.sock\.4<\/code> <span class="dim">\(on far-host\.example only: other hosts cannot reach it; IPDB_CONNECTION_TYPE=tcp/,
    );
    assert.match(html, /\(gone: no heartbeat for 2\ds\)/);
    if (!token) {
      // The page server (the web worker) registered the rank with its job, and beats for it while the program is stopped.
      const name = entryFiles(s.shared).find((f) => f.startsWith('job-w.') && !f.includes('far-host'));
      const read = () => JSON.parse(fs.readFileSync(path.join(s.shared, name), 'utf8'));
      const first = read();
      assert.equal(first.mode, 'web');
      assert.equal(first.reach, 'host', 'a loopback page is for this host only');
      await folderUntil(s.shared, "the web rank's next beat", () => read().beat !== first.beat);
    }
    rank.kill();
    await rank.exited;
  }
});
