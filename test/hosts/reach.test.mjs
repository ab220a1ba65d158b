// Reaching a job's ranks across hosts (issue #13), on two hosts made of namespaces
// (test/helpers/hosts.mjs) and the launcher of the job test (hosts-job.mjs). First, README.md's path
// as a user follows it: its "### Jobs across hosts" export line is what the ranks get, `ts-pdb ls`
// on alpha prints the table the README shows (its header, its group lines, a row per rank in its
// columns), `ts-pdb dap` on alpha with {"ranks": "all"} has a thread per waiting rank of both hosts
// and beta's TypeScript frame, and `npx ts-pdb attach 3` as the README writes it reaches rank 3 on
// beta. Then where attach cannot reach: a rank of beta on a Unix socket (listed on alpha with the
// note that other hosts cannot reach it; attach says what to set) and a rank of beta over TCP behind
// a rule of beta's that drops what is sent to its port (attach says no answer came within 5 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, writeBuild } from '../helpers/build.mjs';
import { makeHosts } from '../helpers/hosts.mjs';
import { block, commands, section } from '../helpers/readme.mjs';
import { collect, WAIT_MS } from '../helpers/socket.mjs';
import { attach } from '../dap/dap-helpers.mjs';
import { APP, APP_ODD, CLI, JOB, launchArgs, node, rankEnv, tsPdb, until, watchLauncher } from './hosts-job.mjs';

const require = createRequire(import.meta.url);
const { DebugClient } = require('@vscode/debugadapter-testsupport');

const README_SECTION = section('### Jobs across hosts');

/** `ts-pdb ls`'s group line: `job ID, host NAME`, `(this host)` on the host's own, then a colon. */
const GROUP = /^job (\S+), host (\S+)( \(this host\))?:$/;

/** What each column of `ts-pdb ls` holds. */
const COLUMNS = {
  RANK: /^\d+$/,
  PID: /^\d+$/,
  HOST: /^[\w.-]+$/,
  MODE: /^(tcp|socket|web)$/,
  ADDRESS: /^(\d+\.\d+\.\d+\.\d+:\d+|\/\S+|https?:\/\/\S+)$/,
  AGE: /^\d+s$/,
  ERROR: /^\w*Error: .+$/,
};

/**
 * `ts-pdb ls`'s table read by its header's columns: `header` (the column names), `groups` (each
 * group line with its rows, each row the cells cut at the header's columns) and `notes` (indented
 * lines). A cell that does not start at its column (the table not aligned) fails.
 */
function readTable(text) {
  const [header, ...lines] = text.trimEnd().split('\n');
  const names = header.split(/ +/);
  const starts = names.map((n) => header.indexOf(n));
  const groups = [];
  const notes = [];
  for (const line of lines) {
    if (GROUP.test(line)) groups.push({ line, rows: [] });
    else if (/^ /.test(line)) notes.push(line.trim());
    else {
      assert.ok(groups.length, `a row before any group line: ${JSON.stringify(line)}`);
      for (const s of starts.slice(1))
        assert.match(line.slice(s - 1, s + 1), /^ \S$/, `a cell starts at column ${s} of ${JSON.stringify(line)}`);
      const cells = starts.map((s, i) => line.slice(s, starts[i + 1]).trim());
      groups.at(-1).rows.push(Object.fromEntries(names.map((n, i) => [n, cells[i]])));
    }
  }
  return { header, names, groups, notes };
}

/** Each row's cells hold what their column holds, and its HOST is its group's. */
function assertCells(table, what) {
  assert.deepEqual(table.names, Object.keys(COLUMNS), `${what}: the columns`);
  for (const g of table.groups)
    for (const row of g.rows) {
      for (const [name, pattern] of Object.entries(COLUMNS)) assert.match(row[name], pattern, `${what}: ${name} of ${JSON.stringify(row)}`);
      assert.equal(row.HOST, GROUP.exec(g.line)[2], `${what}: the row's host is its group's`);
    }
}

/**
 * `ts-pdb dap` on `host` on stdio (through nsenter: the test's own network cannot reach the hosts'),
 * with the job's shared `registry`, and a DebugClient on it. Stopped when the test ends.
 */
async function adapterOn(t, host, registry, dir) {
  const wrapper = path.join(dir, `dap-on-${host.name}`);
  fs.writeFileSync(
    wrapper,
    `#!/bin/sh\nexec nsenter --target ${host.pid} --net --uts --mount --pid --wd='${dir}' -- '${node}' '${CLI}' dap\n`,
    {
      mode: 0o755,
    },
  );
  const dc = new DebugClient('/bin/sh', wrapper, 'ts-pdb', { env: rankEnv({ IPDB_REGISTRY: registry }) });
  await dc.start();
  dc.defaultTimeout = WAIT_MS;
  const stderr = collect(dc._adapterProcess.stderr, `ts-pdb dap on ${host.name} (stderr)`);
  t.after(() => dc._adapterProcess.kill('SIGKILL'));
  return { dc, stderr, exited: new Promise((resolve) => dc._adapterProcess.on('exit', (code) => resolve(code))) };
}

test(
  "README's jobs across hosts: its export line given to the job, ls on alpha prints the README's table for ranks 1 (alpha) and 3 (beta), dap on alpha with ranks all has both threads and beta's TypeScript frame, npx ts-pdb attach 3 reaches beta",
  { timeout: 6 * WAIT_MS },
  async (t) => {
    const net = await makeHosts(t, { names: ['alpha', 'beta'] });
    if (!net) return;
    const [alpha, beta] = net.hosts;
    const program = writeBuild(net.shared, 'app', APP_ODD);
    const registry = path.join(net.shared, 'registry');
    // Made as the ranks would make it (0700), so that its changes can be watched from the start.
    fs.mkdirSync(registry, { mode: 0o700 });

    // The README's line, its registry (/shared/$USER/ts-pdb) replaced by a folder both hosts share.
    const exported = commands(block(README_SECTION, 'sh', /IPDB_REGISTRY=/));
    assert.equal(exported.length, 1, exported.join('\n'));
    assert.match(exported[0], /^export IPDB_REGISTRY=\S+ IPDB_CONNECTION_TYPE=tcp IPDB_HOST=0\.0\.0\.0$/);
    const line = exported[0].replace(/IPDB_REGISTRY=\S+/, `IPDB_REGISTRY='${registry}'`);
    // The shell runs the line, then the launcher (socket mode, as the section says the ranks wait).
    const jobs = net.hosts.map((h, i) => {
      const child = h.spawn('sh', ['-ec', `${line}\nexec "$@"`, 'sh', node, ...launchArgs(i, program)], {
        cwd: net.shared,
        env: rankEnv({ IPDB_DEBUG: '1', IPDB_MODE: 'socket' }),
      });
      return watchLauncher(child, `launcher on ${h.name}`);
    });
    const said = () => jobs.map((j) => j.out.text + j.err.text).join('\n');
    const waiting = await until(
      async () => {
        const r = await tsPdb(alpha, registry, ['ls', '--json']);
        const list = r.code === 0 ? JSON.parse(r.stdout) : [];
        return list.length === 2 && list.sort((a, b) => a.rank - b.rank);
      },
      () => `ranks 1 and 3 in the shared registry; the launchers said:\n${said()}`,
      WAIT_MS,
      registry,
    );
    assert.deepEqual(
      waiting.map((e) => [e.rank, e.host, e.mode, e.reach]),
      [
        [1, 'alpha', 'tcp', 'network'],
        [3, 'beta', 'tcp', 'network'],
      ],
    );

    // ls on alpha against the README's transcript: the same header, group lines and columns.
    const transcript = block(README_SECTION, 'text', /^\$ npx ts-pdb ls\n/);
    const readme = readTable(transcript.replace(/^\$ npx ts-pdb ls\n/, ''));
    assertCells(readme, "the README's ls");
    const ls = await tsPdb(alpha, registry, ['ls']);
    assert.equal(ls.code, 0, ls.stderr);
    const ours = readTable(ls.stdout);
    assert.equal(ours.header.replace(/ +/g, ' '), readme.header.replace(/ +/g, ' '), ls.stdout);
    assertCells(ours, 'ls on alpha');
    assert.deepEqual(
      ours.groups.map((g) => g.line),
      [`job ${JOB}, host alpha (this host):`, `job ${JOB}, host beta:`],
    );
    assert.ok(GROUP.test(readme.groups[0].line) && / \(this host\):$/.test(readme.groups[0].line), readme.groups[0].line);
    const rows = ours.groups.flatMap((g) => g.rows);
    assert.deepEqual(
      rows.map((r) => [r.RANK, r.PID, r.HOST, r.MODE, r.ERROR]),
      waiting.map((e) => [String(e.rank), String(e.pid), e.host, 'tcp', `RangeError: rank ${e.rank}: loss is NaN at step 2`]),
    );
    assert.match(rows[0].ADDRESS, new RegExp(`^${alpha.address.replace(/\./g, '\\.')}:\\d+$`));
    assert.match(rows[1].ADDRESS, new RegExp(`^${beta.address.replace(/\./g, '\\.')}:\\d+$`));
    assert.deepEqual(
      ours.notes.filter((n) => !n.startsWith('snapshot: ')),
      [],
      'both ranks are reachable: no note',
    );

    // ts-pdb dap on alpha, {"ranks": "all"}: a thread per waiting rank, on both hosts.
    const { dc, stderr, exited } = await adapterOn(t, alpha, registry, net.shared);
    const { stopped } = await attach(dc, { ranks: 'all' }, { threads: 2 });
    assert.deepEqual(stopped.map((s) => s.body.text).sort(), [
      'RangeError: rank 1: loss is NaN at step 2',
      'RangeError: rank 3: loss is NaN at step 2',
    ]);
    const threads = (await dc.threadsRequest()).body.threads;
    assert.deepEqual(
      threads.map((th) => th.name).sort(),
      waiting.map((e) => `rank ${e.rank} (pid ${e.pid}, host ${e.host})`),
      stderr.text,
    );
    const onBeta = threads.find((th) => th.name.startsWith('rank 3 '));
    const frames = (await dc.stackTraceRequest({ threadId: onBeta.id })).body.stackFrames;
    assert.equal(frames[0].name, 'trainStep');
    assert.equal(frames[0].line, 6);
    assert.equal(path.basename(frames[0].source.path ?? frames[0].source.name), 'app.ts', JSON.stringify(frames[0].source));
    const scopes = (await dc.scopesRequest({ frameId: frames[0].id })).body.scopes;
    const locals = (await dc.variablesRequest({ variablesReference: scopes[0].variablesReference })).body.variables;
    assert.equal(locals.find((v) => v.name === 'rank')?.value, '3');
    // Disconnecting leaves both ranks waiting.
    await dc.disconnectRequest({});
    await exited;

    // `npx ts-pdb attach 3` as the README writes it, in a project where ts-pdb is installed (its
    // package linked into node_modules with its bin, as npm does): npx finds it there (offline: it
    // never asks the registry).
    const attachLine = /`(npx ts-pdb attach 3)`/.exec(README_SECTION);
    assert.ok(attachLine, 'the README says `npx ts-pdb attach 3`');
    fs.writeFileSync(path.join(net.shared, 'package.json'), JSON.stringify({ name: 'job-app', private: true }));
    fs.mkdirSync(path.join(net.shared, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync(ROOT, path.join(net.shared, 'node_modules', 'ts-pdb'), 'dir');
    fs.symlinkSync('../ts-pdb/dist/runtime/cli/cli.js', path.join(net.shared, 'node_modules', '.bin', 'ts-pdb'));
    const npx = await alpha.run('sh', ['-c', attachLine[1]], {
      cwd: net.shared,
      env: rankEnv({
        IPDB_REGISTRY: registry,
        PATH: `${path.dirname(node)}:${process.env.PATH}`,
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
        npm_config_cache: path.join(net.shared, 'npm-cache'),
      }),
      input: 'p shard\nq\n',
    });
    assert.equal(npx.code, 0, `${npx.stdout}\n${npx.stderr}`);
    // (The session showed its error to the adapter already: a second client gets the prompt.)
    assert.match(npx.stdout, /^\(rank-3-pdb\) \{ rank: 3, host: 'beta', samples: 30 \}\n\(rank-3-pdb\) /);
    await jobs[1].out.until(/rank 3 exited with code 1/);
  },
);

test(
  "where attach cannot reach: rank 3 of beta on a Unix socket is listed on alpha with the note and attach says what to set; rank 3 of beta over TCP behind beta's rule that drops its port: attach on alpha says no answer came within 5 s",
  { timeout: 6 * WAIT_MS },
  async (t) => {
    const net = await makeHosts(t, { names: ['alpha', 'beta'] });
    if (!net) return;
    const [alpha, beta] = net.hosts;
    const program = writeBuild(net.shared, 'app', APP);
    const registry = path.join(net.shared, 'registry');
    // Made as the ranks would make it (0700), so that its changes can be watched from the start.
    fs.mkdirSync(registry, { mode: 0o700 });
    const base = { IPDB_DEBUG: '1', IPDB_MODE: 'socket', IPDB_REGISTRY: registry };
    // Two jobs' beta halves (ranks 2 and 3): one on Unix sockets (the default), one over TCP on 0.0.0.0.
    const jobs = [
      ['job-unix', base],
      ['job-fw', { ...base, IPDB_CONNECTION_TYPE: 'tcp', IPDB_HOST: '0.0.0.0', IPDB_PORT: '0' }],
    ].map(([job, env]) =>
      watchLauncher(beta.spawn(node, launchArgs(1, program, job), { cwd: net.shared, env: rankEnv(env) }), `${job} on beta`),
    );
    const waiting = await until(
      async () => {
        const r = await tsPdb(alpha, registry, ['ls', '--json']);
        const list = r.code === 0 ? JSON.parse(r.stdout) : [];
        return list.length === 2 && Object.fromEntries(list.map((e) => [e.job, e]));
      },
      () => `rank 3 of both jobs in the shared registry; the launchers said:\n${jobs.map((j) => j.out.text + j.err.text).join('\n')}`,
      WAIT_MS,
      registry,
    );
    const unix = waiting['job-unix'];
    const fw = waiting['job-fw'];
    assert.deepEqual([unix.rank, unix.host, unix.mode, unix.reach], [3, 'beta', 'socket', 'host']);
    assert.match(unix.address, /^\/tmp\//, "beta's own /tmp, which alpha does not see");
    assert.deepEqual([fw.rank, fw.host, fw.mode, fw.reach], [3, 'beta', 'tcp', 'network']);

    // (a) The Unix socket: ls on alpha notes it; attach on alpha says so in one line, and what to set.
    const ls = await tsPdb(alpha, registry, ['ls']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(
      ls.stdout,
      new RegExp(
        String.raw`job job-unix, host beta:\n3 +${unix.pid} +beta +socket +${unix.address} +\d+s +RangeError: rank 3: loss is NaN at step 2\n` +
          String.raw` +note: waits on a Unix socket: other hosts cannot reach it \(attach on beta, or run with IPDB_CONNECTION_TYPE=tcp IPDB_HOST=0\.0\.0\.0, or web mode with IPDB_HOST\)\n`,
      ),
    );
    const toUnix = await tsPdb(alpha, registry, ['attach', '3', '--job', 'job-unix']);
    assert.equal(toUnix.code, 1, `${JSON.stringify(unix)}\n${ls.stdout}\n${toUnix.stdout}\n${toUnix.stderr}`);
    assert.equal(
      toUnix.stderr,
      `ts-pdb attach: rank 3 waits on host beta on a Unix socket (${unix.address}), which other hosts cannot reach: ` +
        'run ts-pdb attach 3 on beta, or start the job with IPDB_CONNECTION_TYPE=tcp IPDB_HOST=0.0.0.0, or web mode with IPDB_HOST\n',
    );

    // (b) A firewall on beta: a rule of beta's network drops every packet that comes in on eth0 for
    // rank 3's port. No nftables or iptables here: a policy-routing rule to a blackhole does the
    // same, placed before the rule that looks up beta's own addresses (moved from 0 to 100).
    const port = fw.address.split(':')[1];
    for (const args of [
      ['rule', 'add', 'pref', '100', 'lookup', 'local'],
      ['rule', 'del', 'pref', '0'],
      ['rule', 'add', 'pref', '50', 'iif', 'eth0', 'ipproto', 'tcp', 'dport', port, 'blackhole'],
    ]) {
      const r = await beta.run('ip', args);
      assert.equal(r.code, 0, `ip ${args.join(' ')}: ${r.stderr}`);
    }
    const started = Date.now();
    const toFw = await tsPdb(alpha, registry, ['attach', '3', '--job', 'job-fw']);
    const took = Date.now() - started;
    assert.equal(toFw.code, 1, `${toFw.stdout}\n${toFw.stderr}`);
    assert.equal(
      toFw.stderr,
      `ts-pdb attach: rank 3 on host beta (${beta.address}:${port}) did not answer within 5 s: a firewall drops the connection, ` +
        `or the host is down (let this host reach TCP port ${port} there, or run ts-pdb attach 3 on beta)\n`,
    );
    assert.ok(took >= 5000, `gave up after ${took} ms`);
    // No route to beta from alpha (a route of alpha's marked unreachable: what an ICMP "unreachable"
    // answer of a rejecting firewall also gives, EHOSTUNREACH): said at once, as such.
    const noRoute = await alpha.run('ip', ['route', 'add', 'unreachable', `${beta.address}/32`]);
    assert.equal(noRoute.code, 0, noRoute.stderr);
    const rejected = await tsPdb(alpha, registry, ['attach', '3', '--job', 'job-fw']);
    assert.equal(rejected.code, 1, `${rejected.stdout}\n${rejected.stderr}`);
    assert.equal(
      rejected.stderr,
      `ts-pdb attach: rank 3 on host beta (${beta.address}:${port}) cannot be reached from this host (EHOSTUNREACH): ` +
        `a firewall there rejects the connection, or no route leads to it (let this host reach TCP port ${port} there, ` +
        'or set IPDB_HOST on beta to an address this host can reach, or run ts-pdb attach 3 on beta)\n',
    );
    // The rank itself never saw a client: it still waits, and beta itself reaches it.
    const there = await tsPdb(beta, registry, ['attach', '3', '--job', 'job-fw'], { input: 'p shard\nq\n' });
    assert.equal(there.code, 0, `${there.stdout}\n${there.stderr}`);
    assert.match(there.stdout, /\(rank-3-pdb\) \{ rank: 3, host: 'beta', samples: 30 \}\n/);
  },
);
