// Async errors (issue #6 item 4): an error through a chain of 3 instrumented async functions. The
// session at the outermost boundary shows the await chain (V8's async stack) with the locals of
// each async frame, and the program is stopped while it is open: a timer that ticks every few
// milliseconds does not tick between two commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';
import { linkedProject } from '../helpers/socket.mjs';

const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');

const APP = `let ticks = 0;
const timer = setInterval(() => { ticks++; }, 2);

async function readRow(id: number) {
  await new Promise((r) => setTimeout(r, 5));
  const row = { id, qty: id === 3 ? -1 : 2 };
  if (row.qty < 0) throw new RangeError(\`row \${id} has qty \${row.qty}\`);
  return row.qty;
}

async function readOrder(order: number[]) {
  let total = 0;
  for (const id of order) total += await readRow(id);
  return total;
}

// @debuggable
async function report(orders: number[][]) {
  const totals: number[] = [];
  for (const o of orders) totals.push(await readOrder(o));
  return totals;
}

report([[1, 2], [2, 3]]).then(console.log, () => {}).finally(() => clearInterval(timer));
`;

test('an async chain of 3 instrumented functions: where shows the await chain, each frame with its locals; the event loop is stopped', async () => {
  const dir = linkedProject('async-chain-', APP);
  const p = spawnNode([CLI, 'run', 'app.ts'], {
    cwd: dir,
    env: {
      CI: undefined,
      NO_COLOR: '1',
      TS_PDB_HISTORY: '',
      TS_PDB_INSTRUMENT: 'all',
      IPDB_MODE: undefined,
      RANK: undefined,
      TS_PDB_HOME: path.join(dir, 'home'),
    },
  });
  try {
    await p.waitFor(
      /Exception caught in report:\nRangeError: row 3 has qty -1\n {4}at readRow \(.*app\.ts:7:\d+\)\n[^]*? {4}at async readOrder \(.*app\.ts:13:\d+\)\n {4}at async report \(.*app\.ts:20:\d+\)[^]*ipdb> $/,
    );
    // (Node's own frames between the await and the throw, when a timer ran it, are folded into one line.)
    p.type('w');
    await p.waitFor(
      /app\.ts\(20\)report\(\)\n-> [^\n]*\n {2}app\.ts\(13\)readOrder\(\)\n-> [^\n]*\n(?: {2}\[\d+ node-internal frames?\]\n)?> app\.ts\(7\)readRow\(\)\n-> [^\n]*\nipdb> $/,
    );
    p.type('p [id, row]');
    await p.waitFor(/\[ 3, \{ id: 3, qty: -1 \} \]\nipdb> $/);
    p.type('u');
    await p.waitFor(/app\.ts\(13\)readOrder\(\)[^]*ipdb> $/);
    p.type('p [order, total, id]');
    await p.waitFor(/\[ \[ 2, 3 \], 2, 3 \]\nipdb> $/);
    p.type('u');
    await p.waitFor(/app\.ts\(20\)report\(\)[^]*ipdb> $/);
    p.type('p [orders, totals]');
    await p.waitFor(/\[ \[ \[ 1, 2 \], \[ 2, 3 \] \], \[ 4 \] \]\nipdb> $/);
    // Stopped: the 2 ms timer does not run between two commands.
    p.type('p ticks');
    const first = Number((await p.waitFor(/\n(\d+)\nipdb> $/))[1]);
    p.type('p ticks');
    const second = Number((await p.waitFor(/\n(\d+)\nipdb> $/))[1]);
    assert.equal(second, first, 'no timer ran while the session was open');
    p.type('q');
    assert.equal((await p.wait()).exitCode, 0, 'the rejection is handled by the program');
  } finally {
    p.kill();
  }
});
