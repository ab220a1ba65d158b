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

/** A dump folder of two jobs: job42 rank 2, job7 ranks 0 and 2 (job7's rank 2 twice: two errors), and a broken file. */
async function twoJobs() {
  const dir = join(fs.mkdtempSync(join(tmpdir(), 'ts-pdb-open-dir-')), 'ts-pdb-dumps');
  const facts = [
    { rank: 2, worldSize: 4, jobId: 'job42', time: TAKEN },
    { rank: 0, worldSize: 3, jobId: 'job7', time: new Date(Date.UTC(2026, 0, 3, 1, 0, 0)) },
    { rank: 2, worldSize: 3, jobId: 'job7', time: new Date(Date.UTC(2026, 0, 3, 1, 0, 1)) },
    { rank: 2, worldSize: 3, jobId: 'job7', time: new Date(Date.UTC(2026, 0, 3, 1, 0, 2)) },
  ];
  for (const f of facts) {
    const { snapshot } = await liveAndSnapshot(() => shop.checkout(CART, undefined), { stackLimit: 3, facts: f });
    const w = writer.writeSnapshot(snapshot, dir);
    assert.ok(w.ok, w.error);
  }
  fs.writeFileSync(join(dir, 'broken.tspdb.json.gz'), 'junk');
  return dir;
}

const cli = (...args) => spawnSync(process.execPath, [CLI, 'open', ...args], { encoding: 'utf8', timeout: 30_000 });

test('ts-pdb open DIR lists the snapshots: job, rank, host, pid, time, error and file; an unreadable file is a row saying why', async () => {
  const dir = await twoJobs();
  const r = cli(dir);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^JOB +RANK +HOST +PID +TIME +ERROR +FILE$/);
  assert.equal(lines.length, 7, r.stdout);
  assert.match(
    lines[1],
    /^\? .*\(cannot be read: .*broken\.tspdb\.json\.gz is not a ts-pdb snapshot \(not gzip-compressed\)\) +broken\.tspdb\.json\.gz$/,
  );
  const row = (job, rank, time) =>
    new RegExp(
      `^${job} +${rank} +\\S+ +${process.pid} +${time} +TypeError: Cannot read properties of undefined \\(reading 'toUpperCase'\\) +${job}-rank0000${rank}-`,
    );
  assert.match(lines[2], row('job42', 2, '2026-01-02T03:04:05\\.678Z'));
  assert.match(lines[3], row('job7', 0, '2026-01-03T01:00:00\\.000Z'));
  assert.match(lines[4], row('job7', 2, '2026-01-03T01:00:01\\.000Z'));
  assert.match(lines[5], row('job7', 2, '2026-01-03T01:00:02\\.000Z'));
  assert.equal(lines[6], `open one: ts-pdb open ${dir} --rank N --job ID, or ts-pdb open FILE`);
});

test('ts-pdb open DIR --rank N --job ID opens that rank on the terminal; several jobs without --job, or no such rank: one line, exit 1', async (t) => {
  const dir = await twoJobs();
  const several = cli(dir, '--rank', '2');
  assert.equal(several.status, 1);
  assert.match(several.stderr, /^ts-pdb open: [^\n]* holds snapshots of 2 jobs \(job42, job7\): say which with --job ID\n$/);
  const none = cli(dir, '--rank', '5', '--job', 'job7');
  assert.equal(none.status, 1);
  assert.match(none.stderr, /^ts-pdb open: no snapshot of rank 5 in job job7 in [^\n]*\n$/);

  const p = spawnNode([CLI, 'open', dir, '--rank', '2', '--job', 'job7'], { env: { NO_COLOR: '1', TS_PDB_HISTORY: '', CI: undefined } });
  t.after(() => p.kill());
  await p.waitFor(PROMPT);
  // The first of rank 2's two snapshots in job7.
  assert.match(p.text, /ts-pdb: rank 2 left 2 snapshots in [^\n]*; opening the first taken/);
  assert.match(p.text, /rank 2 of 3 \(host [^,]+, pid \d+, job job7\), taken 2026-01-03 01:00:01 UTC/);
  assert.match(await command(p, 'u'), /shop\.ts\(21\)checkout\(\)/);
  assert.match(await command(p, 'p cart[0].name'), /\n'pen'\n$/);
  p.type('q');
  assert.equal((await p.exited).exitCode, 0, p.text);
});
