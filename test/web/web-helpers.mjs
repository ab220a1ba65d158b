// Shared by the web-mode tests (test/web/): a program that throws in web mode with its output
// awaited, Debian's Chromium through playwright-core (never a downloaded browser), and a plain
// WebSocket client for the tests that need no browser.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { ROOT } from '../helpers/build.mjs';
import { collect, linkedProject, WAIT_MS } from '../helpers/socket.mjs';
import { killGroup, OWN_GROUP } from '../helpers/process-group.mjs';

export { WAIT_MS };
export const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
/** Debian's Chromium (.ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** The program every web test debugs: `check` throws (with a cause made by `explain`) inside `Trainer.step`, the boundary. */
export const APP = `// Run with TS_PDB_INSTRUMENT=all: check (not marked) has its locals too; the session opens when the
// error leaves the boundary Trainer.step.
interface Point { x: number; y: number }
class Trainer {
  private history: number[] = [];
  constructor(readonly name: string) {}
  // @debuggable
  step(batch: { points: Point[]; meta: { epoch: number; tags: string[] } }) {
    const lr = 0.5;
    const weights = Array.from({ length: 1_000_000 }, (_, i) => i % 7);
    const config = { model: { layers: [{ units: 8, act: 'relu' }], dropout: 0.1 } };
    this.history.push(lr);
    return check(batch.points.length, lr) + weights.length;
  }
}
function check(n: number, lr: number) {
  const limit = 3;
  if (n > limit) throw new RangeError(\`batch of \${n} points is over the limit \${limit}\`, { cause: explain(n - limit) });
  return n * lr;
}
function explain(extra: number) {
  return new TypeError(\`\${extra} points too many\`);
}
const points = Array.from({ length: 5 }, (_, i) => ({ x: i, y: 2 * i }));
new Trainer('t1').step({ points, meta: { epoch: 3, tags: ['warmup'] } });
`;

/** The original error as the program prints it when nobody catches it (after `q`). */
export const ORIGINAL = /RangeError: batch of 5 points is over the limit 3\n {4}at check \(.*app\.ts:18:\d+\)/;

/** True when Chromium is installed; otherwise fails under CI (.ci/run installs it) or skips the test. */
export function needChromium(t) {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) assert.fail(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
  t.skip(`${CHROMIUM} is missing (apt-get install chromium)`);
  return false;
}

/** Headless Chromium, closed when the test ends. */
export async function launchBrowser(t) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  t.after(() => browser.close());
  return browser;
}

/** A scratch project with {@link APP} (or `source`) and ts-pdb linked in. */
export function project(source = APP) {
  return linkedProject('web-', source);
}

/**
 * Runs `app.ts` of `dir` with `ts-pdb run` in web mode on any free port (IPDB_WEB_PORT=0), with
 * the registry in the project (TS_PDB_HOME); killed when the test ends.
 * @returns `{ child, err, out, url(), exited }`: `url()` resolves to the URL of the box, `exited`
 *   to the exit code (or rejects with what was seen when the program does not end in time).
 */
export function startProgram(t, dir, env = {}) {
  const child = spawn(process.execPath, [CLI, 'run', 'app.ts'], {
    ...OWN_GROUP,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      CI: 'true',
      IPDB_DEBUG: '1',
      TS_PDB_INSTRUMENT: 'all',
      IPDB_MODE: 'web',
      IPDB_WEB_PORT: '0',
      IPDB_HOST: '',
      IPDB_TIMEOUT: '',
      NO_COLOR: '1',
      TS_PDB_HOME: path.join(dir, 'home'),
      ...env,
    },
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) killGroup(child);
  });
  const err = collect(child.stderr, "the program's stderr");
  const out = collect(child.stdout, "the program's stdout");
  const closed = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  let exited;
  return {
    child,
    err,
    out,
    /** The URL printed in the box. */
    url: async () => (await err.until(/open in a browser: {2}(\S+)/))[1],
    /** The exit code; rejects with the output when the program has not ended within WAIT_MS. */
    get exited() {
      exited ??= new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the program did not end within ${WAIT_MS} ms; stderr:\n${err.text.slice(-3000)}`)),
          WAIT_MS,
        );
        closed.then((code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
      return exited;
    },
  };
}

/**
 * A WebSocket client of a session's page protocol (as the page speaks it), with the page's own
 * Origin. `next(type)` resolves with the next message of that type (or rejects with what came).
 */
export function pageSocket(url, { origin = new URL(url).origin, headers = {} } = {}) {
  const u = new URL(url);
  const wsUrl = `ws://${u.host}/ws${u.searchParams.get('token') ? `?token=${u.searchParams.get('token')}` : ''}`;
  const ws = new WebSocket(wsUrl, { origin, headers });
  const seen = [];
  const waiters = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    seen.push(m);
    for (const w of [...waiters]) {
      if (w.type === m.type && (!w.test || w.test(m))) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(m);
      }
    }
  });
  return {
    ws,
    seen,
    opened: new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    }),
    next(type, test) {
      const old = seen.find((m) => m.type === type && (!test || test(m)) && !m.taken);
      if (old) {
        old.taken = true;
        return Promise.resolve(old);
      }
      return new Promise((resolve, reject) => {
        const w = {
          type,
          test,
          resolve: (m) => {
            m.taken = true;
            resolve(m);
          },
        };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no ${type} message within ${WAIT_MS} ms; seen: ${JSON.stringify(seen.map((m) => m.type))}`));
        }, WAIT_MS);
        waiters.push(w);
      });
    },
    send: (m) => ws.send(JSON.stringify(m)),
    close: () => ws.close(),
  };
}

// The page, driven as a user does (for the browser tests).

/** Waits for `fn` in the page; on timeout, fails with what the page showed. */
export async function until(page, what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: WAIT_MS });
  } catch (e) {
    const seen = await page
      .evaluate(() => ({
        status: document.querySelector('#status')?.textContent,
        notice: document.querySelector('#notice')?.hidden ? '' : document.querySelector('#notice-text')?.textContent,
        variables: document.querySelector('#scopes')?.innerText.slice(0, 2000),
        transcript: document.querySelector('#transcript')?.innerText.slice(-2000),
      }))
      .catch(() => ({}));
    throw new Error(
      `${what}: not seen within ${WAIT_MS} ms (${e.message.split('\n')[0]}); the page showed:\n${JSON.stringify(seen, null, 2)}`,
      { cause: e },
    );
  }
}

/** Waits until the session waits for a command. */
export const ready = (page) => until(page, 'the prompt', () => document.querySelector('#status')?.classList.contains('ready'));

/**
 * Types `command` in the console and waits until its output contains `expected` and the prompt is
 * back (or, with `ends`, the session has ended).
 */
export async function run(page, command, expected, { ends = false } = {}) {
  await ready(page);
  await page.fill('#command', command);
  await page.press('#command', 'Enter');
  await until(
    page,
    `the output of ${command}`,
    ([c, e, end]) => {
      const text = document.querySelector('#transcript').textContent;
      const at = text.lastIndexOf(`${c}\n`);
      return at >= 0 && text.slice(at).includes(e) && document.querySelector('#status').classList.contains(end ? 'ended' : 'ready');
    },
    [command, expected, ends],
  );
}

/** The value shown for variable `name` (the first row with that key). */
export const valueOf = (page, name) =>
  page
    .locator('#scopes .row', { has: page.locator(`.key:text-is("${name}:")`) })
    .first()
    .locator('.val')
    .textContent();

/** The 1-based number of the first line of `source` that contains `text`. */
export function lineOf(source, text) {
  const n = source.split('\n').findIndex((l) => l.includes(text));
  assert.ok(n >= 0, `no line of the program contains ${text}`);
  return n + 1;
}

/**
 * Where character `at` of `needle` (its first occurrence in source line `line`) is drawn in the page:
 * `{ x, y, left, right, top, bottom }` of that character, in viewport pixels. With `reveal`, the
 * source pane is first scrolled (as a user would) so that the character is in view.
 */
export async function charBox(page, line, needle, at = 0, { reveal = false } = {}) {
  // The prompt can come before the source pane is drawn (the source is a request of its own).
  await until(
    page,
    `source line ${line} drawn`,
    ([n, needle]) => document.querySelector(`#source .ln[data-line="${n}"] .code`)?.textContent.includes(needle),
    [line, needle],
  );
  const box = await page.evaluate(
    ([n, needle, at, reveal]) => {
      const code = document.querySelector(`#source .ln[data-line="${n}"] .code`);
      if (!code) return `line ${n} is not drawn`;
      const index = code.textContent.indexOf(needle);
      if (index < 0) return `line ${n} has no ${needle}: ${code.textContent}`;
      const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      let pos = 0;
      for (let t = walk.nextNode(); t; t = walk.nextNode()) {
        if (index + at < pos + t.data.length) {
          const r = document.createRange();
          r.setStart(t, index + at - pos);
          r.setEnd(t, index + at - pos + 1);
          let b = r.getBoundingClientRect();
          if (reveal) {
            const s = document.querySelector('#source');
            const gutter = code.closest('.ln').querySelector('.num').getBoundingClientRect().right;
            const right = s.getBoundingClientRect().left + s.clientLeft + s.clientWidth;
            if (b.right > right - 20) s.scrollLeft += b.right - right + 80;
            else if (b.left < gutter + 20) s.scrollLeft -= gutter + 80 - b.left;
            const top = s.getBoundingClientRect().top + 40;
            const bottom = s.getBoundingClientRect().top + s.clientHeight - 20;
            if (b.top < top || b.bottom > bottom) s.scrollTop += b.top - (top + bottom) / 2;
            b = r.getBoundingClientRect();
          }
          return { x: b.left + b.width / 2, y: b.top + b.height / 2, left: b.left, right: b.right, top: b.top, bottom: b.bottom };
        }
        pos += t.data.length;
      }
      return `character ${index + at} of line ${n} not found`;
    },
    [line, needle, at, reveal],
  );
  assert.equal(typeof box, 'object', box);
  return box;
}
