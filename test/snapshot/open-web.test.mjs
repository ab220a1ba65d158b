// `ts-pdb open --web` (the built bin, dist/runtime/cli/cli.js, as a child process) in Debian's
// Chromium: a snapshot of a real error captured by the instrumented fixtures (as open.test.mjs
// makes it), served as web mode's page after the process is gone. The user reads the URL from the
// box on stderr, sees that the page is a snapshot (whose, when), reads locals at the TypeScript line,
// switches frames, runs `p` over the restored values, and hears that what needs the program is gone;
// `q` and `c` end `ts-pdb open --web` with exit code 0. It is no waiting program (`ts-pdb ls` does
// not list it), changes no file, listens on loopback whatever IPDB_HOST says, and Ctrl-C on its
// terminal ends it. A corrupt file is one line and exit code 1; a usage mistake exit code 2.
/* global document -- the functions handed to the page (waitForFunction) run in the browser */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'node:test';
import { KEYS, spawnNode } from '../helpers/pty.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';
import { collect } from '../helpers/socket.mjs';
import { shop } from '../transcripts/harness.mjs';
import { launchBrowser, needChromium, ready, run, until, valueOf, WAIT_MS } from '../web/web-helpers.mjs';
import { liveAndSnapshot, writer } from './helpers.mjs';
import { ROOT } from '../helpers/build.mjs';

const CLI = join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
const CART = [
  { name: 'pen', price: 2, qty: 3 },
  { name: 'ink', price: 5, qty: 1 },
];
const TAKEN = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
const BOX_URL = /open in a browser: {2}(\S+)/;

/** A snapshot file of shop.checkout's TypeError, rank 2 of 4 of job `job42`, in a fresh dump folder. */
async function snapshotFile() {
  const facts = { rank: 2, worldSize: 4, jobId: 'job42', time: TAKEN };
  const { snapshot } = await liveAndSnapshot(() => shop.checkout(CART, undefined), { stackLimit: 3, facts });
  const w = writer.writeSnapshot(snapshot, join(fs.mkdtempSync(join(tmpdir(), 'ts-pdb-open-web-')), 'ts-pdb-dumps'));
  assert.ok(w.ok, w.error);
  return { file: w.path, snapshot };
}

/** The environment of every run: any free port, the registry in a folder of the test's own. */
function envFor(home, env = {}) {
  return {
    ...process.env,
    IPDB_WEB_PORT: '0',
    IPDB_HOST: '',
    IPDB_TIMEOUT: '',
    IPDB_TOKEN: '',
    IPDB_MODE: '',
    NO_COLOR: '1',
    TS_PDB_HOME: home,
    ...env,
  };
}

/**
 * `ts-pdb open --web ...args` as a child process, killed when the test ends.
 * @returns `{ child, err, url(), exited }`: `url()` resolves to the box's URL, `exited` to
 *   `{ code, signal }` (or rejects with stderr when it has not ended within WAIT_MS).
 */
function serve(t, args, env) {
  const child = spawn(process.execPath, [CLI, 'open', '--web', ...args], { ...OWN_GROUP, stdio: ['ignore', 'pipe', 'pipe'], env });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) killGroup(child);
  });
  const err = collect(child.stderr, "ts-pdb open --web's stderr");
  const out = collect(child.stdout, "ts-pdb open --web's stdout");
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let exited;
  return {
    child,
    err,
    out,
    url: async () => (await err.until(BOX_URL))[1],
    get exited() {
      exited ??= new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`ts-pdb open --web did not end within ${WAIT_MS} ms; stderr:\n${err.text}`)),
          WAIT_MS,
        );
        closed.then((r) => {
          clearTimeout(timer);
          resolve(r);
        });
      });
      return exited;
    },
  };
}

/** `ts-pdb ls` with the registry of `home`. */
const ls = (home) => spawnSync(process.execPath, [CLI, 'ls'], { encoding: 'utf8', env: envFor(home), timeout: 30_000 }).stdout;

/** A page on `url`, its errors collected. */
async function openPage(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await ready(page);
  return { page, errors };
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('ts-pdb open --web FILE: the page says it is a snapshot; locals at the TypeScript line; another frame; p; retry refused; q exits 0', async (t) => {
  if (!needChromium(t)) return;
  const { file, snapshot } = await snapshotFile();
  const bytes = fs.readFileSync(file);
  const folder = fs.readdirSync(dirname(file));
  const home = fs.mkdtempSync(join(tmpdir(), 'ts-pdb-open-web-home-'));
  const browser = await launchBrowser(t);
  const served = serve(t, [file], envFor(home));
  const url = await served.url();

  // The box: loopback, no token (web mode's rule), whose snapshot and when.
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const whose = `rank 2 of 4 (host ${snapshot.process.host}, pid ${process.pid}, job job42), taken 2026-01-02 03:04:05 UTC`;
  assert.match(served.err.text, new RegExp(`\\| ts-pdb open: a snapshot of ${escape(whose)} \\(`));
  assert.match(served.err.text, /\| its error: TypeError: Cannot read properties of undefined \(reading 'toUpperCase'\) +\|/);
  // Not a waiting program: ts-pdb ls does not list it.
  assert.equal(ls(home), 'no waiting ts-pdb sessions\n');

  const { page, errors } = await openPage(browser, url);
  // The header and the console say it is a snapshot: which process, when.
  assert.match(await page.locator('#who').textContent(), new RegExp(`^snapshot of ${escape(whose)} \\(`));
  const transcript = await page.locator('#transcript').textContent();
  assert.match(transcript, new RegExp(`ts-pdb: a snapshot \\(${escape(file)}\\), not a running program: ${escape(whose)}`));
  assert.match(transcript, /TypeError: Cannot read properties of undefined \(reading 'toUpperCase'\)/);
  assert.equal(await page.locator('#ranks-link').isVisible(), false, 'no overview of waiting programs');

  // The innermost frame at shop.ts line 28: its locals, its source line marked.
  assert.match(await page.locator('#frames li.current .fn').textContent(), /applyCoupon/);
  assert.match(await page.locator('#source-title').textContent(), /shop\.ts:28$/);
  assert.match(await page.locator('#source .ln.current .code').textContent(), /const rate = codes\[coupon!\.toUpperCase\(\)\];/);
  assert.equal(await valueOf(page, 'total'), '13.2');
  assert.equal(await valueOf(page, 'coupon'), 'undefined');
  await run(page, 'p total * 2', '26.4');

  // Its caller: click it in the stack; its source and variables follow.
  await page.locator('#frames li', { hasText: 'checkout' }).click();
  await until(page, 'checkout selected', () => /checkout/.test(document.querySelector('#frames li.current')?.textContent ?? ''));
  await until(page, 'its current line', () =>
    /const discount = applyCoupon\(total, coupon\);/.test(document.querySelector('#source .ln.current')?.textContent ?? ''),
  );
  assert.match(await page.locator('#source-title').textContent(), /shop\.ts:21$/);
  assert.match(await valueOf(page, 'cart'), /^Array\(2\)|^\[/);
  await run(page, 'p cart[1].price * 4', '20');
  await run(page, 'p cart[0].name', "'pen'");

  // What needs the program says it is gone.
  await run(page, 'p lineTotal(cart[0])', 'restored function lineTotal: the program is gone, so it cannot run (a snapshot)');
  await run(page, 'retry', 'retry is not available here: the program is not running (a snapshot)');
  await run(page, 'return 0', 'return is not available here: the program is not running (a snapshot)');

  // q from the page ends ts-pdb open --web, exit code 0.
  await run(page, 'q', 'the snapshot is closed', { ends: true });
  await until(page, 'the end of the session', () =>
    /Session ended: the snapshot is closed/.test(document.querySelector('#notice-text').textContent),
  );
  assert.deepEqual(await served.exited, { code: 0, signal: null }, served.err.text);
  assert.deepEqual(errors, [], 'no error in the page');
  assert.doesNotMatch(served.err.text, /\n\s+at .*\.js:\d+/, 'no stack trace of ts-pdb');
  // Read-only: the file and its folder are as they were.
  assert.ok(fs.readFileSync(file).equals(bytes), 'the snapshot file is unchanged');
  assert.deepEqual(fs.readdirSync(dirname(file)), folder);
});

test('ts-pdb open --web DIR --rank N: the same choice of file as open DIR; c says the program is gone and exits 0', async (t) => {
  if (!needChromium(t)) return;
  const { file } = await snapshotFile();
  const home = fs.mkdtempSync(join(tmpdir(), 'ts-pdb-open-web-home-'));
  const browser = await launchBrowser(t);
  const served = serve(t, [dirname(file), '--rank', '2'], envFor(home));
  const { page, errors } = await openPage(browser, await served.url());
  assert.match(await page.locator('#transcript').textContent(), new RegExp(`ts-pdb: a snapshot \\(${escape(file)}\\)`));
  await run(page, 'c', 'The program is not running (a snapshot): nothing goes on; the session ends.', { ends: true });
  assert.deepEqual(await served.exited, { code: 0, signal: null }, served.err.text);
  assert.deepEqual(errors, [], 'no error in the page');
});

test('ts-pdb open --web: an IPDB_HOST that is not loopback is ignored with one line; only 127.0.0.1 answers; Ctrl-C on its terminal ends it', async (t) => {
  const { file } = await snapshotFile();
  const home = fs.mkdtempSync(join(tmpdir(), 'ts-pdb-open-web-home-'));
  const env = envFor(home, { IPDB_HOST: '0.0.0.0' });
  const p = spawnNode([CLI, 'open', '--web', file], { env });
  t.after(() => p.kill());
  const url = (await p.waitFor(BOX_URL))[1];
  assert.match(p.text, /^ts-pdb open: IPDB_HOST=0\.0\.0\.0 is ignored: a snapshot's page listens on 127\.0\.0\.1 only/m);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const port = Number(new URL(url).port);
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<title>ts-pdb<\/title>/);
  // The machine's other addresses: nothing listens there.
  const others = Object.values(networkInterfaces())
    .flat()
    .filter((a) => !a.internal && a.family === 'IPv4')
    .map((a) => a.address);
  if (!others.length) t.diagnostic('this machine has no address but loopback: only the URL is checked');
  for (const address of others) {
    const refused = await new Promise((resolve) => {
      const s = net.connect({ host: address, port });
      s.setTimeout(5000, () => {
        s.destroy();
        resolve('timeout');
      });
      s.once('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.once('error', (e) => resolve(e.code));
    });
    assert.equal(refused, 'ECONNREFUSED', `${address}:${port}`);
  }
  // Ctrl-C on the terminal ends it.
  p.key(KEYS.ctrlC);
  const exit = await p.wait(WAIT_MS);
  assert.equal(exit.signal, 2, `ended by SIGINT: ${JSON.stringify(exit)}; seen:\n${p.text}`);
});

test('ts-pdb open --web: IPDB_TIMEOUT with no page is one line and exit code 1', async (t) => {
  const { file } = await snapshotFile();
  const home = fs.mkdtempSync(join(tmpdir(), 'ts-pdb-open-web-home-'));
  const served = serve(t, [file], envFor(home, { IPDB_TIMEOUT: '1' }));
  await served.url();
  assert.match(served.err.text, /\(waits 1 s for a page, then ts-pdb open ends\)/);
  assert.deepEqual(await served.exited, { code: 1, signal: null }, served.err.text);
  assert.match(served.err.text, /\+\nts-pdb open: no page connected within 1 s \(IPDB_TIMEOUT\); the snapshot is closed\.\n$/);
});

test('ts-pdb open --web: a corrupt file is one line and exit code 1 (nothing served); usage mistakes exit 2', async () => {
  const { file } = await snapshotFile();
  const corrupt = join(dirname(file), 'corrupt.tspdb.json.gz');
  fs.writeFileSync(corrupt, 'not a snapshot at all');
  const home = fs.mkdtempSync(join(tmpdir(), 'ts-pdb-open-web-home-'));
  const cli = (...args) => spawnSync(process.execPath, [CLI, 'open', ...args], { encoding: 'utf8', env: envFor(home), timeout: 30_000 });
  const r = cli('--web', corrupt);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^ts-pdb open: [^\n]*corrupt\.tspdb\.json\.gz is not a ts-pdb snapshot \(not gzip-compressed\)\n$/);

  const none = cli('--web');
  assert.equal(none.status, 2, none.stderr);
  assert.match(none.stderr, /^ts-pdb open: which snapshot\?/);
  const folder = cli('--web', dirname(file));
  assert.equal(folder.status, 2, folder.stderr);
  assert.match(folder.stderr, /^ts-pdb open: --web opens one snapshot: a file, or a folder with --rank N/);
});
