// Transcripts: display/undisplay (per frame, re-shown when changed), and exceptions (cause,
// AggregateError.errors, SuppressedError), including a cause that carries its own captured frames.
import test from 'node:test';
import { expectTranscript, sessionFor, sessionOn, shop } from './harness.mjs';

const { checkout, safeCheckout, settle } = shop;
const noCoupon = () => sessionOn(() => checkout([{ name: 'pen', price: 2, qty: 3 }]), { stackLimit: 2 });

test('display shows a value now and again whenever it changes, with the old value; per frame', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> display
    Currently displaying:
    ipdb> display total
    display total: 7.199999999999999
    ipdb> display codes.TEN
    display codes.TEN: 10
    ipdb> display nope
    display nope: ** raised ReferenceError: nope is not defined **
    ipdb> total = 3
    display total: 3  [old: 7.199999999999999]
    ipdb> codes.TEN = 20
    display codes.TEN: 20  [old: 10]
    ipdb> p 1
    1
    ipdb> u
    > test/transcripts/fixtures/src/shop.ts(21)checkout()
         20   }
    ---> 21   const discount = applyCoupon(total, coupon);
         22   const result = total - discount;
    ipdb> display
    Currently displaying:
    ipdb> display total
    display total: 7.199999999999999
    ipdb> total = 9
    display total: 9  [old: 7.199999999999999]
    ipdb> d
    > test/transcripts/fixtures/src/shop.ts(28)applyCoupon()
         27   const codes: Record<string, number> = { TEN: 10 };
    ---> 28   const rate = codes[coupon!.toUpperCase()];
         29   return total * rate / 100;
    ipdb> display
    Currently displaying:
    total: 3
    codes.TEN: 20
    nope: ** raised ReferenceError: nope is not defined **
    ipdb> q
  `,
  );
});

test('undisplay removes one expression or all; an unknown one is an error', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> display total
    display total: 7.199999999999999
    ipdb> display coupon
    display coupon: undefined
    ipdb> undisplay total
    ipdb> undisplay total
    *** not displaying total
    ipdb> display
    Currently displaying:
    coupon: undefined
    ipdb> undisplay
    ipdb> display
    Currently displaying:
    ipdb> q
  `,
  );
});

test('exceptions lists the error and its cause; the cause keeps the locals captured on its own way out', async () => {
  const s = await sessionOn(() => safeCheckout([null]), { stackLimit: 3 });
  expectTranscript(
    s,
    `
    ipdb> exceptions
    >   0 Error: checkout failed (attempt 1)
        1 cause: TypeError: Cannot read properties of null (reading 'price')
    ipdb> p attempt
    1
    ipdb> exceptions 1
    > test/transcripts/fixtures/src/shop.ts(9)lineTotal()
          8 function lineTotal(item: Item): number {
    ----> 9   const base = item.price * item.qty;
         10   return base * (1 + TAX_RATE);
    ipdb> w
      test/transcripts/fixtures/src/shop.ts(48)safeCheckout()
    -> return checkout(cart);
      test/transcripts/fixtures/src/shop.ts(18)checkout()
    -> const line = lineTotal(item);
    > test/transcripts/fixtures/src/shop.ts(9)lineTotal()
    -> const base = item.price * item.qty;
    ipdb> u
    > test/transcripts/fixtures/src/shop.ts(18)checkout()
         17   for (const item of cart) {
    ---> 18     const line = lineTotal(item);
         19     total += line;
    ipdb> p locals()
    { cart: [ null ], coupon: undefined, total: 0, item: null, discount: <uninitialized>, result: <uninitialized>, line: <uninitialized> }
    ipdb> exceptions
        0 Error: checkout failed (attempt 1)
    >   1 cause: TypeError: Cannot read properties of null (reading 'price')
    ipdb> exceptions 0
    > test/transcripts/fixtures/src/shop.ts(50)safeCheckout()
         49   } catch (e) {
    ---> 50     throw new Error(\`checkout failed (attempt \${attempt})\`, { cause: e });
         51   }
    ipdb> exceptions 2
    *** No exception with that number
    ipdb> exceptions x
    *** Invalid exception number (x); usage: exceptions [number]
    ipdb> q
  `,
  );
});

test('AggregateError: each error of errors is listed and can be selected', async () => {
  const s = await sessionOn(() => settle(['a', 'b']), { stackLimit: 3 });
  expectTranscript(
    s,
    `
    ipdb> exceptions
    >   0 AggregateError: 2 settlements failed
        1 errors[0]: Error: settle a
        2 errors[1]: Error: settle b
    ipdb> exceptions 2
    > test/transcripts/fixtures/src/shop.ts(55)<anonymous>()
         54 export function settle(ids: string[]): void {
    ---> 55   const failures = ids.map((id) => new Error(\`settle \${id}\`));
         56   throw new AggregateError(failures, \`\${failures.length} settlements failed\`);
    ipdb> w
      test/transcripts/fixtures/src/shop.ts(55)settle()
    -> const failures = ids.map((id) => new Error(\`settle \${id}\`));
      Array.map (<anonymous>)
    > test/transcripts/fixtures/src/shop.ts(55)<anonymous>()
    -> const failures = ids.map((id) => new Error(\`settle \${id}\`));
    ipdb> q
  `,
  );
});

test('SuppressedError (as TypeScript and Babel lower using declarations) and nested causes, depth-first', async () => {
  // What tslib's __disposeResources builds on Node 20, which has no SuppressedError global.
  const suppressed = Object.assign(new Error('dispose failed'), { name: 'SuppressedError' });
  suppressed.error = new Error('close failed', { cause: new Error('socket reset') });
  suppressed.suppressed = new TypeError('body failed');
  const loop = new Error('loop');
  loop.cause = loop; // a cycle is listed once
  const top = new Error('request failed', { cause: suppressed });
  top.errors = 'not an array';
  const s = sessionFor(new AggregateError([top, loop], 'all failed'), undefined);
  expectTranscript(
    s,
    `
    ipdb> exceptions
    >   0 AggregateError: all failed
        1 errors[0]: Error: request failed
        2   cause: SuppressedError: dispose failed
        3     error: Error: close failed
        4       cause: Error: socket reset
        5     suppressed: TypeError: body failed
        6 errors[1]: Error: loop
    ipdb> q
  `,
  );
});

test('a thrown non-Error is the only entry', async () => {
  const s = await sessionOn(() => shop.rejectCode(404));
  expectTranscript(
    s,
    `
    ipdb> exceptions
    >   0 Uncaught 'code 404: missing'
    ipdb> q
  `,
  );
});
