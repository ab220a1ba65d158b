// Transcripts: list (every form, continuation, [EOF]), longlist, source; original TypeScript lines.
import assert from 'node:assert/strict';
import test from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { expectTranscript, sessionFor, sessionOn, shop, shopCjs, transcriptOf } from './harness.mjs';

const { checkout } = shop;
const nullItem = () => sessionOn(() => checkout([null]), { stackLimit: 2 });

test('list shows 11 lines around the current one, continues on repeat (also on an empty line), and "l ." recentres', async () => {
  expectTranscript(
    await nullItem(),
    `
    ipdb> l
          4 let orderCount = 0;
          5
          6 export interface Item { name: string; price: number; qty: number }
          7
          8 function lineTotal(item: Item): number {
    ----> 9   const base = item.price * item.qty;
         10   return base * (1 + TAX_RATE);
         11 }
         12
         13 // @debuggable
         14 export function checkout(cart: Item[], coupon?: string): number {
    ipdb> l
         15   orderCount++;
         16   let total = 0;
         17   for (const item of cart) {
         18     const line = lineTotal(item);
         19     total += line;
         20   }
         21   const discount = applyCoupon(total, coupon);
         22   const result = total - discount;
         23   return result;
         24 }
         25
    ipdb> 
         26 function applyCoupon(total: number, coupon: string | undefined): number {
         27   const codes: Record<string, number> = { TEN: 10 };
         28   const rate = codes[coupon!.toUpperCase()];
         29   return total * rate / 100;
         30 }
         31
         32 export class Register {
         33   constructor(public id: string) {}
         34   close(note: string): void {
         35     const closing = { id: this.id, note };
         36     throw new Error(\`register \${this.id} closed: \${note}\`, { cause: new RangeError('drawer jammed') });
    ipdb> l .
          4 let orderCount = 0;
          5
          6 export interface Item { name: string; price: number; qty: number }
          7
          8 function lineTotal(item: Item): number {
    ----> 9   const base = item.price * item.qty;
         10   return base * (1 + TAX_RATE);
         11 }
         12
         13 // @debuggable
         14 export function checkout(cart: Item[], coupon?: string): number {
    ipdb> q
  `,
  );
});

test('list with arguments: around a line, a range, a count; [EOF] at the end; bad arguments', async () => {
  expectTranscript(
    await nullItem(),
    `
    ipdb> l 100
         95   throw new Error('hostile values');
         96 }
         97
         98 class Vault {
         99   #secret = 42;
        100   visible = 'yes';
        101   peek(): number { return this.#secret; }
        102 }
    [EOF]
    ipdb> l
    [EOF]
    ipdb> l 5, 7
          5
          6 export interface Item { name: string; price: number; qty: number }
          7
    ipdb> l 20, 2
         20   }
         21   const discount = applyCoupon(total, coupon);
         22   const result = total - discount;
    ipdb> l x
    *** Error in argument: 'x'; usage: l(ist) [first[, last] | .]
    ipdb> q
  `,
  );
});

test('moving to another frame restarts the listing there', async () => {
  const { text } = transcriptOf(await nullItem(), ['l', 'u', 'l', 'q']);
  assert.match(text, /ipdb> u\n[^]*ipdb> l\n {5}13 \/\/ @debuggable\n/);
  assert.match(text, /---> 18 {5}const line = lineTotal\(item\);\n {5}19/);
});

test('longlist shows the whole function of the frame', async () => {
  expectTranscript(
    await nullItem(),
    `
    ipdb> u
    > test/transcripts/fixtures/src/shop.ts(18)checkout()
         17   for (const item of cart) {
    ---> 18     const line = lineTotal(item);
         19     total += line;
    ipdb> ll
         14 export function checkout(cart: Item[], coupon?: string): number {
         15   orderCount++;
         16   let total = 0;
         17   for (const item of cart) {
    ---> 18     const line = lineTotal(item);
         19     total += line;
         20   }
         21   const discount = applyCoupon(total, coupon);
         22   const result = total - discount;
         23   return result;
         24 }
    ipdb> q
  `,
  );
});

test('the CommonJS build lists the same TypeScript, read from the inline source map', async () => {
  const s = await sessionOn(() => (0, shopCjs.checkout)([null]), { stackLimit: 2 });
  expectTranscript(
    s,
    `
    ipdb> longlist
          8 function lineTotal(item: Item): number {
    ----> 9   const base = item.price * item.qty;
         10   return base * (1 + TAX_RATE);
         11 }
    ipdb> q
  `,
  );
});

test("source prints a function's original source, marking the current line when it is inside", async () => {
  expectTranscript(
    await nullItem(),
    `
    ipdb> source applyCoupon
    test/transcripts/fixtures/src/shop.ts:
         26 function applyCoupon(total: number, coupon: string | undefined): number {
         27   const codes: Record<string, number> = { TEN: 10 };
         28   const rate = codes[coupon!.toUpperCase()];
         29   return total * rate / 100;
         30 }
    ipdb> source lineTotal
    test/transcripts/fixtures/src/shop.ts:
          8 function lineTotal(item: Item): number {
    ----> 9   const base = item.price * item.qty;
         10   return base * (1 + TAX_RATE);
         11 }
    ipdb> source Math.max
    (no original source: built-in or bound function)
    function max() { [native code] }
    ipdb> source 42
    *** 42 is not a function or class (number): 42
    ipdb> source nope
    *** ReferenceError: nope is not defined
    ipdb> source
    *** usage: source expression
    ipdb> q
  `,
  );
});

test('source of a class and of a function defined by the user at the prompt', async () => {
  const { text } = transcriptOf(await nullItem(), ['source Register', 'function twice(n) { return 2 * n }', 'source twice', 'q']);
  assert.match(
    text,
    /ipdb> source Register\ntest\/transcripts\/fixtures\/src\/shop\.ts:\n {5}32 export class Register \{\n[^]* {5}38 \}\n/,
  );
  // Code typed at the prompt has no file: its own text is the answer.
  assert.match(
    text,
    /ipdb> source twice\n\(no original source: defined by code that has no file \(eval, or typed at the prompt\)\)\nfunction twice\(n\) \{ return 2 \* n \}\n/,
  );
});

test('list and longlist explain what is missing: no source file, no function range', async () => {
  const e = new Error('gone');
  e.stack = 'Error: gone\n    at vanished (/nonexistent/dir/file.js:3:4)';
  expectTranscript(
    sessionFor(e, undefined),
    `
    ipdb> l
    *** No source for /nonexistent/dir/file.js
    ipdb> ll
    *** No source for /nonexistent/dir/file.js
    ipdb> q
  `,
  );
  // A frame with source but no record: longlist does not guess the function's extent.
  const s = await sessionOn(() => checkout([null]), { stackLimit: 3 });
  const { text } = transcriptOf(s, ['u', 'u', 'll', 'q']);
  assert.match(
    text,
    /ipdb> ll\n\*\*\* The function's extent is known for instrumented frames only; use "l" for the lines around the current one\n/,
  );
});

test('with colours, listings are syntax-highlighted and otherwise identical', async () => {
  const plain = transcriptOf(await nullItem(), ['l', 'q']).text;
  const colored = transcriptOf(await nullItem(), ['l', 'q'], { colors: true }).text;
  assert.notEqual(colored, plain);
  assert.ok(colored.includes('\x1b[35mconst\x1b[39m'), 'keywords are coloured');
  assert.ok(colored.includes('\x1b[33m1\x1b[39m'), 'numbers are coloured');
  assert.ok(colored.includes('\x1b[90m// @debuggable\x1b[39m'), 'comments are dimmed');
  assert.equal(stripVTControlCharacters(colored), plain);
});
