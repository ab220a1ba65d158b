// Makes docs/web-mode.png, the README's picture of web mode: examples/distributed run with
// IPDB_MODE=web (rank 1 fails), its page opened in Debian's Chromium at 1400x1000, a few commands
// typed, the failing batch opened and the mouse resting on a name in the source (its value shows),
// then `q`. Prints the output of the job, for the README's example.
//
//   npm run build && (cd examples/distributed && npm install) && node test/web/screenshot.mjs
import { spawn } from 'node:child_process';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from '../helpers/build.mjs';
import { collect } from '../helpers/socket.mjs';
import { CHROMIUM } from './web-helpers.mjs';

const dir = path.join(ROOT, 'examples', 'distributed');
const job = spawn('npm', ['start'], {
  cwd: dir,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, IPDB_MODE: 'web', IPDB_WEB_PORT: process.env.IPDB_WEB_PORT ?? '4444', NO_COLOR: '1', FORCE_COLOR: '0' },
});
const closed = new Promise((resolve) => job.on('close', resolve));
const out = collect(job.stdout, 'stdout');
const err = collect(job.stderr, 'stderr');
const url = (await err.until(/open in a browser: {2}(\S+)/))[1];

// Scrollbars as a user sees them (playwright hides them in headless mode by default).
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
  ignoreDefaultArgs: ['--hide-scrollbars'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1, colorScheme: 'light' });
await page.goto(url);
const ready = () => page.waitForFunction(() => document.querySelector('#status').classList.contains('ready'));
const type = async (line) => {
  await ready();
  await page.fill('#command', line);
  await page.press('#command', 'Enter');
  await page.waitForFunction((l) => document.querySelector('#transcript').textContent.includes(`${l}\n`), line);
  await ready();
};
await type('p rank');
await type('p batch');
await type('p errors.map((e) => e.toFixed(2))');
await page.locator('#scopes .row', { has: page.locator('.key:text-is("batch:")') }).click();
await page.waitForSelector('#scopes li.open li .key:text-is("2:")');
await page.fill('#command', 'p weight * 2');
// The mouse on `errors` where it is made: its value in a popup.
const spot = await page.evaluate(() => {
  const code = [...document.querySelectorAll('#source .ln .code')].find((c) => c.textContent.includes('const errors ='));
  const at = code.textContent.indexOf('errors') + 2;
  const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
  for (let pos = 0, t = walk.nextNode(); t; pos += t.data.length, t = walk.nextNode()) {
    if (at < pos + t.data.length) {
      const r = document.createRange();
      r.setStart(t, at - pos);
      r.setEnd(t, at - pos + 1);
      const b = r.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    }
  }
  return null;
});
await page.mouse.move(spot.x, spot.y);
await page.waitForSelector('#hover:not([hidden]) .key:text-is("errors:")');
await page.screenshot({ path: path.join(ROOT, 'docs', 'web-mode.png') });
await page.keyboard.press('Escape');
await page.fill('#command', 'q');
await page.press('#command', 'Enter');
await page.waitForFunction(() => document.querySelector('#status').classList.contains('ended'));
await browser.close();
await closed;
process.stdout.write(`--- stdout\n${out.text}--- stderr\n${err.text}`);
