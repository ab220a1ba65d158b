// The value of a name under the mouse in the source pane (issue #9, item 5), as DevTools shows one,
// in Debian's Chromium: a local, a parameter's property chain, `this.id`, a closure variable, a
// module binding, each from the selected frame's own bindings; a name of another function, a global
// or a keyword shows nothing. It never runs the program's code: getters (on the object, on a class's
// prototype) are shown as getters, a Proxy is not looked into, and a counter the getters and traps
// bump stays at 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charBox, launchBrowser, lineOf, needChromium, project, ready, run, startProgram, until } from './web-helpers.mjs';

const APP = `let getterCalls = 0;
const settings = { retries: 3, get secret() { getterCalls++; return 'hunter2'; } };
const guarded = new Proxy({ inner: 1 }, {
  get(t, k) { getterCalls++; return Reflect.get(t, k); },
  getOwnPropertyDescriptor(t, k) { getterCalls++; return Reflect.getOwnPropertyDescriptor(t, k); },
  getPrototypeOf(t) { getterCalls++; return Reflect.getPrototypeOf(t); },
});
function makeJob(scale: number) {
  class Job {
    constructor(readonly id: string) {}
    get label() { getterCalls++; return \`job \${this.id}\`; }
    // @debuggable
    run(items: number[], opts: { limit: number; owner: { name: string } }) {
      const total = items.reduce((a, b) => a + b, 0) * scale;
      const lazy = { get value() { getterCalls++; return 42; }, plain: 'x' };
      if (total > opts.limit) throw new RangeError(\`\${this.id}: \${total} > \${opts.limit} for \${opts.owner.name} (\${settings.retries}, \${lazy.plain})\`);
      return total + lazy.value + this.label.length + settings.secret.length + guarded.inner;
    }
  }
  return new Job('j1');
}
function other(total: number) { return total * 2; }
makeJob(2).run([4, 5, 6], { limit: 10, owner: { name: 'ada' } });
`;
const THROW = lineOf(APP, 'if (total > opts.limit)');
const RETURN = lineOf(APP, 'return total + lazy.value');

/**
 * Rests the mouse on character `at` of `needle` in source line `line` and waits until the page has
 * looked it up (hover.js counts its look-ups on the popup). Returns what the popup shows, or null.
 */
async function hoverOn(page, line, needle, at = 0) {
  await page.keyboard.press('Escape'); // the last popup may cover the next name
  const looks = Number((await page.locator('#hover').getAttribute('data-looks')) ?? 0);
  const p = await charBox(page, line, needle, at, { reveal: true });
  await page.mouse.move(p.x, p.y);
  await until(page, `the look-up of ${needle}`, (n) => Number(document.querySelector('#hover').dataset.looks ?? 0) > n, looks);
  return page.evaluate(() => {
    const h = document.querySelector('#hover');
    if (h.hidden) return null;
    const text = (s) => h.querySelector(s)?.textContent ?? null;
    return {
      key: text('.row .key'),
      value: text('.row .val'),
      scope: text('.hover-scope'),
      expr: text('.hover-expr'),
      note: text('.hover-note'),
    };
  });
}

test('hover: locals, property chains, this, closure and module bindings show their values; other names show nothing; no getter or Proxy trap runs', async (t) => {
  if (!needChromium(t)) return;
  const browser = await launchBrowser(t);
  const program = startProgram(t, project(APP));
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(await program.url());
  await ready(page);
  await until(
    page,
    'Job.run selected, its line drawn',
    (n) => document.querySelector('#source .ln.current')?.dataset.line === String(n),
    THROW,
  );

  const shows = async (line, needle, at, expected) => {
    const got = await hoverOn(page, line, needle, at);
    assert.deepEqual(got && { key: got.key, value: got.value, scope: got.scope }, expected, `hover on ${needle} (character ${at})`);
  };
  await shows(THROW, 'total >', 0, { key: 'total:', value: '30', scope: 'Locals' });
  await shows(THROW, 'opts.limit)', 5, { key: 'opts.limit:', value: '10', scope: 'Locals' });
  await shows(THROW, 'opts.owner.name', 11, { key: 'opts.owner.name:', value: "'ada'", scope: 'Locals' });
  await shows(THROW, 'this.id', 5, { key: 'this.id:', value: "'j1'", scope: 'this' });
  await shows(THROW, 'settings.retries', 10, { key: 'settings.retries:', value: '3', scope: 'Module' });
  await shows(lineOf(APP, '* scale;'), 'scale', 0, { key: 'scale:', value: '2', scope: 'Closure' });

  // Getters: on the object, on the class's prototype, on a module binding: shown, not called.
  for (const [needle, at] of [
    ['lazy.value', 5],
    ['this.label', 5],
    ['settings.secret', 9],
  ]) {
    const got = await hoverOn(page, RETURN, needle, at);
    assert.equal(got?.key, `${needle}:`, needle);
    assert.equal(got.value, '(getter: not called; inspect calls it)', needle);
  }
  // A Proxy: shown as one, its properties not read (that would run its traps).
  const proxy = await hoverOn(page, RETURN, 'guarded.inner', 0);
  assert.equal(proxy?.key, 'guarded:');
  assert.match(proxy.value, /Proxy/);
  const inner = await hoverOn(page, RETURN, 'guarded.inner', 9);
  assert.equal(inner?.expr, 'guarded.inner');
  assert.match(inner.note, /guarded is a Proxy: its properties are not read/);

  // A value opens like a variable: the items of an array, one level down.
  const items = await hoverOn(page, lineOf(APP, 'items.reduce'), 'items.reduce', 0);
  assert.deepEqual([items?.key, items?.value], ['items:', '[ 4, 5, 6 ]']);
  await page.locator('#hover .row.open-able').first().click();
  await until(page, 'the items in the popup', () =>
    [...document.querySelectorAll('#hover li.open > ul > li .val')]
      .map((v) => v.textContent)
      .join(',')
      .startsWith('4,5,6'),
  );

  // Nothing for names that are no variable of this frame: another function's parameter, a global,
  // a keyword, a word in a string.
  assert.equal(await hoverOn(page, lineOf(APP, 'function other'), 'total * 2', 0), null, "another function's parameter");
  assert.equal(await hoverOn(page, THROW, 'RangeError', 2), null, 'a global');
  assert.equal(await hoverOn(page, THROW, 'throw', 1), null, 'a keyword');
  assert.equal(await hoverOn(page, lineOf(APP, "return 'hunter2'"), 'hunter2', 2), null, 'a word in a string');

  // No getter ran, no trap ran: the program's own counter says so.
  await page.keyboard.press('Escape');
  await run(page, 'p getterCalls', '0');
  assert.match(await page.locator('#transcript').textContent(), /ipdb> p getterCalls\n0\n/);
  assert.deepEqual(errors, [], 'no error in the page');
});

test('hover follows the selected frame: a name is looked up in the frame shown, and a new state closes the popup', async (t) => {
  if (!needChromium(t)) return;
  const browser = await launchBrowser(t);
  const program = startProgram(t, project());
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(await program.url());
  await ready(page);
  // In check (web-helpers' APP, line 18): its parameter n and its local limit.
  assert.deepEqual(await hoverOn(page, 18, 'n > limit', 0).then((h) => [h?.key, h?.value]), ['n:', '5']);
  assert.deepEqual(await hoverOn(page, 18, 'n > limit', 4).then((h) => [h?.key, h?.value]), ['limit:', '3']);
  // lr in Trainer.step's source is not check's lr (a parameter of the same name): nothing.
  assert.equal(await hoverOn(page, 9, 'lr', 0), null);
  // A command that changes the value: the popup closes, the next look shows the new value.
  await hoverOn(page, 18, 'limit)', 0);
  assert.equal(await page.locator('#hover').isVisible(), true);
  await run(page, 'limit = 4', '');
  await until(page, 'the popup closed', () => document.querySelector('#hover').hidden);
  assert.deepEqual(await hoverOn(page, 18, 'n > limit', 4).then((h) => [h?.key, h?.value]), ['limit:', '4']);
  // Trainer.step selected: its own lr.
  await page.locator('#frames li', { hasText: 'Trainer.step' }).click();
  await until(page, 'Trainer.step selected', () => /return check\(/.test(document.querySelector('#source .ln.current')?.textContent ?? ''));
  assert.deepEqual(await hoverOn(page, 9, 'lr', 0).then((h) => [h?.key, h?.value, h?.scope]), ['lr:', '0.5', 'Locals']);
  assert.deepEqual(await hoverOn(page, 13, 'batch.points.length', 13).then((h) => [h?.key, h?.value]), ['batch.points.length:', '5']);
});
