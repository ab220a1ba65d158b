// The terminal lock of console turns (runtime/console/terminal-lock.ts), with real processes:
// a turn held by a live process makes others wait (bounded by a timeout); a turn left by a killed
// process is taken over; a waiting lower rank goes before a higher one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';

const LOCK = path.join(ROOT, 'dist', 'runtime', 'console', 'terminal-lock.js');
const { takeTurn } = await import(LOCK);

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
  const turn = takeTurn({ rank: 3, dir, key: 'k', timeoutMs: 300, onWait: (h) => { told = h; } });
  assert.equal(turn, undefined);
  assert.deepEqual(told, { pid: process.ppid, rank: 0 });
  assert.deepEqual(fs.readdirSync(path.join(dir, 'k')), ['holder'], 'the waiter removed its own entry');
});

test('a turn left by a killed process is taken over', async () => {
  const dir = scratch('lock-');
  const child = spawn(process.execPath, ['-e', `
    const { takeTurn } = require(${JSON.stringify(LOCK)});
    takeTurn({ rank: 0, dir: ${JSON.stringify(dir)}, key: 'k' });
    console.log('held');
    setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const turn = takeTurn({ rank: 1, dir, key: 'k', timeoutMs: 5000 });
  assert.ok(turn, 'the dead holder\'s turn was taken over');
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
