// The snapshots a stop leaves (issue #11, runtime/front-ends/shared/snapshot-keeper.ts), from real
// programs run the way a user runs them (`ts-pdb run app.ts`, mpirun, cluster), opened afterwards
// with the built `ts-pdb open`:
// - under CI (no terminal) the report names a snapshot, the error still goes on, and `ts-pdb open`
//   in a real terminal reads the locals at the TypeScript line, in every frame;
// - IPDB_MODE=dump writes and lets the error go on at once; its limits (IPDB_DUMP_MAX, the folder's
//   IPDB_DUMP_DIR_MAX_MB), IPDB_IGNORE and IPDB_DUMP=0;
// - a waiting socket rank: the box, `ts-pdb ls` and `ls --json` name its snapshot; it stays when the
//   rank is killed (SIGTERM, SIGKILL) or times out, and goes when a client ends the session; the same
//   for a web page;
// - mpirun -np 3 and cluster in dump mode: one snapshot per failing rank, named by the job's id.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { spawnNode } from '../helpers/pty.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';
import { CLI, connectSession, startRun } from '../helpers/run-program.mjs';
import { collect, linkedProject, needMpirun } from '../helpers/socket.mjs';
import { pageSocket } from '../web/web-helpers.mjs';
import { reader } from './helpers.mjs';
import { ROOT } from '../helpers/build.mjs';

// One boundary (run); TS_PDB_INSTRUMENT=all captures scale's locals too as the error passes it.
const APP = `function scale(items: number[], factor: number) {
  const total = items.reduce((a, b) => a + b, 0) * factor;
  if (total > 10) throw new RangeError(\`total \${total} is over the limit\`);
  return total;
}

// @debuggable
function run(name: string) {
  const items = [1, 2, 3];
  const config = { name, retries: 2 };
  return scale(items, config.name.length);
}

console.log(run(process.argv[2] ?? 'abcdef'));
`;

/** The environment of {@link APP}'s runs: no terminal, every function's locals, the registry in `dir`. */
const APP_ENV = (dir) => ({ CI: 'true', NO_COLOR: '1', IPDB_MODE: '', TS_PDB_INSTRUMENT: 'all', TS_PDB_HOME: path.join(dir, 'home') });

/** The snapshot files in `dir` (none when it does not exist), by name. */
function snapshotsIn(dir) {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => n.endsWith('.tspdb.json.gz'))
        .sort()
    : [];
}

/** Reads a snapshot file with the runtime's reader; fails the test with its reason when it cannot. */
function readFile(file) {
  const r = reader.readSnapshot(file);
  assert.ok(r.ok, r.error);
  return r.snapshot;
}

/** The names of the first error's frames that hold locals, with their locals' names. */
function framesWithLocals(snapshot) {
  return snapshot.errors[0].frames.filter((f) => f.locals.length).map((f) => `${f.name}(${f.locals.map((l) => l[0]).join(', ')})`);
}

/**
 * Runs `ts-pdb run app.ts [args]` in `dir` to its end, with no terminal; returns stdout, stderr and
 * the exit code (null when it was killed after `timeout` ms, default 60 s). `shell`: a bash command
 * run first, in the same process (`ulimit -f 1`).
 */
/** What ts-pdb said, with its own folder's path out of the way: a checkout's path may hold the word "snapshot". */
const said = (err) => err.replaceAll(ROOT, '<ts-pdb>');

function runToEnd(dir, env = {}, args = [], { timeout = 60_000, shell } = {}) {
  const merged = { ...process.env, ...APP_ENV(dir), ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const argv = [CLI, 'run', 'app.ts', ...args];
  const [file, fileArgs] = shell ? ['bash', ['-c', `${shell} && exec "$@"`, 'bash', process.execPath, ...argv]] : [process.execPath, argv];
  const r = spawnSync(file, fileArgs, { cwd: dir, encoding: 'utf8', env: merged, timeout });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

test('CI (no terminal): the report names the snapshot and the error goes on; ts-pdb open in a terminal reads the locals of both frames at their TypeScript lines', async (t) => {
  const dir = linkedProject('dump-ci-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = runToEnd(dir);
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /printing the frames instead of opening a console session/);
  assert.match(r.err, / {6}total = 36\n/, 'the report still shows the locals');
  const named = /^ts-pdb: rank 0: snapshot written: (ts-pdb-dumps\/\S+\.tspdb\.json\.gz) \(open it with: ts-pdb open \1\)$/m.exec(r.err);
  assert.ok(named, `the report's last line names the snapshot\n${r.err}`);
  assert.match(r.err, /RangeError: total 36 is over the limit\n {4}at scale \(.*app\.ts:3:\d+\)/, 'the original error goes on');
  assert.deepEqual(
    snapshotsIn(path.join(dir, 'ts-pdb-dumps')),
    [path.basename(named[1])],
    'one snapshot, in ts-pdb-dumps/ of the working directory',
  );
  const file = path.join(dir, named[1]);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'the file is private');
  assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700, 'the folder is private');

  // Later, with the program gone: a session on the terminal over the file.
  const prompt = /ipdb> $/;
  const p = spawnNode([CLI, 'open', named[1]], {
    cwd: dir,
    env: { NO_COLOR: '1', TS_PDB_HISTORY: '', CI: undefined, IPDB_MODE: undefined },
  });
  t.after(() => p.kill());
  await p.waitFor(prompt);
  const ask = async (line) => {
    const start = p.mark;
    p.type(line);
    await p.waitFor(prompt);
    return p.text.slice(start, p.mark);
  };
  assert.match(p.text, /ts-pdb: a snapshot \(ts-pdb-dumps\/\S+\), not a running program: rank 0 \(host \S+, pid \d+\), taken /);
  assert.match(p.text, /> app\.ts\(3\)scale\(\)/);
  assert.match(await ask('a'), /items = \[ 1, 2, 3 \]\nfactor = 6\n/);
  assert.match(await ask('p total / factor'), /\n6\n/);
  assert.match(await ask('u'), /> app\.ts\(11\)run\(\)/);
  assert.match(await ask('p config'), /\{ name: 'abcdef', retries: 2 \}/);
  assert.match(await ask('p items.length + config.retries'), /\n5\n/);
  p.type('q');
  assert.equal((await p.exited).exitCode, 0);
});

test('IPDB_MODE=dump: no session, one line names the snapshot, the error goes on; IPDB_DUMP_MAX then one line per stop left without', (t) => {
  const dir = linkedProject('dump-mode-', APP.replace("console.log(run(process.argv[2] ?? 'abcdef'));", LOOP));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = runToEnd(dir, { IPDB_MODE: 'dump', IPDB_DUMP_MAX: '2', IPDB_DUMP_DIR: 'dumps' });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /caught 4 errors/, 'the program went on after each stop');
  // Each stop that writes says, in two lines, what stopped and where its snapshot is.
  const written = [
    ...r.err.matchAll(
      /^ts-pdb: rank 0 \(pid \d+\) stopped: RangeError: total \d+ is over the limit\nts-pdb: rank 0: snapshot written: (dumps\/\S+) \(open it with: ts-pdb open \1\)$/gm,
    ),
  ].map((m) => m[1]);
  assert.equal(written.length, 2, r.err);
  assert.equal(
    [...r.err.matchAll(/^ts-pdb: rank 0: no snapshot of this stop: this process already keeps 2 \(IPDB_DUMP_MAX\)\.$/gm)].length,
    2,
    `one line for each of the two stops past the limit\n${r.err}`,
  );
  assert.doesNotMatch(r.err, /Traceback|connect with|printing the frames/, 'dump mode prints no report and opens nothing');
  assert.deepEqual(snapshotsIn(path.join(dir, 'dumps')), written.map((w) => path.basename(w)).sort());
  // The two stops of one millisecond or not, each is its own file with its own error.
  const factors = written.map((w) => readFile(path.join(dir, w)).errors[0].frames[0].locals.find((l) => l[0] === 'factor')[2]);
  assert.deepEqual(factors.sort(), [4, 5]);
});

test('IPDB_DUMP_MAX=0 keeps none (one line per stop); a limit that is not a number is said once and the default applies', (t) => {
  const dir = linkedProject('dump-max-0-', APP.replace("console.log(run(process.argv[2] ?? 'abcdef'));", LOOP));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const none = runToEnd(dir, { IPDB_MODE: 'dump', IPDB_DUMP_MAX: '0' });
  assert.equal(none.code, 0, none.err);
  assert.equal([...none.err.matchAll(/^ts-pdb: rank 0: no snapshot of this stop: IPDB_DUMP_MAX is 0\.$/gm)].length, 4, none.err);
  assert.deepEqual(snapshotsIn(path.join(dir, 'ts-pdb-dumps')), []);

  const bad = runToEnd(dir, { IPDB_MODE: 'dump', IPDB_DUMP_MAX: 'abc', IPDB_DUMP_MAX_MB: '-1', IPDB_DUMP_DIR: 'bad' });
  assert.equal(bad.code, 0, bad.err);
  const said = bad.err.match(/^ts-pdb: IPDB_DUMP.*$/gm) ?? [];
  assert.deepEqual(said, [
    'ts-pdb: IPDB_DUMP_MAX=abc is not a whole number of snapshots (0: none); the default, 5, applies.',
    'ts-pdb: IPDB_DUMP_MAX_MB=-1 is not a number of megabytes above 0; the default, 5, applies.',
  ]);
  assert.equal(snapshotsIn(path.join(dir, 'bad')).length, 4, 'four stops, under the default limit of 5');
});

const LOOP = `let caught = 0;
for (const name of ['abcd', 'abcde', 'abcdef', 'abcdefg']) {
  try {
    run(name);
  } catch {
    caught++;
  }
}
console.log(\`caught \${caught} errors\`);`;

test('IPDB_DUMP_DIR_MAX_MB: past the folder limit nothing more is written, one line says so once, nothing is deleted', (t) => {
  const dir = linkedProject('dump-dir-max-', APP.replace("console.log(run(process.argv[2] ?? 'abcdef'));", LOOP));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // A folder that already holds someone's 2 KB snapshot, and a limit of 1 KB.
  fs.mkdirSync(path.join(dir, 'dumps'), { mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'dumps', 'old.tspdb.json.gz'), Buffer.alloc(2048));
  const r = runToEnd(dir, { IPDB_MODE: 'dump', IPDB_DUMP_DIR: 'dumps', IPDB_DUMP_DIR_MAX_MB: String(1 / 1024) });
  assert.equal(r.code, 0, r.err);
  const lines = r.err.match(/holds 0 MB of snapshots, the limit is 0 MB \(IPDB_DUMP_DIR_MAX_MB\): no snapshot written/g) ?? [];
  assert.equal(lines.length, 1, `said once for four stops\n${r.err}`);
  assert.deepEqual(snapshotsIn(path.join(dir, 'dumps')), ['old.tspdb.json.gz'], 'nothing written, nothing deleted');
});

test('a disk that takes only part of the snapshot (here a file size limit): no snapshot is named, no partial file stays, the error goes on', (t) => {
  const dir = linkedProject('dump-efbig-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // 1 KB per file: the report's snapshot is bigger, so its write stops half-way (EFBIG), as on a full disk.
  const r = runToEnd(dir, {}, [], { shell: 'ulimit -f 1' });
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, / {6}total = 36\n/, 'the report is printed');
  assert.match(r.err, /^ts-pdb: rank 0: no snapshot written in ts-pdb-dumps: EFBIG: file too large, write\.$/m);
  assert.doesNotMatch(r.err, /snapshot written:/, 'no half file is named as a snapshot');
  assert.deepEqual(fs.readdirSync(path.join(dir, 'ts-pdb-dumps')), [], 'neither a cut snapshot nor its temporary file stays');
  assert.match(r.err, /RangeError: total 36 is over the limit\n {4}at scale/, 'the original error goes on');
});

test("an IPDB_DUMP_DIR where no folder can be made (under /proc, where Node's recursive mkdir never returns): one line, the error goes on at once", (t) => {
  const dir = linkedProject('dump-proc-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = runToEnd(dir, { IPDB_MODE: 'dump', IPDB_DUMP_DIR: '/proc/ts-pdb-none/dumps' }, [], { timeout: 30_000 });
  assert.equal(r.code, 1, `the program ended on its error (null: it hung until killed)\n${r.err}`);
  assert.match(
    r.err,
    /^ts-pdb: rank 0: no snapshot written in \/proc\/ts-pdb-none\/dumps: ENOENT: no such file or directory, mkdir '\/proc\/ts-pdb-none'\.$/m,
  );
  assert.match(r.err, /RangeError: total 36 is over the limit\n {4}at scale/);
});

test("a dump folder someone else can write in (everyone's without the sticky bit; another user's, through a link): no snapshot, one line says why; a sticky one is used", (t) => {
  const dir = linkedProject('dump-trust-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const open = path.join(dir, 'open');
  fs.mkdirSync(open);
  fs.chmodSync(open, 0o777);
  const r = runToEnd(dir, { IPDB_MODE: 'dump', IPDB_DUMP_DIR: 'open' });
  assert.equal(r.code, 1, r.err);
  assert.match(
    r.err,
    /^ts-pdb: rank 0: no snapshot written in open: every user may write in it \(mode 777\), so anyone could remove or replace the snapshots in it; set IPDB_DUMP_DIR to a folder of your own\.$/m,
  );
  assert.deepEqual(fs.readdirSync(open), []);
  assert.match(r.err, /RangeError: total 36 is over the limit\n {4}at scale/, 'the error goes on');

  // Everyone's with the sticky bit, as /tmp: nobody can remove or rename another's file there.
  const sticky = path.join(dir, 'sticky');
  fs.mkdirSync(sticky);
  fs.chmodSync(sticky, 0o1777);
  assert.match(runToEnd(dir, { IPDB_MODE: 'dump', IPDB_DUMP_DIR: 'sticky' }).err, /snapshot written: sticky\//);
  assert.equal(snapshotsIn(sticky).length, 1);

  if (process.getuid?.() !== 0) return t.diagnostic('not root: the folder of another user is not made here');
  const theirs = fs.mkdtempSync(path.join(dir, 'theirs-'));
  fs.chownSync(theirs, 65534, 65534);
  fs.symlinkSync(theirs, path.join(dir, 'link'));
  const other = runToEnd(dir, { IPDB_MODE: 'dump', IPDB_DUMP_DIR: 'link' });
  assert.match(
    other.err,
    /^ts-pdb: rank 0: no snapshot written in link: it belongs to another user \(uid 65534\), who could remove or replace the snapshots in it; set IPDB_DUMP_DIR to a folder of your own\.$/m,
  );
  assert.deepEqual(fs.readdirSync(theirs), []);
});

test('a value that throws something hostile while the snapshot is taken: one line, no snapshot; a socket rank still waits for its client', (t) => {
  // A local whose prototype is a Proxy whose traps throw a value with a throwing message and toString.
  const app = APP.replace(
    '  const config = { name, retries: 2 };',
    `  const config = { name, retries: 2 };
  const hostile: object = Object.create(null, { message: { get() { throw hostile; } }, toString: { get() { throw hostile; } } });
  const trap = () => { throw hostile; };
  const odd = Object.create(new Proxy({}, { getPrototypeOf: trap, getOwnPropertyDescriptor: trap, ownKeys: trap, get: trap, has: trap }));`,
  );
  const dir = linkedProject('dump-hostile-', app);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dump = runToEnd(dir, { IPDB_MODE: 'dump' });
  assert.equal(dump.code, 1, dump.err);
  assert.match(dump.err, /^ts-pdb: rank 0: no snapshot written: something was thrown that cannot be shown\.$/m);
  assert.match(dump.err, /RangeError: total 36 is over the limit\n {4}at scale/, 'the error goes on');

  const socket = runToEnd(dir, { IPDB_MODE: 'socket', IPDB_TIMEOUT: '1', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock') });
  assert.equal(socket.code, 1, socket.err);
  assert.match(
    socket.err,
    /no snapshot written: something was thrown that cannot be shown\.\n[^]*no client connected within 1 s; the error goes on/,
    'the wait still happened',
  );
  assert.deepEqual(snapshotsIn(path.join(dir, 'ts-pdb-dumps')), []);
});

test('IPDB_IGNORE: an error it names opens no session and leaves no snapshot; other errors still do; IPDB_DUMP=0 keeps the report but writes none', (t) => {
  const dir = linkedProject('dump-ignore-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const ignore of ['RangeError', 'AbortError, /over the limit$/']) {
    const r = runToEnd(dir, { IPDB_IGNORE: ignore });
    assert.equal(r.code, 1);
    assert.match(r.err, /RangeError: total 36 is over the limit\n {4}at scale/, 'the error goes on as without ts-pdb');
    assert.doesNotMatch(said(r.err), /Traceback|snapshot/, `IPDB_IGNORE=${ignore}: no report, no snapshot\n${r.err}`);
  }
  assert.deepEqual(snapshotsIn(path.join(dir, 'ts-pdb-dumps')), []);
  // Another error class is not ignored; a bad pattern is said once and left out.
  const other = runToEnd(dir, { IPDB_IGNORE: 'TypeError,/(/' });
  assert.match(other.err, /^ts-pdb: IPDB_IGNORE: \/\(\/ is not a regular expression \(.*\); it is left out$/m);
  assert.match(other.err, /Traceback[^]*snapshot written: ts-pdb-dumps\//);
  assert.equal(snapshotsIn(path.join(dir, 'ts-pdb-dumps')).length, 1);

  const off = runToEnd(dir, { IPDB_DUMP: '0', IPDB_DUMP_DIR: 'off' });
  assert.match(off.err, /Traceback[^]* {6}total = 36\n/, 'the report is still printed');
  assert.doesNotMatch(said(off.err), /snapshot/);
  assert.equal(fs.existsSync(path.join(dir, 'off')), false);
});

test('IPDB_IGNORE: a /pattern/ with the g or y flag ignores every error it matches, not every other one; a comma inside a /pattern/ belongs to it', (t) => {
  const dir = linkedProject('dump-ignore-re-', APP.replace("console.log(run(process.argv[2] ?? 'abcdef'));", LOOP));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Four errors: total 24, 30, 36 and 42 is over the limit.
  for (const ignore of ['/over the limit/g', '/^total \\d+/y', 'TypeError, /^total \\d{1,3} is over/, AbortError']) {
    const r = runToEnd(dir, { IPDB_MODE: 'dump', IPDB_IGNORE: ignore });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /caught 4 errors/);
    assert.doesNotMatch(said(r.err), /stopped|snapshot|IPDB_IGNORE/, `IPDB_IGNORE=${ignore}: all four ignored, nothing said\n${r.err}`);
  }
  assert.deepEqual(snapshotsIn(path.join(dir, 'ts-pdb-dumps')), []);
});

/**
 * Starts `ts-pdb run app.ts` in socket mode in `dir` and waits for its box, then for the snapshot the
 * box names (the worker prints the box the moment the socket listens; the main thread writes the
 * file right after). Returns the run, the rank's pid, its socket and the snapshot's path.
 */
async function waitingRank(dir, env = {}) {
  const run = startRun(dir, { ...APP_ENV(dir), IPDB_MODE: 'socket', IPDB_SOCK_PATH: path.join(dir, 'pdb.sock'), ...env });
  const box = await run.err.until(
    /\| ts-pdb: rank 0 \(pid (\d+)\) stopped: [^]*?connect with: {2}nc -U (\S+) [^]*?\| {3}(\S+\.tspdb\.json\.gz) +\|\n\+/,
  );
  const snapshot = path.join(dir, box[3]);
  await fileAppears(snapshot);
  return { run, pid: Number(box[1]), socket: box[2], snapshot };
}

/** Resolves when `file` exists (watching its folder); rejects after `ms`, saying what the folder held. */
function fileAppears(file, ms = 20_000) {
  const dir = path.dirname(file);
  return new Promise((resolve, reject) => {
    let watcher;
    const done = (error) => {
      clearTimeout(timer);
      watcher?.close();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () => done(new Error(`${file} did not appear within ${ms} ms; ${dir} holds: ${snapshotsIn(dir).join(', ') || 'nothing'}`)),
      ms,
    );
    const check = () => fs.existsSync(file) && done();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    watcher = fs.watch(dir, check);
    check();
  });
}

test('socket mode: the box, ts-pdb ls and ls --json name the snapshot of the wait; a client that ends the session removes it', async (t) => {
  const dir = linkedProject('dump-socket-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { run, socket, snapshot } = await waitingRank(dir);
  t.after(() => run.kill());
  assert.match(run.err.text, /snapshot \(kept unless a client ends the session\):/);
  // Written as the wait begins: it is there while the rank waits (waitingRank waited for it).
  assert.deepEqual(framesWithLocals(readFile(snapshot)), ['scale(items, factor, total)', 'run(name, items, config)']);

  const env = { ...process.env, TS_PDB_HOME: path.join(dir, 'home') };
  const ls = spawnSync(process.execPath, [CLI, 'ls'], { encoding: 'utf8', env });
  assert.match(ls.stdout, new RegExp(`\\n {6}snapshot: ${snapshot.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`), ls.stdout);
  const json = JSON.parse(spawnSync(process.execPath, [CLI, 'ls', '--json'], { encoding: 'utf8', env }).stdout);
  assert.equal(json.length, 1);
  assert.equal(json[0].snapshot, snapshot);
  assert.equal(json[0].address, socket);
  assert.equal(json[0].mode, 'socket');

  const client = await connectSession(socket, /ipdb> $/);
  client.send('p total');
  await client.seen.until(/ipdb> 36\nipdb> $/);
  client.send('c');
  assert.equal(await run.exited, 1);
  assert.equal(fs.existsSync(snapshot), false, 'a session its client ended leaves no snapshot');
  assert.match(run.err.text, /RangeError: total 36 is over the limit/);
});

for (const signal of ['SIGTERM', 'SIGKILL']) {
  test(`socket mode: a waiting rank killed by ${signal} leaves its snapshot, which ts-pdb open reads`, async (t) => {
    const dir = linkedProject(`dump-${signal.toLowerCase()}-`, APP);
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const { run, pid, snapshot } = await waitingRank(dir);
    t.after(() => run.kill());
    process.kill(pid, signal);
    await run.exited;
    assert.ok(fs.existsSync(snapshot), `${snapshot} is still there after ${signal}`);
    // Without a terminal, ts-pdb open prints the frames of the file, as a live session would.
    const open = spawnSync(process.execPath, [CLI, 'open', snapshot], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    });
    assert.equal(open.status, 0, open.stderr);
    assert.match(open.stderr, /File "app\.ts", line 3, in scale[^]* {6}total = 36\n[^]*RangeError: total 36 is over the limit/);
  });
}

// Two ranks share the terminal (IPDB_MODE=console): rank 0 throws at once; rank 1 when the test
// writes go.1, so that it throws while rank 0's session holds the terminal.
const TURNS_APP = `import { fork } from 'node:child_process';
import * as fs from 'node:fs';

// @debuggable
function step(rank: number) {
  const loss = rank * 1.5;
  throw new Error(\`rank \${rank} failed with loss \${loss}\`);
}

if (!process.env.RANK) {
  const codes: string[] = [];
  for (const r of [0, 1]) {
    const child = fork(__filename, [], {
      env: { ...process.env, RANK: String(r), WORLD_SIZE: '2', IPDB_MODE: 'console' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('exit', (code) => {
      codes[r] = \`rank \${r} exit \${code}\`;
      if (codes.filter(Boolean).length === 2) console.log(codes.join('; '));
    });
  }
} else if (process.env.RANK === '0') {
  step(0);
} else {
  let thrown = false;
  const go = () => {
    if (thrown || !fs.existsSync('go.1')) return;
    thrown = true;
    watcher.close();
    process.disconnect();
    step(1);
  };
  const watcher = fs.watch('.', go);
  go();
}
`;

test('console turns: a rank that waits for the terminal writes its snapshot and names it; its session, when it comes, removes it; the session of rank 0, with someone at it, writes none', async (t) => {
  const dir = linkedProject('dump-turns-', TURNS_APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const p = spawnNode([CLI, 'run', 'app.ts'], {
    cwd: dir,
    env: {
      TS_PDB_HOME: path.join(dir, 'home'),
      TS_PDB_HISTORY: '',
      NO_COLOR: '1',
      CI: undefined,
      RANK: undefined,
      WORLD_SIZE: undefined,
      IPDB_MODE: undefined,
    },
  });
  t.after(() => p.kill());
  await p.waitFor(/\(rank-0-pdb\) $/);
  fs.writeFileSync(path.join(dir, 'go.1'), '');
  const named = await p.waitFor(
    /ts-pdb: rank 1 waits for the terminal \(rank 0, pid \d+, has it\)[^\n]*\nts-pdb: rank 1: snapshot written: (\S+) \(open it with: ts-pdb open \1\)\n/,
  );
  const snapshot = path.join(dir, named[1]);
  const s = readFile(snapshot);
  assert.equal(s.process.rank, 1);
  assert.deepEqual(framesWithLocals(s), ['step(rank, loss)']);
  assert.deepEqual(snapshotsIn(path.join(dir, 'ts-pdb-dumps')), [path.basename(snapshot)], 'rank 0, with someone at it, wrote none');

  p.type('q');
  await p.waitFor(/\(rank-1-pdb\) $/);
  assert.ok(fs.existsSync(snapshot), 'kept while its session has not ended');
  p.type('p loss');
  await p.waitFor(/\n1\.5\n\(rank-1-pdb\) $/);
  p.type('q');
  await p.waitFor(/rank 0 exit 1; rank 1 exit 1/);
  assert.deepEqual(snapshotsIn(path.join(dir, 'ts-pdb-dumps')), [], 'its session ran: no snapshot left');
});

test('IPDB_TIMEOUT: nobody came; the line that says so names the snapshot, which stays', async (t) => {
  const dir = linkedProject('dump-timeout-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { run, snapshot } = await waitingRank(dir, { IPDB_TIMEOUT: '1' });
  t.after(() => run.kill());
  assert.equal(await run.exited, 1);
  assert.match(run.err.text, /no client connected within 1 s; the error goes on\.\nts-pdb: rank 0: snapshot written: (\S+)/);
  assert.ok(fs.existsSync(snapshot));
});

test('mpirun -np 3, IPDB_MODE=dump: rank 1 leaves one snapshot named by the job id, ranks 0 and 2 finish; ts-pdb open DIR lists it', (t) => {
  if (!needMpirun(t)) return;
  const dir = linkedProject('dump-mpirun-', MPI_APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const env = {
    ...process.env,
    CI: 'true',
    NO_COLOR: '1',
    IPDB_MODE: 'dump',
    TS_PDB_HOME: path.join(dir, 'home'),
    RANK: '',
    LOCAL_RANK: '',
    WORLD_SIZE: '',
    OMPI_ALLOW_RUN_AS_ROOT: '1',
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1',
  };
  const job = spawnSync('mpirun', ['--oversubscribe', '-np', '3', process.execPath, CLI, 'run', 'app.ts'], {
    cwd: dir,
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  assert.notEqual(job.status, 0, 'mpirun reports the failed rank');
  assert.match(job.stdout, /rank 0 reduced 0 rows/);
  assert.match(job.stdout, /rank 2 reduced 200 rows/);
  const files = snapshotsIn(path.join(dir, 'ts-pdb-dumps'));
  assert.equal(files.length, 1, `${files}\n${job.stderr}`);
  const s = readFile(path.join(dir, 'ts-pdb-dumps', files[0]));
  assert.equal(s.process.rank, 1);
  assert.equal(s.process.worldSize, 3);
  assert.match(s.process.jobId, /^\d+$/, "Open MPI's job id");
  assert.ok(files[0].startsWith(`${s.process.jobId}-rank00001-`), files[0]);
  assert.deepEqual(framesWithLocals(s), ['reduceShard(rank, shard)']);

  const list = spawnSync(process.execPath, [CLI, 'open', path.join(dir, 'ts-pdb-dumps')], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, new RegExp(`${s.process.jobId} +1 .*Error: rank 1: checksum mismatch`));
});

// Rank 1 fails once ranks 0 and 2 are done (each leaves done.N): mpirun ends the whole job when a
// rank fails, so without this the others finish only if they are quicker than rank 1.
const MPI_APP = `import * as fs from 'node:fs';

// @debuggable
function reduceShard(rank: number) {
  const shard = { rank, rows: rank * 100 };
  if (rank === 1) throw new Error(\`rank \${rank}: checksum mismatch in shard of \${shard.rows} rows\`);
  return shard.rows;
}

const rank = Number(process.env.OMPI_COMM_WORLD_RANK);
if (rank !== 1) {
  console.log(\`rank \${rank} reduced \${reduceShard(rank)} rows\`);
  fs.writeFileSync(\`done.\${rank}\`, '');
} else {
  let failed = false;
  const failOnceOthersAreDone = () => {
    if (failed || !fs.existsSync('done.0') || !fs.existsSync('done.2')) return;
    failed = true;
    watcher.close();
    reduceShard(rank);
  };
  const watcher = fs.watch('.', failOnceOthersAreDone);
  failOnceOthersAreDone();
}
`;

test("cluster, IPDB_MODE=dump: worker 2 leaves one snapshot in the job cluster-<primary's pid>; the others finish", async (t) => {
  const dir = linkedProject('dump-cluster-', CLUSTER_APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const job = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', NO_COLOR: '1', IPDB_MODE: 'dump', TS_PDB_HOME: path.join(dir, 'home') },
  });
  t.after(() => killGroup(job));
  const out = collect(job.stdout, 'the job (stdout)');
  const err = collect(job.stderr, 'the job (stderr)');
  await out.until(/primary (\d+): worker 1 exit 0; worker 2 exit 1; worker 3 exit 0/);
  const primary = /primary (\d+)/.exec(out.text)[1];
  const files = snapshotsIn(path.join(dir, 'ts-pdb-dumps'));
  assert.equal(files.length, 1, `${files}\n${err.text}`);
  assert.ok(files[0].startsWith(`cluster-${primary}-rank00002-`), files[0]);
  const s = readFile(path.join(dir, 'ts-pdb-dumps', files[0]));
  assert.equal(s.process.jobId, `cluster-${primary}`);
  assert.deepEqual(framesWithLocals(s), ['work(id, shard)']);
});

const CLUSTER_APP = `import cluster from 'node:cluster';

// @debuggable
function work(id: number) {
  const shard = { id, items: id * 10 };
  if (id === 2) throw new Error(\`worker \${id} failed on shard \${shard.items}\`);
  return shard.items;
}

if (cluster.isPrimary) {
  const codes: string[] = [];
  for (let i = 0; i < 3; i++) cluster.fork();
  cluster.on('exit', (w, code) => {
    codes[w.id] = \`worker \${w.id} exit \${code}\`;
    if (codes.filter(Boolean).length === 3) console.log(\`primary \${process.pid}: \${codes.filter(Boolean).join('; ')}\`);
  });
} else {
  console.log(\`worker \${cluster.worker!.id} did \${work(cluster.worker!.id)}\`);
  process.exit(0);
}
`;

test('web mode: the box names the snapshot of the wait; a page that ends the session removes it; a page that never comes leaves it', async (t) => {
  const dir = linkedProject('dump-web-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const timeout of ['', '1']) {
    const run = startRun(dir, { ...APP_ENV(dir), IPDB_MODE: 'web', IPDB_WEB_PORT: '0', IPDB_HOST: '', IPDB_TIMEOUT: timeout });
    t.after(() => run.kill());
    const box = await run.err.until(
      /open in a browser: {2}(\S+)[^]*?snapshot \(kept unless a client ends the session\): +\|\n\| {3}(\S+\.tspdb\.json\.gz) +\|/,
    );
    const snapshot = path.join(dir, box[2]);
    await fileAppears(snapshot);
    const json = JSON.parse(
      spawnSync(process.execPath, [CLI, 'ls', '--json'], { encoding: 'utf8', env: { ...process.env, TS_PDB_HOME: path.join(dir, 'home') } })
        .stdout,
    );
    assert.equal(json.find((e) => e.mode === 'web')?.snapshot, snapshot);
    if (timeout) {
      assert.equal(await run.exited, 1);
      assert.match(run.err.text, /no page connected within 1 s; the error goes on\.\nts-pdb: rank 0: snapshot written: /);
      assert.ok(fs.existsSync(snapshot), 'nobody came: the snapshot stays');
    } else {
      const page = pageSocket(box[1]);
      t.after(() => page.close());
      const hello = await page.next('hello');
      if (hello.prompt === undefined) await page.next('prompt');
      page.send({ type: 'command', line: 'c' });
      await page.next('ended');
      assert.equal(await run.exited, 1);
      assert.equal(fs.existsSync(snapshot), false, 'the page ended the session: no snapshot left');
    }
  }
});
