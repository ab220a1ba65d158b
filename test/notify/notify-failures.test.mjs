// IPDB_NOTIFY's command when it goes wrong (runtime/front-ends/shared/notify-runner.ts): a command
// that fails, cannot start, or hangs is one line on stderr, and never the program's business: its
// error and exit code are what they are without IPDB_NOTIFY, and it never waits for the command.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { startRun } from '../helpers/run-program.mjs';
import { linkedProject } from '../helpers/socket.mjs';
import { APP, outFolder, RECORD, running, untilFiles, untilRuns } from './notify-helpers.mjs';

/** The error as Node prints it when it goes on (the program's own, at its TypeScript line). */
const ORIGINAL = /RangeError: name abcdef is too long\n {4}at run \(.*app\.ts:4:\d+\)/;

function project(t) {
  const dir = linkedProject('notify-fail-', APP);
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { dir, out: outFolder(dir) };
}

function start(t, { dir, out }, command, env = {}) {
  const run = startRun(dir, { IPDB_MODE: 'dump', IPDB_NOTIFY: command, NOTIFY_OUT: out, ...env });
  t.after(() => run.kill());
  return run;
}

/** The lines of `text` that are about IPDB_NOTIFY. */
const notifyLines = (text) => text.match(/^.*IPDB_NOTIFY.*$/gm) ?? [];

test('a command that fails: one line with its exit code; the error and the exit code are those of a run without IPDB_NOTIFY', async (t) => {
  const p = project(t);
  const without = startRun(p.dir, { IPDB_MODE: 'dump', IPDB_DUMP_DIR: 'without' });
  t.after(() => without.kill());
  const code = await without.exited;
  assert.equal(code, 1);

  for (const mode of ['dump', '']) {
    const run = start(t, p, `${RECORD}; echo "webhook refused" >&2; exit 3`, { IPDB_MODE: mode });
    assert.equal(await run.exited, code, `mode ${mode || 'default (no terminal: the report)'}: exit code unchanged`);
    assert.match(run.err.text, ORIGINAL, "the program's own error goes on");
    assert.deepEqual(notifyLines(run.err.text), ['ts-pdb: rank 0: the IPDB_NOTIFY command failed: exit code 3.']);
    assert.match(run.err.text, /^webhook refused$/m, "the command's own stderr is the program's");
  }
  assert.equal(fs.readdirSync(p.out).filter((n) => n.endsWith('.env')).length, 2, 'the command ran each time');
});

test('a command that cannot start (not found; not executable): one line that says so; the error goes on', async (t) => {
  const p = project(t);
  const script = path.join(p.dir, 'notify.sh');
  fs.writeFileSync(script, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
  for (const [command, said] of [
    ['no-such-notifier-ts-pdb "$TS_PDB_ERROR"', 'exit code 127 (not found)'],
    [script, 'exit code 126 (not executable)'],
  ]) {
    const run = start(t, p, command);
    assert.equal(await run.exited, 1);
    assert.match(run.err.text, ORIGINAL);
    assert.deepEqual(notifyLines(run.err.text), [`ts-pdb: rank 0: the IPDB_NOTIFY command could not start: ${said}.`]);
  }
});

test('a command that hangs is ended after 10 s, with the child it started; one line says so; the program did not wait', async (t) => {
  const p = project(t);
  const childPid = path.join(p.out, 'child.pid');
  // The command starts a child of its own, says its pid, and waits for it: a hung webhook.
  const run = start(t, p, `sleep 600 & echo $! > "$NOTIFY_OUT/child.tmp" && mv "$NOTIFY_OUT/child.tmp" "${childPid}"; wait`);
  const exited = new Promise((resolve) => run.child.on('exit', (code) => resolve([Date.now(), code])));
  await untilFiles(p.out, (names) => names.includes('child.pid'), "the command's child");
  const began = Date.now();
  const pid = Number(fs.readFileSync(childPid, 'utf8'));
  assert.ok(running(pid), 'the child runs');
  const [ended, code] = await exited;
  assert.equal(code, 1, 'the program ended with its error, as without IPDB_NOTIFY');
  assert.match(run.err.text, ORIGINAL);
  // The one line, once the 10 s are over (the program is long gone; its stderr is still the place).
  await run.err.until(/^ts-pdb: rank 0: the IPDB_NOTIFY command did not end within 10 s: it was ended, with what it started\.$/m);
  const took = Date.now() - began;
  assert.ok(ended < began + 9_000, `the program ended at once, not when the command did (${ended - began} ms)`);
  assert.ok(took >= 9_000, `ended after about 10 s, not before (${took} ms)`);
  assert.equal(await run.exited, code);
  assert.ok(!running(pid), `its child (pid ${pid}) is gone too`);
  assert.equal(notifyLines(run.err.text).length, 1);
});

test('the program does not wait for a slow command: it ends while the command still runs, and the command then finishes', async (t) => {
  const p = project(t);
  const gate = path.join(p.dir, 'gate');
  execFileSync('mkfifo', [gate]);
  // Records its values, then blocks until the test opens the gate, then says it finished.
  const run = start(t, p, `${RECORD}; cat "${gate}" > /dev/null; touch "$NOTIFY_OUT/finished"`);
  const code = await new Promise((resolve) => run.child.on('exit', resolve));
  assert.equal(code, 1, 'the program ended, with its error');
  await untilRuns(p.out, 1);
  assert.ok(!fs.existsSync(path.join(p.out, 'finished')), 'the command is still blocked on its gate');
  fs.writeFileSync(gate, 'go\n');
  await untilFiles(p.out, (names) => names.includes('finished'), 'the command finishing');
  assert.equal(await run.exited, 1);
  assert.deepEqual(notifyLines(run.err.text), [], 'a command that succeeds says nothing, late or not');
});
