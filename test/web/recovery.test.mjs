// Issue #6 in web mode (issue #5's page): a live breakpoint, `retry` and `return expr` driven from
// Debian's Chromium. Each session serves its own page (a new URL, printed in a new box); the user
// opens it, reads and changes a local, answers `q`'s question, and ends each session as a page
// user would. The program then goes on with what was decided, and finishes normally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, needChromium, project, ready, run, startProgram, until, valueOf } from './web-helpers.mjs';

const APP = `import { breakpoint } from 'ts-pdb';

let attempts = 0;
class Loader {
  // @debuggable
  load(name: string) {
    attempts++;
    if (attempts === 1) throw new Error(\`disk busy while loading \${name}\`);
    return \`\${name} after \${attempts} attempts\`;
  }
}

class Trainer {
  // @debuggable
  step(batch: number[]) {
    const loss = batch.reduce((a, b) => a + b, 0) / batch.length;
    if (Number.isNaN(loss)) throw new RangeError(\`loss is NaN for \${batch.length} samples\`);
    return loss;
  }
}

function train() {
  let lr = 0.5;
  const name = 'model';
  breakpoint();
  console.log(\`\${name} lr \${lr}\`);
  console.log(new Loader().load('shard-3'));
  const t = new Trainer();
  console.log('losses', JSON.stringify([[1, 2], [NaN], [4, 4]].map((b) => t.step(b))));
}
train();
`;

/** The URL in the `n`-th box the program printed (1-based): each session serves its own page. */
async function nthUrl(program, n) {
  const box = new RegExp(`(?:open in a browser: {2}\\S+[^]*?){${n - 1}}open in a browser: {2}(\\S+)`);
  return (await program.err.until(box))[1];
}

/** Opens `url` in a new tab of `browser` and waits for its prompt; fails on any error in the page. */
async function openPage(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => assert.fail(`an error in the page: ${e.message}`));
  await page.goto(url);
  await ready(page);
  return page;
}

/** Waits until the page says its session ended, with these words. */
const endedWith = (page, words) =>
  until(
    page,
    `the end: ${words}`,
    (w) => document.querySelector('#status').classList.contains('ended') && document.querySelector('#notice-text').textContent.includes(w),
    words,
  );

test('web: a breakpoint (read, write, q asked and declined, c), then retry and return from the page; the program finishes with them', async (t) => {
  if (!needChromium(t)) return;
  const browser = await launchBrowser(t);
  const program = startProgram(t, project(APP));

  // 1. The breakpoint: the page shows the live frame; a local is read and changed; q asks first.
  const first = await openPage(browser, await nthUrl(program, 1));
  assert.match(program.err.text, /ts-pdb: rank 0 \(pid \d+\) stopped: a breakpoint/);
  assert.match(await first.locator('#transcript').textContent(), /Breakpoint in train: the program is stopped here/);
  assert.equal(await valueOf(first, 'lr'), '0.5');
  assert.match(await first.locator('#source .ln.current .code').textContent(), /breakpoint\(\)/);
  await run(first, 'lr = 0.125', '');
  await until(first, 'the new lr in the variables', () =>
    [...document.querySelectorAll('#scopes .row')].some(
      (r) => r.querySelector('.key')?.textContent === 'lr:' && r.querySelector('.val')?.textContent === '0.125',
    ),
  );
  // q's question takes the prompt's place, beside the input.
  await first.fill('#command', 'q');
  await first.press('#command', 'Enter');
  await until(
    first,
    'the question',
    () =>
      document.querySelector('#prompt').textContent.startsWith('Quit? This ends the program (y/n)') &&
      document.querySelector('#status').classList.contains('ready'),
  );
  await run(first, 'n', 'Not quitting: c lets the program go on.');
  await run(first, 'p lr * 2', '0.25');
  assert.equal(program.child.exitCode, null, 'still stopped at the breakpoint');
  assert.doesNotMatch(program.out.text, /model lr/, 'the line after the call has not run');
  await run(first, 'c', 'session ended', { ends: true });
  await endedWith(first, 'Session ended: the program goes on.');
  await program.out.until(/model lr 0\.125\n/);

  // 2. retry: the loader failed once; run again, it succeeds on its second attempt.
  const second = await openPage(browser, await nthUrl(program, 2));
  assert.match(await second.locator('#transcript').textContent(), /Exception caught in Loader\.load/);
  assert.equal(await valueOf(second, 'name'), "'shard-3'");
  await run(second, 'retry', 'session ended', { ends: true });
  assert.match(
    await second.locator('#transcript').textContent(),
    /Loader\.load runs again from its first line; the program goes on from there\./,
  );
  await endedWith(second, 'Session ended: Loader.load runs again (retry).');
  await program.out.until(/shard-3 after 2 attempts\n/);

  // 3. return: the NaN step returns the mean of the others instead of throwing.
  const third = await openPage(browser, await nthUrl(program, 3));
  assert.match(await third.locator('#transcript').textContent(), /Exception caught in Trainer\.step/);
  await run(third, 'p batch', '[ NaN ]');
  await run(third, 'return 3', 'session ended', { ends: true });
  assert.match(await third.locator('#transcript').textContent(), /Trainer\.step returns 3 instead of throwing; the program goes on\./);
  await endedWith(third, 'Session ended: Trainer.step returns the value instead of throwing, the program goes on.');
  await program.out.until(/losses \[1\.5,3,4\]\n/);

  assert.equal(await program.exited, 0, `the program finished normally; stderr:\n${program.err.text.slice(-2000)}`);
  assert.doesNotMatch(program.err.text, /\n {4}at /, 'no error went on (no stack printed)');
});
