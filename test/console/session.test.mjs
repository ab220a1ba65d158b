// Console sessions opened by capture.F, end to end in a real pseudo-terminal, on a fixture written in
// the shape the transform emits (fixtures/risky.js); and what happens without a terminal, with a bad
// IPDB_MODE, and with a build made without the transform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pty, spawnNode, KEYS } from '../helpers/pty.mjs';
import { runPiped } from './piped.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const risky = path.join(here, 'fixtures', 'risky.js');
const plainDecorator = path.join(here, 'fixtures', 'plain-decorator.js');
const PROMPT = /ipdb> $/;
const ORIGINAL = /TypeError: Cannot read properties of undefined \(reading 'z'\)/;
// The programs run in this process's folder (the checkout): their snapshots go to a scratch folder.
const DUMPS = fs.mkdtempSync(path.join(os.tmpdir(), 'session-dumps-'));
const DEBUG = { IPDB_DEBUG: '1', IPDB_MODE: 'console', CI: undefined, NO_COLOR: '1', IPDB_DUMP_DIR: DUMPS };

function session(t, env = {}) {
  // The history goes to a scratch home, never to the real ~/.ts_pdb_history.
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-pdb-home-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const p = spawnNode([risky], { env: { ...DEBUG, HOME: home, TS_PDB_HISTORY: undefined, ...env } });
  t.after(() => p.kill());
  p.home = home;
  return p;
}

/** Types a command and waits for its output and the next prompt; returns the output. */
async function run(p, command) {
  p.type(command);
  const m = await p.waitFor(/\n([^]*?)ipdb> $/);
  return m[1];
}

test('a synchronous function is debugged before the error leaves it: locals, a stopped program, the error goes on', async (t) => {
  const p = session(t);
  await p.waitFor(/fixture: started/);
  await p.waitFor(PROMPT);
  assert.match(await run(p, 'p a'), /^42\n$/);
  const ticks = await run(p, 'p ticks');
  assert.match(ticks, /^\d+\n$/);
  assert.match(await run(p, 'p label'), /ratio/);
  const locals = await run(p, 'p locals()');
  assert.match(locals, /\ba\b\W+42/);
  assert.match(locals, /label\W+ratio/);
  assert.match(locals, /result\W+<uninitialized>/);
  assert.match(locals, /note\W+the input/);
  // The 1 ms interval did not run while the user typed: the program is stopped.
  assert.equal(await run(p, 'p ticks'), ticks);
  p.type('q');
  const exit = await p.wait();
  assert.equal(exit.exitCode, 1);
  assert.match(p.rest, ORIGINAL);
});

test('Tab completes a local name and arrow-up recalls the last command', async (t) => {
  const p = session(t);
  await p.waitFor(PROMPT);
  p.key('p lab');
  await p.waitFor(/p lab$/);
  p.key(KEYS.tab);
  await p.waitFor(/el$/);
  p.key(KEYS.enter);
  await p.waitFor(/ratio[^]*ipdb> $/);
  assert.match(await run(p, 'p a'), /42/);
  p.key(KEYS.up);
  await p.waitFor(/p a$/);
  p.key(KEYS.up);
  await p.waitFor(/p label$/);
  p.key(KEYS.enter);
  await p.waitFor(/ratio[^]*ipdb> $/);
  p.type('q');
  assert.equal((await p.wait()).exitCode, 1);
  assert.match(p.rest, ORIGINAL);
  // ... and the commands are kept for the next run in ~/.ts_pdb_history.
  assert.equal(fs.readFileSync(path.join(p.home, '.ts_pdb_history'), 'utf8'), 'p a\np label\nq\n');
});

test('a command that calls a boundary which throws prints the error; no second session opens', async (t) => {
  const p = session(t);
  await p.waitFor(PROMPT);
  const out = await run(p, 'p risky({})');
  assert.match(out, /TypeError: Cannot read properties of undefined \(reading 'z'\)/);
  assert.doesNotMatch(out, /Exception caught|Entering post-mortem/);
  assert.match(await run(p, 'p a'), /^42\n$/); // still the first session, same frame
  p.type('q');
  assert.equal((await p.wait()).exitCode, 1);
  assert.match(p.rest, ORIGINAL);
});

test('Ctrl-C at the prompt gives a new prompt; Ctrl-D ends the session like q', async (t) => {
  const p = session(t);
  await p.waitFor(PROMPT);
  p.key('p never');
  await p.waitFor(/never$/);
  p.key(KEYS.ctrlC);
  await p.waitFor(/\^C\nipdb> $/);
  assert.match(await run(p, 'p a'), /42/); // still in the session, the program alive
  p.key(KEYS.ctrlD);
  const exit = await p.wait();
  assert.equal(exit.exitCode, 1);
  assert.match(p.rest, ORIGINAL);
});

test('a session is held on /dev/tty when stdin is not the terminal (launchers close or share it)', async (t) => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-pdb-home-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const p = new Pty('/bin/sh', ['-c', `exec "${process.execPath}" "${risky}" < /dev/null`], { env: { ...DEBUG, HOME: home } });
  t.after(() => p.kill());
  await p.waitFor(PROMPT);
  assert.match(await run(p, 'p a'), /^42\n$/);
  p.type('q');
  assert.equal((await p.wait()).exitCode, 1);
  assert.match(p.rest, ORIGINAL);
});

const setsid = ['/usr/bin/setsid', '/bin/setsid'].find((f) => fs.existsSync(f));
test(
  'without a controlling terminal but with terminal stdin/stdout, the session uses fds 0 and 1',
  { skip: !setsid && 'no setsid' },
  async (t) => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-pdb-home-'));
    t.after(() => fs.rmSync(home, { recursive: true, force: true }));
    // setsid: a new session with no controlling terminal, so /dev/tty cannot be opened (ENXIO).
    const p = new Pty(setsid, ['-w', process.execPath, risky], { env: { ...DEBUG, HOME: home } });
    t.after(() => p.kill());
    await p.waitFor(PROMPT);
    assert.match(await run(p, 'p a'), /^42\n$/);
    p.key('p lab');
    await p.waitFor(/lab$/);
    p.key(KEYS.tab);
    await p.waitFor(/el$/);
    p.key(KEYS.enter);
    await p.waitFor(/ratio[^]*ipdb> $/);
    p.type('q');
    assert.equal((await p.wait()).exitCode, 1);
    assert.match(p.rest, ORIGINAL);
  },
);

test('a program that handles the error after the session goes on, and ends by itself', async (t) => {
  const p = session(t, { RISKY_CATCH: '1' });
  await p.waitFor(PROMPT);
  assert.match(await run(p, 'p a'), /42/);
  p.type('c');
  // The captured frames were released when the session ended.
  await p.waitFor(/fixture: caught Cannot read properties of undefined \(reading 'z'\); frames kept: 0\n/);
  // No handle of the session (worker, port, terminal descriptors) keeps the process alive.
  assert.deepEqual(await p.wait(), { exitCode: 0, signal: 0 });
});

test('without a terminal (CI, pipes) the frames are reported and the error goes on at once', async () => {
  const r = await runPiped([risky], { env: { ...DEBUG, CI: 'true' } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /CI is set and stdin is not a terminal/);
  assert.match(r.stderr, /risky/);
  assert.match(r.stderr, /\ba\b\W+42/);
  assert.match(r.stderr, /result\W+<uninitialized>/);
  assert.match(r.stderr, ORIGINAL);
  assert.ok(r.stderr.indexOf('42') < r.stderr.search(ORIGINAL), 'the report comes before the rethrown error');
});

test('without a terminal and without IPDB_MODE the frames are reported', async () => {
  const r = await runPiped([risky], { env: { ...DEBUG, IPDB_MODE: undefined } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\ba\b\W+42/);
  assert.match(r.stderr, ORIGINAL);
});

test('an invalid IPDB_MODE is a clear error naming the valid modes, and the program error goes on', async () => {
  const r = await runPiped([risky], { env: { ...DEBUG, IPDB_MODE: 'consol' } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /IPDB_MODE="consol" is not a mode of ts-pdb; use one of: console, web, socket, dump/);
  assert.match(r.stderr, ORIGINAL);
});

// (IPDB_MODE=web serves the page even without a terminal: test/web/.)

// (Their default, a socket session: test/socket/socket-session.test.mjs; their turns on a real
// terminal: test/console/turns.test.mjs.)
test('another rank in console mode without a terminal says why in one line and reports', async () => {
  const r = await runPiped([risky], { env: { ...DEBUG, IPDB_MODE: 'console', RANK: '1', WORLD_SIZE: '2', CI: '1' } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /CI is set and stdin is not a terminal; printing the frames instead of opening a console session/);
  assert.match(r.stderr, /\ba\b\W+42/);
  assert.match(r.stderr, ORIGINAL);
});

test('a build without the transform says once why locals are missing and how to get them', async () => {
  const r = await runPiped([plainDecorator], { env: { ...DEBUG, CI: '1' } });
  assert.equal(r.code, 1);
  const notices = r.stderr.match(/no locals were captured/g) ?? [];
  assert.equal(notices.length, 1, r.stderr);
  assert.match(r.stderr, /"transform": "ts-pdb\/transformer"/);
  assert.match(r.stderr, /fixture: caught the first error/);
  assert.match(r.stderr, /TypeError: Cannot read properties of null \(reading 'items'\)/);
});

test('a debugging run that does not throw is not affected', async () => {
  const r = await runPiped(['-e', `require(${JSON.stringify(path.resolve(here, '../../dist/runtime/capture.js'))}); console.log('fine')`], {
    env: { ...DEBUG, IPDB_MODE: 'nonsense' },
  });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'fine\n');
  assert.equal(r.stderr, '');
});
