// IPDB_NOTIFY (runtime/front-ends/shared/notify.ts): real programs run as a user runs them
// (`ts-pdb run app.ts`), the command a real `/bin/sh -c`. It runs exactly once per stop, when the
// stop can be reached, with the stop's TS_PDB_ values; TS_PDB_CONNECT is a command that works when
// pasted (nc -U, ts-pdb attach) or the page's URL; a session's token is never in the environment;
// 12 stops run 10 commands and say so once.
//
// Each test waits for the program's stdio to close before it counts the runs: the supervisor and
// the command inherit its stderr, so by then every command that was started has ended.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { spawnNode } from '../helpers/pty.mjs';
import { CLI, startRun } from '../helpers/run-program.mjs';
import { collect, linkedProject, needNc } from '../helpers/socket.mjs';
import { APP, outFolder, RECORD, runsIn, untilRuns } from './notify-helpers.mjs';

const ERROR = 'RangeError: name abcdef is too long';

/** A project with `app.ts` (default {@link APP}), its command's folder, and `ts-pdb` on a PATH as npm links it. */
function project(t, source = APP) {
  const dir = linkedProject('notify-', source);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.symlinkSync(CLI, path.join(dir, 'bin', 'ts-pdb'));
  return { dir, out: outFolder(dir), bin: path.join(dir, 'bin') };
}

/** `ts-pdb run app.ts` in `dir` with IPDB_NOTIFY recording to `out` (no terminal); killed when the test ends. */
function start(t, { dir, out }, env = {}) {
  const run = startRun(dir, { IPDB_NOTIFY: RECORD, NOTIFY_OUT: out, ...env });
  t.after(() => run.kill());
  return run;
}

/** The pid in a snapshot's name (`nojob-rank00000-HOST-PID-TIME.tspdb.json.gz`). */
const pidOf = (file) => /-(\d+)-\d{8}T[^-]+\.tspdb\.json\.gz$/.exec(file)[1];

test('CI (no terminal): the report runs the command once, with the snapshot to open; the error goes on', async (t) => {
  const p = project(t);
  const run = start(t, p);
  assert.equal(await run.exited, 1);
  const named = /^ts-pdb: rank 0: snapshot written: (\S+) \(open it with/m.exec(run.err.text);
  assert.ok(named, run.err.text);
  const file = path.join(p.dir, named[1]);
  assert.deepEqual(runsIn(p.out), [
    {
      TS_PDB_CONNECT: `ts-pdb open ${file}`,
      TS_PDB_ERROR: ERROR,
      TS_PDB_HOST: os.hostname(),
      TS_PDB_JOB: '',
      TS_PDB_PID: pidOf(file),
      TS_PDB_RANK: '0',
      TS_PDB_SNAPSHOT: file,
      TS_PDB_HOME: path.join(p.dir, 'home'),
    },
  ]);
  assert.ok(fs.existsSync(file), 'the snapshot is there when the command runs');
  assert.match(run.err.text, /RangeError: name abcdef is too long\n {4}at run \(.*app\.ts:4:\d+\)/, 'the error goes on');
  assert.doesNotMatch(run.err.text, /IPDB_NOTIFY/, 'a command that succeeds says nothing');
});

test('IPDB_MODE=dump: once the snapshot is written, TS_PDB_CONNECT is ts-pdb open FILE, with the job id of a cluster worker', async (t) => {
  const p = project(t);
  const run = start(t, p, { IPDB_MODE: 'dump' });
  assert.equal(await run.exited, 1);
  const named = /^ts-pdb: rank 0: snapshot written: (\S+) \(open it with/m.exec(run.err.text);
  assert.ok(named, run.err.text);
  const file = path.join(p.dir, named[1]);
  const [only, ...more] = runsIn(p.out);
  assert.deepEqual(more, [], 'once');
  assert.equal(only.TS_PDB_CONNECT, `ts-pdb open ${file}`);
  assert.equal(only.TS_PDB_SNAPSHOT, file);
  assert.equal(only.TS_PDB_ERROR, ERROR);
  assert.equal(only.TS_PDB_PID, pidOf(file));

  // A job: torchrun's run id is the job's id (rank.ts), rank 2 of it.
  const ranked = project(t);
  const job = start(t, ranked, { IPDB_MODE: 'dump', RANK: '2', WORLD_SIZE: '4', TORCHELASTIC_RUN_ID: 'run 7' });
  assert.equal(await job.exited, 1);
  const [r2] = runsIn(ranked.out);
  assert.equal(r2.TS_PDB_RANK, '2');
  assert.equal(r2.TS_PDB_JOB, 'run 7');
  assert.match(r2.TS_PDB_CONNECT, /^ts-pdb open \/\S+\.tspdb\.json\.gz$/);
});

test('socket mode: the command runs once the socket listens; its TS_PDB_CONNECT, pasted, is a session (nc -U)', async (t) => {
  if (!needNc(t)) return;
  const p = project(t);
  const prefix = path.join(p.dir, 'pdb.sock');
  const run = start(t, p, { IPDB_MODE: 'socket', IPDB_SOCK_PATH: prefix });
  await untilRuns(p.out, 1);
  const [told] = runsIn(p.out);
  const box = await run.err.until(/connect with: {2}(nc -U \S+)/);
  assert.equal(told.TS_PDB_CONNECT, `nc -U ${prefix}.0`);
  assert.equal(told.TS_PDB_CONNECT, box[1], "the box's command");
  assert.equal(told.TS_PDB_ERROR, ERROR);
  assert.match(told.TS_PDB_SNAPSHOT, /^\/\S+\.tspdb\.json\.gz$/);
  assert.ok(fs.existsSync(told.TS_PDB_SNAPSHOT), 'the waiting rank wrote its snapshot before the command ran');
  assert.match(run.err.text, new RegExp(`rank 0 \\(pid ${told.TS_PDB_PID}\\) stopped`));

  const client = spawn('sh', ['-c', told.TS_PDB_CONNECT], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.after(() => client.kill('SIGKILL'));
  const seen = collect(client.stdout, told.TS_PDB_CONNECT);
  await seen.until(/ipdb> $/);
  client.stdin.write('p name\n');
  await seen.until(/'abcdef'\nipdb> $/);
  client.stdin.write('q\n');
  assert.equal(await run.exited, 1);
  assert.equal(runsIn(p.out).length, 1, 'once for the stop');
});

test('TCP on 0.0.0.0: TS_PDB_CONNECT is ts-pdb attach RANK, which works pasted; the token is in no TS_PDB_ value', async (t) => {
  const p = project(t);
  const run = start(t, p, { IPDB_MODE: 'socket', IPDB_CONNECTION_TYPE: 'tcp', IPDB_HOST: '0.0.0.0', IPDB_PORT: '0' });
  await untilRuns(p.out, 1);
  const token = (await run.err.until(/send this token as the first line: {2}([0-9a-f]{32})/))[1];
  const [told] = runsIn(p.out);
  assert.equal(told.TS_PDB_CONNECT, 'ts-pdb attach 0');
  for (const [name, value] of Object.entries(told)) assert.ok(!value.includes(token), `${name} does not hold the token`);

  const client = spawn('sh', ['-c', told.TS_PDB_CONNECT], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${p.bin}:${process.env.PATH}`, TS_PDB_HOME: path.join(p.dir, 'home') },
  });
  t.after(() => client.kill('SIGKILL'));
  const seen = collect(client.stdout, told.TS_PDB_CONNECT);
  await seen.until(/ipdb> $/);
  client.stdin.write('p size\n');
  await seen.until(/\b6\nipdb> $/);
  client.stdin.write('q\n');
  assert.equal(await run.exited, 1);
  assert.equal(runsIn(p.out).length, 1);
});

test('web mode: the command runs once the page is served; TS_PDB_CONNECT is its URL (without the token: IPDB_TOKEN=1)', async (t) => {
  const p = project(t);
  const run = start(t, p, { IPDB_MODE: 'web', IPDB_WEB_PORT: '0', IPDB_TOKEN: '1' });
  await untilRuns(p.out, 1);
  const url = (await run.err.until(/open in a browser: {2}(\S+)/))[1];
  const [told] = runsIn(p.out);
  const bare = url.replace(/\?token=[0-9a-f]{32}$/, '');
  assert.notEqual(bare, url, 'the page needs a token');
  assert.equal(told.TS_PDB_CONNECT, bare);
  const token = new URL(url).searchParams.get('token');
  for (const [name, value] of Object.entries(told)) assert.ok(!value.includes(token), `${name} does not hold the token`);
  assert.equal(told.TS_PDB_ERROR, ERROR);
  assert.ok(fs.existsSync(told.TS_PDB_SNAPSHOT));
  // The URL leads to the page (with the token the box and ts-pdb ls --json give).
  assert.equal((await fetch(url)).status, 200);
  assert.equal((await fetch(told.TS_PDB_CONNECT)).status, 401, 'the URL alone is refused: its token is not there');
});

test('web mode on 0.0.0.0: TS_PDB_CONNECT is the URL at an address other hosts can use, not 0.0.0.0', async (t) => {
  const ips = Object.values(os.networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && i.family === 'IPv4')
    .map((i) => i.address);
  if (!ips.length) return t.skip('this machine has no interface but loopback');
  const p = project(t);
  const run = start(t, p, { IPDB_MODE: 'web', IPDB_WEB_PORT: '0', IPDB_HOST: '0.0.0.0' });
  await untilRuns(p.out, 1);
  const url = (await run.err.until(/open in a browser: {2}(\S+)/))[1];
  const [told] = runsIn(p.out);
  const connect = new URL(told.TS_PDB_CONNECT);
  assert.equal(connect.hostname, ips[0], `the first external address of this machine: ${told.TS_PDB_CONNECT}`);
  assert.equal(connect.port, new URL(url).port);
  assert.equal(connect.search, '', 'no token');
  assert.equal((await fetch(told.TS_PDB_CONNECT)).status, 401, 'the page answers there, and asks for its token');
  assert.equal((await fetch(`${told.TS_PDB_CONNECT}?token=${new URL(url).searchParams.get('token')}`)).status, 200);
});

const BREAKPOINTS = `import { breakpoint } from 'ts-pdb';

// @debuggable
function step(i: number) {
  const twice = i * 2;
  breakpoint();
  return twice;
}

let sum = 0;
for (let i = 0; i < Number(process.argv[2] ?? 1); i++) sum += step(i);
console.log(\`sum \${sum}\`);
`;

test('a breakpoint (no terminal: its report) runs the command with TS_PDB_ERROR "a breakpoint"; the program goes on', async (t) => {
  const p = project(t, BREAKPOINTS);
  const run = start(t, p);
  assert.equal(await run.exited, 0);
  assert.match(run.out.text, /sum 0/);
  const [told, ...more] = runsIn(p.out);
  assert.deepEqual(more, []);
  assert.equal(told.TS_PDB_ERROR, 'a breakpoint');
  assert.equal(told.TS_PDB_CONNECT, `ts-pdb open ${told.TS_PDB_SNAPSHOT}`);
});

test('12 stops in one process: 10 commands, then one line, once', async (t) => {
  const p = project(t, BREAKPOINTS.replace('process.argv[2] ?? 1', '12'));
  const run = start(t, p, { IPDB_DUMP: '0' });
  assert.equal(await run.exited, 0);
  assert.match(run.out.text, /sum 132/, 'the program went on after each stop');
  assert.equal((run.err.text.match(/^Breakpoint in step:/gm) ?? []).length, 12, 'twelve stops');
  const runs = runsIn(p.out);
  assert.equal(runs.length, 10, 'ten commands');
  assert.ok(
    runs.every((r) => r.TS_PDB_CONNECT === '' && r.TS_PDB_SNAPSHOT === ''),
    'no snapshot (IPDB_DUMP=0): nothing to connect to',
  );
  assert.deepEqual(run.err.text.match(/^.*IPDB_NOTIFY.*$/gm), [
    'ts-pdb: rank 0: IPDB_NOTIFY ran 10 times in this process, its limit; no more runs for its stops.',
  ]);
});

test('console: the command runs when the session opens on the terminal, TS_PDB_CONNECT empty', async (t) => {
  const p = project(t);
  const pty = spawnNode([CLI, 'run', 'app.ts'], {
    cwd: p.dir,
    env: {
      NO_COLOR: '1',
      TS_PDB_HISTORY: '',
      CI: undefined,
      IPDB_MODE: undefined,
      TS_PDB_HOME: path.join(p.dir, 'home'),
      IPDB_NOTIFY: RECORD,
      NOTIFY_OUT: p.out,
    },
  });
  t.after(() => pty.kill());
  await pty.waitFor(/ipdb> $/);
  await untilRuns(p.out, 1);
  const [told] = runsIn(p.out);
  assert.equal(told.TS_PDB_CONNECT, '');
  assert.equal(told.TS_PDB_SNAPSHOT, '', 'a console session leaves no snapshot');
  assert.equal(told.TS_PDB_ERROR, ERROR);
  pty.type('q');
  assert.equal((await pty.exited).exitCode, 1);
  assert.equal(runsIn(p.out).length, 1);
});
