// Tab completion in the console as a terminal user sees it (issue #9 item 4), checked on the screen:
// the PTY's bytes go through a headless xterm.js terminal of the PTY's size (test/helpers/screen.mjs)
// and the tests compare its rows. What bash/GNU readline (and so pdb) show is the reference: the
// candidates' last parts in columns sized to the terminal, sorted down then across, then the prompt
// and the line again, no blank line; keys typed fast behave as keys typed slowly.
// The session runs on risky.js, where the frame's `x` is { y: undefined, note: 'the input' }: its
// candidates after `x.` are its own two names and Object.prototype's six (the same on every Node line).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEYS, spawnNode } from '../helpers/pty.mjs';
import { Screen } from '../helpers/screen.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const risky = path.join(here, 'fixtures', 'risky.js');
const DEBUG = { IPDB_DEBUG: '1', IPDB_MODE: 'console', CI: undefined, NO_COLOR: '1', TS_PDB_HISTORY: '' };

/** A console session on risky.js in a `cols` x `rows` terminal, and its screen. */
function session(t, cols = 80, rows = 24) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-pdb-home-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const p = spawnNode([risky], { cols, rows, env: { ...DEBUG, HOME: home } });
  const screen = new Screen(p);
  t.after(() => p.kill());
  return { p, screen };
}

/** The rows from the one before last that is `row` (the line as typed, listed below) to the end of the screen. */
function rowsFrom(screen, row) {
  const lines = screen.lines();
  const at = lines.lastIndexOf(row, lines.length - 2);
  assert.ok(at >= 0, `no row ${JSON.stringify(row)} on the screen:\n${screen.framed()}`);
  return lines.slice(at);
}

/** Waits until `row` (the line as typed) shows again after a list below an earlier copy of it. */
function listedBelow(screen, row) {
  return screen.waitFor((s) => {
    const lines = s.lines();
    return lines.at(-1) === row && lines.indexOf(row) < lines.length - 1;
  });
}

/** Ends the session with q and checks that the program's own error went on. */
async function quit(p) {
  p.type('q');
  assert.equal((await p.wait()).exitCode, 1);
  assert.match(p.text, /TypeError: Cannot read properties of undefined \(reading 'z'\)/);
}

test('Tab Tab lists the candidates as bash does: last parts only, in columns down then across, then the prompt and the line', async (t) => {
  const { p, screen } = session(t);
  await screen.waitFor(/\nipdb>$/);
  p.key('p x.');
  await screen.waitFor(/ipdb> p x\.$/);
  p.key(KEYS.tab);
  p.key(KEYS.tab);
  await listedBelow(screen, 'ipdb> p x.');
  // 8 candidates, the widest 20 columns: cells of 22, 3 columns in 80, 3 rows.
  assert.deepEqual(
    rowsFrom(screen, 'ipdb> p x.'),
    [
      'ipdb> p x.',
      'hasOwnProperty        propertyIsEnumerable  valueOf',
      'isPrototypeOf         toLocaleString        y',
      'note                  toString',
      'ipdb> p x.',
    ],
    screen.framed(),
  );
  const lines = screen.lines();
  assert.deepEqual(screen.cursor(), { row: lines.length - 1, col: 'ipdb> p x.'.length }, 'the cursor is back at the end of the line');
  // The line is as it was: typing goes on from there.
  p.type('note');
  await screen.waitFor(/ipdb> p x\.note\n'?the input'?\nipdb>$/);
  await quit(p);
});

test('keys that arrive in one read act as keys typed one by one: Tab Tab lists, Tab completes; no Tab character enters the line', async (t) => {
  const { p, screen } = session(t);
  await screen.waitFor(/\nipdb>$/);
  // Before: the first Tab of the burst was taken as pasted text (a Tab character in the line) and
  // the second completed an empty word: every global was listed.
  p.key('p x.to\t\t');
  await listedBelow(screen, 'ipdb> p x.to');
  assert.deepEqual(rowsFrom(screen, 'ipdb> p x.to'), ['ipdb> p x.to', 'toLocaleString  toString', 'ipdb> p x.to'], screen.framed());
  p.key('\tS\t'); // one read again: Tab (lists again), S, Tab (completes)
  await screen.waitFor(/\nipdb> p x\.toString$/);
  p.key(KEYS.enter);
  await screen.waitFor(/\nipdb> p x\.toString\n\[Function: toString\]\nipdb>$/);
  await quit(p);
});

test('a terminal resized while the prompt waits: the list is laid out for the new width', async (t) => {
  const { p, screen } = session(t, 100, 24);
  await screen.waitFor(/\nipdb>$/);
  screen.resize(50, 24);
  p.key('p x.');
  await screen.waitFor(/ipdb> p x\.$/);
  p.key(KEYS.tab);
  p.key(KEYS.tab);
  await listedBelow(screen, 'ipdb> p x.');
  // Cells of 22: 2 columns in 50, 4 rows (laid out for 100 columns, the rows would wrap).
  assert.deepEqual(
    rowsFrom(screen, 'ipdb> p x.'),
    [
      'ipdb> p x.',
      'hasOwnProperty        toLocaleString',
      'isPrototypeOf         toString',
      'note                  valueOf',
      'propertyIsEnumerable  y',
      'ipdb> p x.',
    ],
    screen.framed(),
  );
  p.key('\x15'); // Ctrl-U: an empty line again
  await quit(p);
});

test('a line typed over three rows: the list starts below its last row, loses no row, and the line is drawn again whole', async (t) => {
  const cols = 40;
  const { p, screen } = session(t, cols, 30);
  await screen.waitFor(/\nipdb>$/);
  const line = `p [${'x.note, '.repeat(9)}x.`;
  const shown = `ipdb> ${line}`;
  const rowsOf = (text) => Array.from({ length: Math.ceil(text.length / cols) }, (_, i) => text.slice(i * cols, (i + 1) * cols).trimEnd());
  assert.equal(rowsOf(shown).length, 3);
  // Typed key by key, as a person types: readline redraws as the line wraps.
  // (Compared without spaces: a row's trailing blank does not show.)
  const typed = (s) => {
    const lines = s.lines();
    return lines
      .slice(lines.findLastIndex((l) => l.startsWith('ipdb>')))
      .join('')
      .replace(/ /g, '');
  };
  for (let i = 1; i <= line.length; i++) {
    p.key(line[i - 1]);
    const want = `ipdb> ${line.slice(0, i)}`.replace(/ /g, '');
    await screen.waitFor((s) => typed(s) === want);
  }
  p.key(KEYS.tab);
  p.key(KEYS.tab);
  const last = rowsOf(shown).at(-1);
  await screen.waitFor((s) => s.lines().filter((l) => l === 'y').length === 1 && s.lines().at(-1) === last);
  const lines = screen.lines();
  const first = lines.indexOf(rowsOf(shown)[0]);
  assert.deepEqual(
    lines.slice(first),
    [
      ...rowsOf(shown),
      'hasOwnProperty',
      'isPrototypeOf',
      'note',
      'propertyIsEnumerable',
      'toLocaleString',
      'toString',
      'valueOf',
      'y',
      ...rowsOf(shown),
    ],
    screen.framed(),
  );
  p.key('\x15'); // Ctrl-U: an empty line again
  await quit(p);
});

test('a command, Tab Tab and more keys typed ahead in one read: the answer right below, then the keys at the next prompt, in order', async (t) => {
  const { p, screen } = session(t);
  await screen.waitFor(/\nipdb>$/);
  // Before: the Tabs were read while the command ran, one as a Tab character on the screen and in
  // the next line ("ipdb>   px"), the other completing nothing useful.
  p.key('p a\r\t\tp x');
  await screen.waitFor((s) => s.lines().at(-1) === 'ipdb> p x' && s.lines().includes('42'));
  const lines = screen.lines();
  const after = lines.slice(lines.lastIndexOf('ipdb> p a'));
  assert.deepEqual(after.slice(0, 3), ['ipdb> p a', '42', 'ipdb>'], screen.framed());
  // Tab Tab at that prompt (an empty line): the command names, in columns, then the prompt with "p x".
  const list = after.slice(3, -1);
  assert.ok(list.length > 0 && list.every((row) => /^[a-z]+( +[a-z]+)*$/.test(row)), screen.framed());
  for (const c of ['where', 'help', 'q'])
    assert.ok(
      list.some((row) => row.split(/ +/).includes(c)),
      `${c} listed:\n${screen.framed()}`,
    );
  assert.equal(after.at(-1), 'ipdb> p x');
  p.key(KEYS.enter);
  await screen.waitFor(/\nipdb> p x\n\{ y: undefined, note: 'the input' \}\nipdb>$/);
  await quit(p);
});

test('two commands pasted at once: both run, in order, each answer right below its own line', async (t) => {
  const { p, screen } = session(t);
  await screen.waitFor(/\nipdb>$/);
  // Before: the second line was read (and echoed into the first one's answer) while the first ran,
  // then dropped.
  p.key('p a\rp label\r');
  await screen.waitFor(/\nipdb> p a\n42\nipdb> p label\n'?ratio'?\nipdb>$/);
  await quit(p);
});
