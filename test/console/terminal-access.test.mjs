// Where a process stands on its terminal (runtime/front-ends/console/terminal-access.ts), read from
// /proc/self/stat: the process group and the terminal's foreground group come after the command
// name, which a program may set (process.title) to anything, spaces and parentheses included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';

const ACCESS = path.join(ROOT, 'dist', 'runtime', 'front-ends', 'console', 'terminal-access.js');

test('in the foreground of a real terminal, with a title that looks like stat fields: its own group, the foreground one, not in the background', async () => {
  // A title that fools a reader splitting at the first ')': it would read state T and group 2.
  const p = spawnNode([
    '-e',
    `process.title = 'x) T 1 2 (y';
    const a = require(${JSON.stringify(ACCESS)});
    console.log('RESULT ' + JSON.stringify({ pid: process.pid, stat: a.procStat(), background: a.inBackground() }));`,
  ]);
  try {
    const [, json] = await p.waitFor(/RESULT (\{.*\})\n/);
    const { pid, stat, background } = JSON.parse(json);
    // node-pty makes the child a session leader whose group is the terminal's foreground group.
    assert.deepEqual(
      { state: stat.state, pgrp: stat.pgrp, tpgid: stat.tpgid, background },
      { state: 'R', pgrp: pid, tpgid: pid, background: false },
    );
    assert.notEqual(stat.ttyNr, 0, 'it has a controlling terminal');
  } finally {
    p.kill();
  }
});
