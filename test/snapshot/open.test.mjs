// `ts-pdb open FILE` (the built bin, dist/runtime/cli/cli.js) in a real pseudo-terminal: a snapshot
// of a real error captured by the instrumented fixtures, written as a dump folder holds it, opened
// after the fact. The banner says whose snapshot it is and when; locals read at the TypeScript line in
// more than one frame; what needs the program says it is gone; q and c end with exit 0. A file that
// cannot be opened is one line and exit code 1, never a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { gzipSync } from 'node:zlib';
import { spawnNode } from '../helpers/pty.mjs';
import { ROOT, shop } from '../transcripts/harness.mjs';
import { liveAndSnapshot, writer } from './helpers.mjs';

const CLI = join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
const CART = [
  { name: 'pen', price: 2, qty: 3 },
  { name: 'ink', price: 5, qty: 1 },
];
const PROMPT = /\(rank-2-pdb\) $/;
const TAKEN = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));

/** A snapshot file of shop.checkout's TypeError, rank 2 of 4 of job `job42`, in a fresh dump folder. */
async function snapshotFile() {
  const facts = { rank: 2, worldSize: 4, jobId: 'job42', time: TAKEN };
  const { snapshot } = await liveAndSnapshot(() => shop.checkout(CART, undefined), { stackLimit: 3, facts });
  const w = writer.writeSnapshot(snapshot, join(fs.mkdtempSync(join(tmpdir(), 'ts-pdb-open-')), 'ts-pdb-dumps'));
  assert.ok(w.ok, w.error);
  return { file: w.path, snapshot };
}

/** `ts-pdb open FILE` in a terminal, at its first prompt. */
async function openInTerminal(file) {
  const p = spawnNode([CLI, 'open', file], { env: { NO_COLOR: '1', TS_PDB_HISTORY: '', IPDB_MODE: undefined, CI: undefined } });
  await p.waitFor(PROMPT);
  return p;
}

/** Types `line` and waits for the next prompt: the command's output. */
async function command(p, line) {
  p.type(line);
  const start = p.mark;
  await p.waitFor(PROMPT);
  return p.text.slice(start, p.mark).replace(PROMPT, '');
}

test('ts-pdb open FILE: a snapshot session on the terminal; locals at the TypeScript line in two frames; retry refused; q exits 0', async (t) => {
  const { file, snapshot } = await snapshotFile();
  const p = await openInTerminal(file);
  t.after(() => p.kill());
  const banner = p.text;
  assert.match(banner, new RegExp(`ts-pdb: a snapshot \\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\), not a running program`));
  assert.match(
    banner,
    new RegExp(`rank 2 of 4 \\(host ${snapshot.process.host}, pid ${process.pid}, job job42\\), taken 2026-01-02 03:04:05 UTC`),
  );
  assert.match(banner, /Exception caught in checkout:\nTypeError: Cannot read properties of undefined \(reading 'toUpperCase'\)\n/);
  assert.match(banner, /> test\/transcripts\/fixtures\/src\/shop\.ts\(28\)applyCoupon\(\)\n/);
  assert.match(banner, /c or q ends it\.\n/);
  assert.doesNotMatch(banner, /the error goes on/);

  // The innermost frame, at shop.ts line 28.
  assert.match(await command(p, 'p codes'), /^p codes\n\{ TEN: 10 \}\n$/);
  assert.match(await command(p, 'a'), /^a\ntotal = 13\.2\ncoupon = undefined\n/);
  assert.match(await command(p, 'p total * 2'), /\n26\.4\n$/);
  assert.match(await command(p, 'll'), /---> 28 {3}const rate = codes\[coupon!\.toUpperCase\(\)\];/);
  // Its caller, at shop.ts line 21.
  assert.match(await command(p, 'u'), /> test\/transcripts\/fixtures\/src\/shop\.ts\(21\)checkout\(\)\n/);
  assert.match(
    await command(p, 'a'),
    /cart = \[ \{ name: 'pen', price: 2, qty: 3 \}, \{ name: 'ink', price: 5, qty: 1 \} \]\ncoupon = undefined\n/,
  );
  assert.match(await command(p, 'p cart[1].price * 4'), /\n20\n$/);
  assert.match(await command(p, 'p total'), /\n13\.2\n$/);
  assert.match(await command(p, 'p codes'), /\*\*\* ReferenceError: codes is not defined\n$/);
  assert.match(await command(p, 'll'), /---> 21 {3}const discount = applyCoupon\(total, coupon\);/);
  // What needs the program says that it is gone.
  assert.match(await command(p, 'retry'), /\*\*\* retry is not available here: the program is not running \(a snapshot\)/);
  assert.match(await command(p, 'return 0'), /\*\*\* return is not available here: the program is not running \(a snapshot\)/);
  assert.match(
    await command(p, 'p lineTotal(cart[0])'),
    /\*\*\* restored function lineTotal: the program is gone, so it cannot run \(a snapshot\)/,
  );

  p.type('q');
  const exit = await p.exited;
  assert.equal(exit.exitCode, 0, p.text);
  assert.doesNotMatch(p.text, /\n\s+at .*\.js:\d+/, 'no stack trace of ts-pdb');
});

test('ts-pdb open FILE: c says the program is gone and ends the session with exit 0', async (t) => {
  const { file } = await snapshotFile();
  const p = await openInTerminal(file);
  t.after(() => p.kill());
  p.type('c');
  const exit = await p.exited;
  assert.match(p.rest, /The program is not running \(a snapshot\): nothing goes on; the session ends\./);
  assert.equal(exit.exitCode, 0, p.text);
});

test('ts-pdb open: a truncated, corrupt, newer-version or missing file is one line on stderr and exit code 1', async () => {
  const { file } = await snapshotFile();
  const dir = fs.mkdtempSync(join(tmpdir(), 'ts-pdb-open-bad-'));
  const bytes = fs.readFileSync(file);
  const doc = JSON.parse(spawnSync('gzip', ['-dc', file], { encoding: 'utf8' }).stdout);
  const cases = {
    truncated: [bytes.subarray(0, Math.floor(bytes.length / 2)), /is damaged: it is truncated/],
    corrupt: [Buffer.from('not a snapshot at all'), /is not a ts-pdb snapshot \(not gzip-compressed\)/],
    newer: [
      gzipSync(JSON.stringify({ ...doc, version: 99 })),
      /was written by a newer ts-pdb \(snapshot format 99; .*upgrade ts-pdb to open it/,
    ],
    hostile: [gzipSync(JSON.stringify({ ...doc, thrown: ['o', 1e9] })), /is damaged or not a ts-pdb snapshot: /],
  };
  for (const [name, [data, why]] of Object.entries(cases)) {
    const f = join(dir, `${name}.tspdb.json.gz`);
    fs.writeFileSync(f, data);
    const r = spawnSync(process.execPath, [CLI, 'open', f], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1, `${name}: ${r.stderr}`);
    assert.equal(r.stdout, '', name);
    assert.match(r.stderr, /^ts-pdb open: [^\n]+\n$/, `${name}: one line: ${r.stderr}`);
    assert.match(r.stderr, why, name);
  }
  const missing = spawnSync(process.execPath, [CLI, 'open', join(dir, 'nope.tspdb.json.gz')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^ts-pdb open: cannot read [^\n]*nope\.tspdb\.json\.gz: ENOENT[^\n]*\n$/);
});
