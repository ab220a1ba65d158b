// The console channel on its own, in a real pseudo-terminal, driven by a trivial echo loop
// (fixtures/echo-channel.js): editing, completion, history, Ctrl-C, Ctrl-D, a stopped program,
// and a terminal given back in its ordinary mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as idleFor } from 'node:timers/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode, KEYS } from '../helpers/pty.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, 'fixtures', 'echo-channel.js');
const PROMPT = /\(echo\) $/;

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-pdb-console-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function start(t, env = {}) {
  // A terminal as a person has it: Node turns colours off whenever CI is set, so unset it here.
  const p = spawnNode([fixture], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, TERM: 'xterm-256color', ...env } });
  t.after(() => p.kill());
  return p;
}

test('reads lines while the program stays stopped, then gives the terminal back', async (t) => {
  const p = start(t);
  await p.waitFor(/colors=true/);
  await p.waitFor(PROMPT);
  p.type('hello world');
  await p.waitFor(/echo: <hello world>\n/);
  await p.waitFor(PROMPT);
  // A 1 ms interval never ran while the main thread waited for these lines.
  p.type('ticks');
  await p.waitFor(/ticks=0\n/);
  await p.waitFor(PROMPT);
  // Output that does not end its line: the prompt still starts on a new line.
  p.type('partial');
  await p.waitFor(/no newline\n\(echo\) $/);
  p.type('q');
  assert.deepEqual(await p.wait(), { exitCode: 0, signal: 0 });
  // The process ended by itself: the worker left no handle behind, and the terminal is cooked again.
  assert.match(p.text, /after-close icanon=true echo=true/);
});

test('Tab completes through the main thread; a second Tab lists the candidates', async (t) => {
  const p = start(t);
  await p.waitFor(PROMPT);
  // Keys are sent one burst at a time: readline treats Tab inside a pasted burst as text.
  p.key('al');
  await p.waitFor(/al$/);
  p.key(KEYS.tab);
  await p.waitFor(/pha$/); // "al" -> "alpha", the common prefix of alpha and alphabet
  p.key(KEYS.tab);
  await p.waitFor(/alpha\s+alphabet\n/);
  await p.waitFor(/\(echo\) alpha$/); // the prompt is redrawn with the line typed so far
  p.key('b');
  await p.waitFor(/b$/);
  p.key(KEYS.tab);
  await p.waitFor(/et$/);
  p.key(KEYS.enter);
  await p.waitFor(/echo: <alphabet>\n/);
  await p.waitFor(PROMPT);
  p.type('q');
  assert.equal((await p.wait()).exitCode, 0);
});

test('arrow-up recalls earlier lines; Ctrl-C abandons the line and prompts again; Ctrl-D ends input', async (t) => {
  const p = start(t);
  await p.waitFor(PROMPT);
  p.type('first');
  await p.waitFor(/echo: <first>\n/);
  await p.waitFor(PROMPT);
  p.type('second');
  await p.waitFor(/echo: <second>\n/);
  await p.waitFor(PROMPT);
  p.key(KEYS.up);
  await p.waitFor(/second$/);
  p.key(KEYS.up);
  await p.waitFor(/first$/);
  p.key(KEYS.enter);
  await p.waitFor(/echo: <first>\n/);
  await p.waitFor(PROMPT);
  p.key('abandoned');
  await p.waitFor(/abandoned$/);
  p.key(KEYS.ctrlC);
  await p.waitFor(/\^C\n\(echo\) $/);
  p.type('after');
  await p.waitFor(/echo: <after>\n/); // the abandoned text is gone
  await p.waitFor(PROMPT);
  p.key(KEYS.ctrlD);
  await p.waitFor(/got EOF/);
  assert.deepEqual(await p.wait(), { exitCode: 0, signal: 0 });
  assert.match(p.text, /after-close icanon=true echo=true/);
});

test('history persists across runs in the history file, bounded and private', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'history');
  const first = start(t, { ECHO_HISTORY: file });
  await first.waitFor(PROMPT);
  first.type('from the first run');
  await first.waitFor(/echo: <from the first run>\n/);
  await first.waitFor(PROMPT);
  first.type('q');
  await first.wait();
  assert.equal(fs.readFileSync(file, 'utf8'), 'from the first run\nq\n');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);

  const second = start(t, { ECHO_HISTORY: file });
  await second.waitFor(PROMPT);
  second.key(KEYS.up);
  await second.waitFor(/q$/);
  second.key(KEYS.up);
  await second.waitFor(/from the first run$/);
  second.key(KEYS.enter);
  await second.waitFor(/echo: <from the first run>\n/);
  await second.waitFor(PROMPT);
  second.type('q');
  await second.wait();
});

test('a history file that cannot be written does not matter', async (t) => {
  const dir = tempDir(t);
  const p = start(t, { ECHO_HISTORY: path.join(dir, 'missing-dir', 'history') });
  await p.waitFor(PROMPT);
  p.type('still works');
  await p.waitFor(/echo: <still works>\n/);
  await p.waitFor(PROMPT);
  p.type('q');
  assert.equal((await p.wait()).exitCode, 0);
});

test('the main thread uses no CPU while it waits for a line (Atomics.wait, not a spin)', async (t) => {
  const p = start(t);
  await p.waitFor(PROMPT);
  p.type('cpu');
  const before = Number((await p.waitFor(/cpu_ms=([\d.]+)\n/))[1]);
  await p.waitFor(PROMPT);
  // A measurement, not a synchronisation: the user "thinks" for one second at the prompt, and
  // the main thread's CPU time over that idle second is what this test is about.
  await idleFor(1000);
  p.type('cpu');
  const after = Number((await p.waitFor(/cpu_ms=([\d.]+)\n/))[1]);
  await p.waitFor(PROMPT);
  p.type('q');
  await p.wait();
  // A spinning thread would use ~1000 ms; a waiting one uses none (the clock's resolution is 10 ms).
  assert.ok(after - before <= 30, `main thread used ${after - before} ms of CPU in one idle second`);
});

test('NO_COLOR turns colours off', async (t) => {
  const p = start(t, { NO_COLOR: '1' });
  await p.waitFor(/colors=false/);
  await p.waitFor(PROMPT);
  p.type('q');
  await p.wait();
});
