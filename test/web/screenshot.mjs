// Makes docs/web-mode.png, the README's picture of web mode: examples/distributed run with
// IPDB_MODE=web (rank 1 fails), its page opened in Debian's Chromium, a few commands typed and the
// failing batch opened, then `q`. Prints the output of the job, for the README's example.
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
  cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, IPDB_MODE: 'web', IPDB_WEB_PORT: process.env.IPDB_WEB_PORT ?? '4444', NO_COLOR: '1', FORCE_COLOR: '0' },
});
const closed = new Promise((resolve) => job.on('close', resolve));
const out = collect(job.stdout, 'stdout');
const err = collect(job.stderr, 'stderr');
const url = (await err.until(/open in a browser: {2}(\S+)/))[1];

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, deviceScaleFactor: 1, colorScheme: 'light' });
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
await page.screenshot({ path: path.join(ROOT, 'docs', 'web-mode.png') });
await page.fill('#command', 'q');
await page.press('#command', 'Enter');
await page.waitForFunction(() => document.querySelector('#status').classList.contains('ended'));
await browser.close();
await closed;
process.stdout.write(`--- stdout\n${out.text}--- stderr\n${err.text}`);
