// Web mode in a real browser (issue #5): Debian's Chromium driven by playwright-core opens the URL
// the program prints, reads a local, runs commands in the console, selects another frame and sees
// its source, opens nested objects and a 1e6-element array by ranges, and quits; the program then
// ends with its original error. A second tab only watches; a closed tab leaves the session waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, needChromium, ORIGINAL, project, ready, run, startProgram, until, valueOf } from './web-helpers.mjs';

/** Opens the tree node whose key is `name` (under `within`) and waits for its children. */
async function open(page, name, within = page.locator('#scopes')) {
  const row = within.locator('.row', { has: page.locator(`.key:text-is("${name}")`) }).first();
  await row.click();
  const li = within.locator('li.open', { has: page.locator(`:scope > .row > .key:text-is("${name}")`) }).first();
  await until(
    page,
    `the children of ${name}`,
    (n) =>
      [...document.querySelectorAll('#scopes li.open')].some(
        (li) => li.querySelector(':scope > .row > .key')?.textContent === n && li.querySelector(':scope > ul > li:not(.loading)'),
      ),
    name,
  );
  return li;
}

test('the page: a local, p in the console, another frame and its source, nested objects, a huge array by ranges; q ends it and the error goes on', async (t) => {
  if (!needChromium(t)) return;
  const browser = await launchBrowser(t);
  const program = startProgram(t, project());
  const url = await program.url();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/, 'loopback, no token');
  assert.match(program.err.text, /\| ts-pdb: rank 0 \(pid \d+\) stopped: RangeError: batch of 5 points is over the limit 3 +\|/);

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await ready(page);

  // The innermost marked frame is selected, with its locals and its source line marked.
  assert.equal(await valueOf(page, 'limit'), '3');
  assert.equal(await valueOf(page, 'n'), '5');
  assert.match(await page.locator('#frames li.current .fn').textContent(), /^check$/);
  assert.match(await page.locator('#source .ln.current .code').textContent(), /throw new RangeError/);
  assert.match(await page.locator('#source-title').textContent(), /app\.ts:18$/);

  // The console runs session commands; an error is an error, not the end.
  await run(page, 'p n * lr', '2.5');
  await run(page, 'p nope', 'ReferenceError: nope is not defined');
  await run(page, 'whatis limit', 'number');

  // Another frame: click it in the stack; its source and variables follow.
  await page.locator('#frames li', { hasText: 'Trainer.step' }).click();
  await until(page, 'Trainer.step selected', () => /Trainer\.step/.test(document.querySelector('#frames li.current')?.textContent ?? ''));
  await until(page, 'its current line', () => /return check\(/.test(document.querySelector('#source .ln.current')?.textContent ?? ''));
  assert.match(await page.locator('#source-title').textContent(), /app\.ts:13$/);
  assert.equal(await valueOf(page, 'lr'), '0.5');
  const self = await open(page, 'this:');
  assert.equal(
    await self
      .locator('.row', { has: page.locator('.key:text-is("name:")') })
      .locator('.val')
      .textContent(),
    "'t1'",
  );

  // The exception chain: the cause is listed under the error; selecting it shows its own frames.
  await page.locator('#exceptions li', { hasText: 'TypeError: 2 points too many' }).click();
  await until(
    page,
    "the cause's frames",
    () =>
      /explain/.test(document.querySelector('#frames li.current')?.textContent ?? '') &&
      /return new TypeError/.test(document.querySelector('#source .ln.current')?.textContent ?? ''),
  );
  assert.match(
    await page.locator('#scopes .scope-note').first().textContent(),
    /no locals/,
    'made, not thrown: nothing was captured there',
  );
  await page.locator('#exceptions li', { hasText: 'RangeError' }).click();
  await until(page, 'back on the error', () => /check/.test(document.querySelector('#frames li.current')?.textContent ?? ''));
  await page.locator('#frames li', { hasText: 'Trainer.step' }).click();
  await until(page, 'Trainer.step again', () => /Trainer\.step/.test(document.querySelector('#frames li.current')?.textContent ?? ''));

  // A nested object, opened level by level.
  const config = await open(page, 'config:');
  const model = await open(page, 'model:', config);
  const layers = await open(page, 'layers:', model);
  const first = await open(page, '0:', layers);
  assert.equal(
    await first
      .locator('.row', { has: page.locator('.key:text-is("units:")') })
      .locator('.val')
      .textContent(),
    '8',
  );

  // A 1e6-element array: a hundred ranges of 10,000, then of 100, then the items; never more.
  const weights = await open(page, 'weights:');
  const ranges = weights.locator(':scope > ul > li > .row > .key.range');
  assert.equal(await ranges.count(), 100);
  assert.equal(await ranges.first().textContent(), '[0 … 9999]');
  const r1 = await open(page, '[0 … 9999]', weights);
  assert.equal(await r1.locator(':scope > ul > li').count(), 100);
  const r2 = await open(page, '[0 … 99]', r1);
  const items = r2.locator(':scope > ul > li');
  assert.equal(await items.count(), 100);
  assert.equal(await items.nth(13).locator('.val').textContent(), String(13 % 7));

  // Live updates: a command that changes a value, and a display, show at once where they are open.
  await run(page, 'config.model.dropout = 0.25', '');
  await until(page, 'the new dropout', () =>
    [...document.querySelectorAll('#scopes .row')].some(
      (r) => r.querySelector('.key')?.textContent === 'dropout:' && r.querySelector('.val')?.textContent === '0.25',
    ),
  );
  await run(page, 'display lr * 2', 'display lr * 2: 1');
  await until(page, 'the display', () => document.querySelector('#displays')?.textContent.includes('lr * 2: 1'));

  // q from the page: the page says the session ended, and the program ends with its own error.
  await run(page, 'q', 'session ended', { ends: true });
  await until(
    page,
    'the end of the session',
    () =>
      document.querySelector('#status').classList.contains('ended') &&
      /Session ended/.test(document.querySelector('#notice-text').textContent),
  );
  assert.equal(await program.exited, 1);
  assert.match(program.err.text, ORIGINAL);
  assert.deepEqual(errors, [], 'no error in the page');
});

test('a second tab only watches (and sees the commands); a closed tab leaves the session waiting; a watcher may take control', async (t) => {
  if (!needChromium(t)) return;
  const browser = await launchBrowser(t);
  const program = startProgram(t, project());
  const url = await program.url();

  const first = await browser.newPage();
  await first.goto(url);
  await ready(first);
  const second = await browser.newPage();
  await second.goto(url);
  await until(second, 'the watching notice', () =>
    /Another page controls this session: this one watches/.test(document.querySelector('#notice-text').textContent),
  );
  assert.equal(await second.locator('#command').isDisabled(), true, 'a watching page cannot type');
  assert.equal(await second.locator('#take-control').isVisible(), true);

  await run(first, 'p limit + 1', '4');
  await until(second, 'the command in the watching page', () =>
    /ipdb> p limit \+ 1\n4\n/.test(document.querySelector('#transcript').textContent),
  );

  // The controlling tab closes: the watching one gets control.
  await first.close();
  await until(second, 'control handed over', () => !document.querySelector('#command').disabled);
  await run(second, 'p n', '5');

  // Every tab closes: the session waits (the program is still stopped) until a page comes back.
  await second.close();
  const third = await browser.newPage();
  await third.goto(url);
  // (It may watch for a moment, until the server sees the second tab go.)
  await until(third, 'control', () => !document.querySelector('#command').disabled);
  await ready(third);
  assert.match(await third.locator('#transcript').textContent(), /ipdb> p n\n5\n/, 'the transcript so far');
  assert.equal(program.child.exitCode, null);

  // A fourth tab takes control; the third then watches.
  const fourth = await browser.newPage();
  await fourth.goto(url);
  await until(fourth, 'watching', () => document.querySelector('#command').disabled);
  await fourth.click('#take-control');
  await until(fourth, 'control taken', () => !document.querySelector('#command').disabled);
  await until(third, 'told it watches', () => /Another page took control/.test(document.querySelector('#notice-text').textContent));
  await run(fourth, 'c', 'session ended', { ends: true });
  await until(third, 'the end, in the watching tab too', () => document.querySelector('#status').classList.contains('ended'));
  assert.equal(await program.exited, 1);
  assert.match(program.err.text, ORIGINAL);
});
