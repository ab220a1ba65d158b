// The output hold of Vitest's main process (runtime/vite/output-hold.ts), in a real process on a real
// pseudo-terminal: while a session has the terminal, the process's own writes wait (in order) and its
// stdin is paused, so that what the user types goes to the session; when the session ends, both go
// on. "A session has the terminal" is a file the test creates and removes (the real lock's holder:
// test/runtime/terminal-lock.test.mjs; the whole, under Vitest: test/vite/vitest-sessions.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, scratch } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';

const HOLD = path.join(ROOT, 'dist', 'runtime', 'vite', 'output-hold.js');

/** Resolves when `file` exists (watching its folder); rejects after `ms` saying what was awaited. */
function fileAppears(file, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const watcher = fs.watch(path.dirname(file), () => check());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`${path.basename(file)} did not appear within ${ms} ms`));
    }, ms);
    const check = () => {
      if (!fs.existsSync(file)) return;
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    check();
  });
}

test('while a session has the terminal the process writes nothing and reads no keys; when it ends, both go on', async (t) => {
  const dir = scratch('output-hold-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const [flag, seen, wrote] = ['held', 'seen', 'wrote'].map((f) => path.join(dir, f));
  // The program answers each line it reads, saying whether the session had the terminal when it read
  // it. The first time it finds itself held it writes a line, then says so in a file (the test
  // cannot see held output).
  const program = `
    const fs = require('node:fs');
    const { holdOutput } = require(${JSON.stringify(HOLD)});
    const held = () => fs.existsSync(${JSON.stringify(flag)});
    let first = true;
    holdOutput(() => {
      const h = held();
      if (h && first) {
        first = false;
        setImmediate(() => {
          process.stdout.write('written while held\\n');
          fs.writeFileSync(${JSON.stringify(wrote)}, '');
        });
        fs.writeFileSync(${JSON.stringify(seen)}, '');
      }
      return h;
    });
    process.stdin.setEncoding('utf8').on('data', (text) => {
      for (const line of text.split(/\\r?\\n|\\r/).filter(Boolean)) {
        process.stdout.write('read ' + line + (held() ? ' while held' : ' after') + '\\n');
        if (line === 'end') process.exit(0);
      }
    });
    process.stdout.write('ready\\n');`;
  const p = spawnNode(['-e', program], { cwd: dir });
  t.after(() => p.kill());
  await p.waitFor(/ready\n/);
  p.type('one');
  await p.waitFor(/read one after\n/);

  // A session takes the terminal; the process sees it at its next look (every 100 ms).
  fs.writeFileSync(flag, '');
  await fileAppears(seen);
  await fileAppears(wrote);
  assert.doesNotMatch(p.text, /written while held/, 'a write made while the session has the terminal waits');
  p.type('two');
  await p.waitFor(/two\n/); // the terminal's own echo (cooked mode): the key reached the terminal

  // The session ends: the held write comes out, then the key typed meanwhile is read, now.
  fs.rmSync(flag);
  await p.waitFor(/written while held\n/);
  await p.waitFor(/read two after\n/);
  assert.doesNotMatch(p.text, /read \w+ while held/, 'no key was read while the session had the terminal');
  p.type('end');
  const exit = await p.wait();
  assert.equal(exit.exitCode, 0, p.text);
});

test('what is written while held comes out at exit at the latest, each on its own stream', () => {
  const dir = scratch('output-hold-');
  try {
    const flag = path.join(dir, 'held');
    fs.writeFileSync(flag, '');
    // Held from the start to the end: the exit writes it all.
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `const { holdOutput } = require(${JSON.stringify(HOLD)});
         holdOutput(() => require('node:fs').existsSync(${JSON.stringify(flag)}), { stdin: undefined });
         process.stdout.write('a\\n');
         process.stderr.write('b\\n');
         process.stdout.write('c\\n');`,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'a\nc\n');
    assert.equal(r.stderr, 'b\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
