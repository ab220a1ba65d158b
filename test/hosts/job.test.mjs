// A job across hosts (issue #13), on two hosts made of namespaces (test/helpers/hosts.mjs): 4 ranks,
// 2 per host, each host's ranks started by a launcher that sets their environment as torchrun does
// (fixtures/launch-job.cjs, Node's cluster), every rank with IPDB_REGISTRY in a folder both hosts
// share and each host's TS_PDB_HOME its own. First, that ts-pdb reads that environment as each
// rank's rank and the job's id on every host. Then rank 3, on beta, fails in socket mode over TCP
// bound to 0.0.0.0: from alpha, `ts-pdb ls` shows it at beta's address, a client without the token
// is turned away, IPDB_NOTIFY's command ran once on beta and the TS_PDB_CONNECT it was given works
// when pasted on alpha, and `ts-pdb attach 3` reads a local and quits. Last, in web mode: Chromium in
// alpha's network namespace opens the overview of rank 1 (alpha), which links to rank 3's page on
// beta, and once rank 3 is killed with -9, ls on alpha says it is gone after 15 s without a beat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fs from 'node:fs';
import { writeBuild } from '../helpers/build.mjs';
import { makeHosts } from '../helpers/hosts.mjs';
import { collect, needNc, WAIT_MS } from '../helpers/socket.mjs';
import { APP, APP_ODD, CLI, JOB, launch, node, rankEnv, tcpSocketEnv, tsPdb, until, watchLauncher } from './hosts-job.mjs';
import { CHROMIUM, needChromium } from '../web/web-helpers.mjs';

/** Prints what ts-pdb's public API detects: the rank, the world and the job, with the host's name. */
const RANK_INFO = `import * as os from 'node:os';
import { detectRank } from 'ts-pdb';

console.log(JSON.stringify({ host: os.hostname(), ...detectRank() }));
`;

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
  'rank 3 on beta fails in socket mode over TCP, registered in a shared folder: from alpha, ls shows it at beta:port, nc without the token is turned away, the notify command ran once on beta and its TS_PDB_CONNECT works from alpha, attach 3 reads a local and quits',
  { timeout: 6 * WAIT_MS },
  async (t) => {
    if (!needNc(t)) return;
    const net = await makeHosts(t, { names: ['alpha', 'beta'] });
    if (!net) return;
    const [alpha, beta] = net.hosts;
    const program = writeBuild(net.shared, 'app', APP);
    const registry = path.join(net.shared, 'registry');
    // Made as the ranks would make it (0700), so that its changes can be watched from the start.
    fs.mkdirSync(registry, { mode: 0o700 });
    const told = path.join(net.shared, 'notified.txt');
    const env = {
      ...tcpSocketEnv(registry),
      // Each run appends a block: the host it ran on, then its TS_PDB_* values.
      IPDB_NOTIFY: `{ echo "ran-on=$(hostname)"; env | grep '^TS_PDB_' | sort; echo --; } >> '${told}'`,
    };
    const jobs = net.hosts.map((h, i) => {
      const child = launch(h, i, program, { cwd: net.shared, env });
      return watchLauncher(child, `launcher on ${h.name}`);
    });
    const [onAlpha, onBeta] = jobs;

    const box = await onBeta.err.until(
      new RegExp(
        String.raw`\| ts-pdb: rank 3 \(pid (\d+)\) stopped: RangeError: rank 3: loss is NaN at step 2 +\|\n` +
          String.raw`\| connect with: {2}nc 0\.0\.0\.0 (\d+) +\|\n` +
          String.raw`\| then send this token as the first line: {2}([0-9a-f]{32}) +\|`,
      ),
    );
    const [, pid, port] = box;
    // Alpha's ranks and beta's rank 2 finish while rank 3 waits.
    await onAlpha.out.until((text) => /rank 0 exited with code 0/.test(text) && /rank 1 exited with code 0/.test(text));
    assert.equal(await onAlpha.exited, 0, onAlpha.err.text);
    assert.match(onAlpha.out.text, /rank 0 on alpha: 0 samples/);
    assert.match(onAlpha.out.text, /rank 1 on alpha: 10 samples/);
    await onBeta.out.until(/rank 2 on beta: 20 samples\n[^]*rank 2 exited with code 0/);

    // From alpha (its own TS_PDB_HOME, nothing of beta's but the shared folder): ls shows rank 3
    // under job-13 and host beta, at beta's address, not the bind's 0.0.0.0.
    const ls = await tsPdb(alpha, registry, ['ls']);
    assert.equal(ls.code, 0, ls.stderr);
    const address = `${beta.address}:${port}`;
    assert.match(
      ls.stdout,
      new RegExp(
        String.raw`^RANK +PID +HOST +MODE +ADDRESS +AGE +ERROR\njob job-13, host beta:\n` +
          String.raw`3 +${pid} +beta +tcp +${address.replace(/\./g, '\\.')} +\d+s +RangeError: rank 3: loss is NaN at step 2\n`,
      ),
    );
    assert.doesNotMatch(ls.stdout, /0\.0\.0\.0|host alpha/);
    const lsJson = await tsPdb(alpha, registry, ['ls', '--json']);
    assert.equal(lsJson.code, 0, lsJson.stderr);
    const listed = JSON.parse(lsJson.stdout);
    assert.deepEqual(
      listed.map(({ rank, pid: p, host, mode, address: a, reach, job, state, error }) => ({
        rank,
        pid: p,
        host,
        mode,
        address: a,
        reach,
        job,
        state,
        error,
      })),
      [
        {
          rank: 3,
          pid: Number(pid),
          host: 'beta',
          mode: 'tcp',
          address,
          reach: 'network',
          job: JOB,
          state: 'waiting',
          error: 'RangeError: rank 3: loss is NaN at step 2',
        },
      ],
    );

    // From alpha, without the token: the session asks for it and turns the client away.
    const wrong = alpha.spawn('nc', [beta.address, port]);
    const turnedAway = collect(wrong.stdout, 'nc on alpha without the token');
    await turnedAway.until(/ts-pdb: token\? \(send the token from the box/);
    wrong.stdin.write('p shard\n');
    await turnedAway.until(/needs its token as the first line/);
    assert.doesNotMatch(turnedAway.text, /samples: 30|rank-3-pdb/);

    // IPDB_NOTIFY ran for rank 3, on beta (the command runs detached: wait for its block).
    const notified = () => (fs.existsSync(told) ? fs.readFileSync(told, 'utf8') : '');
    await until(() => notified().endsWith('--\n'), `the notify command's file ${told}`, WAIT_MS, path.dirname(told));
    const values = Object.fromEntries(
      notified()
        .split('\n')
        .filter((l) => /^(ran-on|TS_PDB_[A-Z]+)=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.equal(values['ran-on'], 'beta');
    assert.equal(values.TS_PDB_RANK, '3');
    assert.equal(values.TS_PDB_HOST, 'beta');
    assert.equal(values.TS_PDB_PID, pid);
    assert.equal(values.TS_PDB_JOB, JOB);
    assert.equal(values.TS_PDB_ERROR, 'RangeError: rank 3: loss is NaN at step 2');
    assert.equal(values.TS_PDB_CONNECT, `ts-pdb attach 3 --job ${JOB}`);
    assert.doesNotMatch(notified(), new RegExp(box[3]), "the token is never in the command's environment");

    // TS_PDB_CONNECT, pasted into a shell on alpha where `ts-pdb` is the package's bin (as npm links
    // it into node_modules/.bin), finds rank 3 through the shared registry and sends its token.
    const bin = path.join(net.shared, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(CLI, path.join(bin, 'ts-pdb'));
    const pasted = await alpha.run('sh', ['-c', values.TS_PDB_CONNECT], {
      cwd: net.shared,
      env: rankEnv({ IPDB_REGISTRY: registry, PATH: `${bin}:${path.dirname(node)}:${process.env.PATH}` }),
      input: 'p shard\n',
    });
    assert.equal(pasted.code, 0, `${pasted.stdout}\n${pasted.stderr}`);
    assert.match(pasted.stdout, /RangeError: rank 3: loss is NaN at step 2[^]*\(rank-3-pdb\) \{ rank: 3, host: 'beta', samples: 30 \}\n/);

    // `ts-pdb attach 3` on alpha: the same, then quits.
    const attach = await tsPdb(alpha, registry, ['attach', '3'], { input: 'p shard\nq\n' });
    assert.equal(attach.code, 0, `${attach.stdout}\n${attach.stderr}`);
    assert.match(attach.stdout, /\(rank-3-pdb\) \{ rank: 3, host: 'beta', samples: 30 \}\n\(rank-3-pdb\) /);

    // Rank 3 ends with its original error; beta's launcher reports it and fails, as torchrun does.
    await onBeta.out.until(/rank 3 exited with code 1/);
    assert.equal(await onBeta.exited, 1);
    assert.match(onBeta.err.text, /RangeError: rank 3: loss is NaN at step 2\n {4}at trainStep \(.*app\.ts:6:\d+\)/);
    // One stop, one notification (two sessions were opened on it), and rank 3's entry is gone.
    assert.equal(notified().match(/^ran-on=/gm).length, 1, notified());
    const after = await tsPdb(alpha, registry, ['ls', '--json']);
    assert.deepEqual(JSON.parse(after.stdout), []);
  },
);

test(
  'web mode: from alpha, Chromium on /ranks of rank 1 shows rank 3 on beta linked at its address, the link opens its page; killed with -9, rank 3 is gone from ls on alpha once its beat is 15 s old',
  { timeout: 6 * WAIT_MS },
  async (t) => {
    if (!needChromium(t)) return;
    const net = await makeHosts(t, { names: ['alpha', 'beta'] });
    if (!net) return;
    const [alpha, beta] = net.hosts;
    const program = writeBuild(net.shared, 'app', APP_ODD);
    const registry = path.join(net.shared, 'registry');
    // Made as the ranks would make it (0700), so that its changes can be watched from the start.
    fs.mkdirSync(registry, { mode: 0o700 });
    const env = { IPDB_DEBUG: '1', IPDB_MODE: 'web', IPDB_HOST: '0.0.0.0', IPDB_WEB_PORT: '0', IPDB_REGISTRY: registry };
    const jobs = net.hosts.map((h, i) => {
      const child = launch(h, i, program, { cwd: net.shared, env });
      return watchLauncher(child, `launcher on ${h.name}`);
    });
    const [, onBeta] = jobs;

    // Both waiting pages, as alpha reads them in the shared registry.
    const waiting = await until(
      async () => {
        const r = await tsPdb(alpha, registry, ['ls', '--json']);
        const list = r.code === 0 ? JSON.parse(r.stdout) : [];
        return list.length === 2 && list;
      },
      () => `ranks 1 and 3 in the shared registry; the launchers said:\n${jobs.map((j) => j.out.text + j.err.text).join('\n')}`,
      WAIT_MS,
      registry,
    );
    const [one, three] = waiting.sort((a, b) => a.rank - b.rank);
    assert.deepEqual([one.host, one.reach, three.host, three.reach], ['alpha', 'network', 'beta', 'network']);
    assert.ok(three.address.startsWith(`http://${beta.address}:`), three.address);

    // Chromium runs in alpha's network namespace (and takes its host name): the machine's own network
    // has no route to 192.0.2.0/24, so every page it shows came over the hosts' bridge.
    const wrapper = path.join(net.shared, 'chromium-on-alpha');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec nsenter --target ${alpha.pid} --net --uts -- ${CHROMIUM} "$@"\n`, { mode: 0o755 });
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: wrapper, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    // Closed here, not in t.after: its processes are in alpha's network namespace, which the hosts'
    // teardown (registered first, so run first) waits to see empty.
    try {
      const page = await browser.newPage();
      const overview = new URL('ranks', one.address);
      overview.searchParams.set('token', one.token);
      await page.goto(overview.href);
      const row = page.locator('table.ranks tr', { has: page.locator('td:nth-child(3)', { hasText: /^beta$/ }) });
      assert.equal(await row.count(), 1, await page.content());
      assert.match(await row.locator('td').first().textContent(), /^3$/);
      assert.match(await page.locator('tr.group', { hasText: 'host beta' }).textContent(), /^job job-13, host beta$/);
      const link = row.locator('a');
      assert.equal(await link.textContent(), three.address);
      assert.ok((await link.getAttribute('href')).startsWith(three.address), await link.getAttribute('href'));
      await link.click();
      await page.locator('#source .ln.current .code', { hasText: 'throw new RangeError' }).waitFor({ timeout: WAIT_MS });
      assert.ok(page.url().startsWith(three.address), page.url());
      await page.getByText('RangeError: rank 3: loss is NaN at step 2').first().waitFor({ timeout: WAIT_MS });
    } finally {
      await browser.close();
    }

    // The heartbeat: rank 3 killed with -9 on beta (its pid is beta's own) leaves its entry behind;
    // alpha cannot check a pid of beta's, so ls says gone once the last beat is over 15 s old.
    const killed = await beta.run('kill', ['-9', String(three.pid)]);
    assert.equal(killed.code, 0, killed.stderr);
    await onBeta.out.until(/rank 3 exited with signal SIGKILL/);
    const gone = await until(
      async () => {
        const r = await tsPdb(alpha, registry, ['ls', '--json', '--job', JOB]);
        const e = JSON.parse(r.stdout).find((x) => x.rank === 3);
        return e?.state === 'gone' && { e, at: Date.now() };
      },
      'rank 3 gone in ls on alpha',
      40_000,
    );
    assert.ok(gone.at - gone.e.beat > 15_000, `gone after ${gone.at - gone.e.beat} ms without a beat`);
    const ls = await tsPdb(alpha, registry, ['ls']);
    assert.match(ls.stdout, /job job-13, host beta:\n3 +\d+ +beta +web .*\n +gone: no heartbeat for (1[5-9]|[2-9]\d)s /);
    const attach = await tsPdb(alpha, registry, ['attach', '3']);
    assert.equal(attach.code, 1);
    assert.match(attach.stderr, /gone/);
  },
);
