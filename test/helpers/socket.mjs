// Shared by the socket-mode tests (test/socket/): a project with ts-pdb installed, the real `nc`
// client check, and event-driven waits on a process's output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, scratch } from './build.mjs';

/** Longest wait for output, in ms. */
export const WAIT_MS = 20_000;

const HAS_NC = spawnSync('sh', ['-c', 'command -v nc'], { encoding: 'utf8' }).status === 0;

/** True when `nc` is installed; otherwise fails under CI (.ci/run installs it) or skips the test. */
export function needNc(t) {
  if (HAS_NC) return true;
  if (process.env.CI) assert.fail('nc (netcat-openbsd) is not installed: .ci/run installs it');
  t.skip('nc (netcat-openbsd) is not installed');
  return false;
}

const HAS_MPIRUN = spawnSync('sh', ['-c', 'command -v mpirun'], { encoding: 'utf8' }).status === 0;

/** True when `mpirun` is installed; otherwise fails under CI (.ci/run installs openmpi-bin) or skips the test. */
export function needMpirun(t) {
  if (HAS_MPIRUN) return true;
  if (process.env.CI) assert.fail('mpirun (openmpi-bin) is not installed: .ci/run installs it');
  t.skip('mpirun (openmpi-bin) is not installed');
  return false;
}

/**
 * A scratch project with `app.ts` and ts-pdb installed as a user has it (a link in node_modules).
 * @returns the folder
 */
export function linkedProject(prefix, source) {
  const dir = scratch(prefix);
  fs.writeFileSync(path.join(dir, 'app.ts'), source);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: prefix.replace(/-$/, '') + '-app' }));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'ts-pdb'), 'dir');
  return dir;
}

/**
 * The text of a stream as it arrives. `until(pattern)` (a RegExp, or a test of the whole text)
 * resolves on the data that makes it match (with the match), or rejects with what was seen.
 */
export function collect(stream, what, waitMs = WAIT_MS) {
  const c = { text: '', waiters: [] };
  const check = (w) => (typeof w.pattern === 'function' ? w.pattern(c.text) || null : w.pattern.exec(c.text));
  stream.setEncoding('utf8').on('data', (d) => {
    c.text += d;
    for (const w of [...c.waiters]) {
      const m = check(w);
      if (m) {
        c.waiters.splice(c.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(m);
      }
    }
  });
  c.until = (pattern) =>
    new Promise((resolve, reject) => {
      const w = { pattern, resolve };
      const m = check(w);
      if (m) {
        resolve(m);
        return;
      }
      w.timer = setTimeout(() => {
        c.waiters.splice(c.waiters.indexOf(w), 1);
        reject(new Error(`${what}: no ${pattern} within ${waitMs} ms; seen:\n${c.text.slice(-3000)}`));
      }, waitMs);
      c.waiters.push(w);
    });
  return c;
}
