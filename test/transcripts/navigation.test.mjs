// Transcripts: the banner, where, up, down, args (pdb's messages and ipdb's listing layout).
import assert from 'node:assert/strict';
import test from 'node:test';
import { bannerText, expectTranscript, ROOT, sessionOn, shop, transcriptOf } from './harness.mjs';

// checkout -> lineTotal(null): TypeError in lineTotal, inside checkout's for loop. Called as a plain
// function: as `shop.checkout(...)` its `this` would be the module namespace, and `a` would say so.
const { checkout } = shop;
const nullItem = () => sessionOn(() => checkout([{ name: 'pen', price: 2, qty: 3 }, null], 'TEN'), { stackLimit: 2 });

test('the banner names the boundary, shows the stack in TypeScript positions and enters the raising frame', async () => {
  const s = await nullItem();
  assert.equal(
    bannerText(s).replaceAll(ROOT, '<root>'),
    `\
Exception caught in checkout:
TypeError: Cannot read properties of null (reading 'price')
    at lineTotal (<root>/test/transcripts/fixtures/src/shop.ts:9:21)
    at checkout (<root>/test/transcripts/fixtures/src/shop.ts:18:18)

Entering post-mortem session: h for help; c or q ends it and the error goes on.
> test/transcripts/fixtures/src/shop.ts(9)lineTotal()
      8 function lineTotal(item: Item): number {
----> 9   const base = item.price * item.qty;
     10   return base * (1 + TAX_RATE);
`,
  );
});

test('runSession prints the banner first unless told not to', async () => {
  const s = await nullItem();
  const { text } = transcriptOf(s, ['q'], { banner: true });
  assert.ok(text.startsWith('Exception caught in checkout:\n'), text);
  assert.ok(text.endsWith('ipdb> q\n'), text);
});

test('where lists oldest first and marks the selected frame; up and down move and say where they stop', async () => {
  const s = await nullItem();
  expectTranscript(
    s,
    `
    ipdb> w
      test/transcripts/fixtures/src/shop.ts(18)checkout()
    -> const line = lineTotal(item);
    > test/transcripts/fixtures/src/shop.ts(9)lineTotal()
    -> const base = item.price * item.qty;
    ipdb> u
    > test/transcripts/fixtures/src/shop.ts(18)checkout()
         17   for (const item of cart) {
    ---> 18     const line = lineTotal(item);
         19     total += line;
    ipdb> w
    > test/transcripts/fixtures/src/shop.ts(18)checkout()
    -> const line = lineTotal(item);
      test/transcripts/fixtures/src/shop.ts(9)lineTotal()
    -> const base = item.price * item.qty;
    ipdb> up
    *** Oldest frame
    ipdb> d
    > test/transcripts/fixtures/src/shop.ts(9)lineTotal()
          8 function lineTotal(item: Item): number {
    ----> 9   const base = item.price * item.qty;
         10   return base * (1 + TAX_RATE);
    ipdb> down
    *** Newest frame
    ipdb> u 5
    > test/transcripts/fixtures/src/shop.ts(18)checkout()
         17   for (const item of cart) {
    ---> 18     const line = lineTotal(item);
         19     total += line;
    ipdb> d 2
    > test/transcripts/fixtures/src/shop.ts(9)lineTotal()
          8 function lineTotal(item: Item): number {
    ----> 9   const base = item.price * item.qty;
         10   return base * (1 + TAX_RATE);
    ipdb> u x
    *** Invalid frame count (x)
    ipdb> q
  `,
  );
});

test('args shows the parameters at the throw; this only when it is set', async () => {
  const s = await nullItem();
  expectTranscript(
    s,
    `
    ipdb> a
    item = null
    ipdb> u
    > test/transcripts/fixtures/src/shop.ts(18)checkout()
         17   for (const item of cart) {
    ---> 18     const line = lineTotal(item);
         19     total += line;
    ipdb> args
    cart = [ { name: 'pen', price: 2, qty: 3 }, null ]
    coupon = 'TEN'
    ipdb> q
  `,
  );
  const r = await sessionOn(() => new shop.Register('R1').close('end of day'), { stackLimit: 1 });
  expectTranscript(
    r,
    `
    ipdb> a
    this = Register { id: 'R1' }
    note = 'end of day'
    ipdb> q
  `,
  );
});

test('frames the stack has but the transform did not instrument are listed and selectable, without locals', async () => {
  // No stack limit: this test file's frame (not instrumented) is the caller of checkout.
  const s = await sessionOn(() => checkout([null]));
  const { text } = transcriptOf(s, ['u', 'u', 'a', 'p typeof thrownBy', 'w', 'q']);
  assert.match(text, /ipdb> u\n> test\/transcripts\/navigation\.test\.mjs\(\d+\)<anonymous>\(\)\n/);
  assert.match(text, /ipdb> a\n\*\*\* No locals for <anonymous>: this frame was not instrumented/);
  // Evaluation still works there: through the global scope (no module hook for this file).
  assert.match(text, /ipdb> p typeof thrownBy\n'undefined'\n/);
  // node:test's own frames are folded into one dimmed line (dim is plain text without colours).
  assert.match(text, /^ {2}\[\d+ node-internal frames?\]$/m);
});

test('a session with no frame at all says so instead of failing', async () => {
  const { sessionFor } = await import('./harness.mjs');
  const s = sessionFor('just a string', undefined);
  expectTranscript(
    s,
    `
    ipdb> w
    *** No stack: the thrown value has no stack trace and no frame was captured
    ipdb> u
    *** No frame with source or locals
    ipdb> l
    *** No frame selected
    ipdb> p 1 + 1
    2
    ipdb> q
  `,
  );
});
