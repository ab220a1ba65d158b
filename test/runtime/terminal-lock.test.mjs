// The terminal lock of console turns (runtime/front-ends/console/terminal-lock.ts), with real processes:
// a turn held by a live process makes others wait (bounded by a timeout); a turn left by a killed
// or stopped process is taken over; a waiting lower rank goes before a higher one, unless it is stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';

const LOCK = path.join(ROOT, 'dist', 'runtime', 'front-ends', 'console', 'terminal-lock.js');
const { takeTurn, terminalHolder } = await import(LOCK);

test('a free terminal is taken at once and given back on release', () => {
  const dir = scratch('lock-');
  const turn = takeTurn({ rank: 0, dir, key: 'k' });
  assert.ok(turn);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'k', 'holder'), 'utf8')).pid, process.pid);
  turn.release();
  assert.deepEqual(fs.readdirSync(path.join(dir, 'k')), [], 'nothing is left behind');
});

test('a terminal held by a live process: the session waits, is told who has it, and gives up at the timeout', () => {
  const dir = scratch('lock-');
  // Another live process holds the terminal (this test process's parent stands for it).
  fs.mkdirSync(path.join(dir, 'k'));
  fs.writeFileSync(path.join(dir, 'k', 'holder'), JSON.stringify({ pid: process.ppid, rank: 0 }));
  let told;
  const turn = takeTurn({
    rank: 3,
    dir,
    key: 'k',
    timeoutMs: 300,
    onWait: (h) => {
      told = h;
    },
  });
  assert.equal(turn, undefined);
  assert.deepEqual(told, { pid: process.ppid, rank: 0 });
  assert.deepEqual(fs.readdirSync(path.join(dir, 'k')), ['holder'], 'the waiter removed its own entry');
});

test('a turn left by a killed process is taken over', async () => {
  const dir = scratch('lock-');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `
    const { takeTurn } = require(${JSON.stringify(LOCK)});
    takeTurn({ rank: 0, dir: ${JSON.stringify(dir)}, key: 'k' });
    console.log('held');
    setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const turn = takeTurn({ rank: 1, dir, key: 'k', timeoutMs: 5000 });
  assert.ok(turn, "the dead holder's turn was taken over");
  turn.release();
});

test('when the terminal comes free, the lowest waiting rank takes it, not the first to wait', () => {
  const dir = scratch('lock-');
  const holder = takeTurn({ rank: 0, dir, key: 'k' });
  // Rank 5 waits first (a live entry of another process), then this process waits as rank 2.
  fs.writeFileSync(path.join(dir, 'k', `wait-000005-${process.ppid}-0`), '');
  holder.release();
  const turn = takeTurn({ rank: 2, dir, key: 'k', timeoutMs: 1000 });
  assert.ok(turn, 'rank 2 goes before rank 5');
  turn.release();
  // Rank 1 waiting (alive) goes before this rank 2.
  fs.writeFileSync(path.join(dir, 'k', `wait-000001-${process.ppid}-0`), '');
  assert.equal(takeTurn({ rank: 2, dir, key: 'k', timeoutMs: 300 }), undefined);
  // An entry of a dead process is pruned, not waited for.
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  fs.unlinkSync(path.join(dir, 'k', `wait-000001-${process.ppid}-0`));
  fs.writeFileSync(path.join(dir, 'k', `wait-000001-${dead.stdout.trim()}-0`), '');
  const after = takeTurn({ rank: 2, dir, key: 'k', timeoutMs: 1000 });
  assert.ok(after);
  after.release();
});

/** Starts a process that takes the turn as rank 0 and stays; resolves once it holds it. */
async function holderProcess(dir) {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `
    const { takeTurn } = require(${JSON.stringify(LOCK)});
    takeTurn({ rank: 0, dir: ${JSON.stringify(dir)}, key: 'k' });
    console.log('held');
    setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return child;
}

/** The state of a process (/proc/<pid>/stat field 3), e.g. `T` when stopped. */
function state(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}

/** Resolves once process `pid` is in state `want`; fails with the state seen after 5 s. */
async function inState(pid, want) {
  const end = Date.now() + 5000;
  while (state(pid) !== want) {
    if (Date.now() > end) assert.fail(`process ${pid} is in state ${state(pid)}, not ${want}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('a turn held by a stopped process (state T, as SIGTTIN leaves a rank that read the terminal from the background) is taken over, and the taker says so; one stopped for a moment (Ctrl-Z, then fg) keeps it', async (t) => {
  const dir = scratch('lock-');
  const child = await holderProcess(dir);
  t.after(() => child.kill('SIGKILL'));
  const holderPid = () => JSON.parse(fs.readFileSync(path.join(dir, 'k', 'holder'), 'utf8')).pid;

  // Seen stopped at the waiter's first look, continued before its next one: still the holder.
  child.kill('SIGSTOP');
  await inState(child.pid, 'T');
  let takenFrom;
  const onTakeOver = (h, why) => {
    takenFrom = { pid: h.pid, why };
  };
  assert.equal(takeTurn({ rank: 1, dir, key: 'k', timeoutMs: 600, onWait: () => child.kill('SIGCONT'), onTakeOver }), undefined);
  assert.equal(takenFrom, undefined);
  assert.equal(holderPid(), child.pid);

  // Stopped for good: its turn is taken over.
  child.kill('SIGSTOP');
  await inState(child.pid, 'T');
  const turn = takeTurn({ rank: 1, dir, key: 'k', timeoutMs: 5000, onTakeOver });
  assert.ok(turn, "the stopped holder's turn was taken over within 5 s");
  assert.deepEqual(takenFrom, { pid: child.pid, why: 'stopped' });
  assert.equal(holderPid(), process.pid);
  turn.release();
});

test('a waiting entry of a stopped process does not keep a higher rank from a free terminal (and is kept for when it goes on)', async (t) => {
  const dir = scratch('lock-');
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await new Promise((resolve) => child.once('spawn', resolve));
  child.kill('SIGSTOP');
  await inState(child.pid, 'T');
  fs.mkdirSync(path.join(dir, 'k'));
  fs.writeFileSync(path.join(dir, 'k', `wait-000001-${child.pid}-0`), '');
  const turn = takeTurn({ rank: 2, dir, key: 'k', timeoutMs: 2000 });
  assert.ok(turn, 'rank 2 takes the terminal past the stopped rank 1');
  turn.release();
  assert.deepEqual(fs.readdirSync(path.join(dir, 'k')), [`wait-000001-${child.pid}-0`]);
});

test('a session that may not take the terminal now (mayTake false: its job was sent to the background) waits on, even for a free terminal', () => {
  const dir = scratch('lock-');
  let asked = 0;
  assert.equal(
    takeTurn({
      rank: 0,
      dir,
      key: 'k',
      timeoutMs: 300,
      mayTake: () => {
        asked++;
        return false;
      },
    }),
    undefined,
  );
  assert.ok(asked >= 2, `asked at each look (${asked})`);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'k')), [], 'it took nothing and left nothing');
});

test('terminalHolder: who has the terminal now (its name as its turn gave it), for a process that writes to it without a session', async () => {
  const dir = scratch('lock-');
  assert.equal(terminalHolder({ dir, key: 'k' }), undefined, 'nobody: no lock yet');
  const turn = takeTurn({ rank: 1, name: 'Vitest worker 2', dir, key: 'k' });
  assert.deepEqual(terminalHolder({ dir, key: 'k' }), { pid: process.pid, rank: 1, thread: 0, name: 'Vitest worker 2' });
  turn.release();
  assert.equal(terminalHolder({ dir, key: 'k' }), undefined, 'nobody once the turn is given back');
  // A holder that died without giving it back holds nothing.
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  fs.writeFileSync(path.join(dir, 'k', 'holder'), JSON.stringify({ pid: child.pid, rank: 0 }));
  assert.equal(terminalHolder({ dir, key: 'k' }), undefined, 'a dead holder has nothing');
});
