// Transcripts: p, pp, whatis, inspect, !statements and bare JavaScript, evaluated in the selected
// frame: its locals (TDZ kept), the module's bindings (renamed imports too), this, locals()/globals().
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import test from 'node:test';
import { scratch, writeBuild } from '../helpers/build.mjs';
import { capture, expectTranscript, sessionFor, sessionOn, shop, shopCjs, thrownBy, transcriptOf } from './harness.mjs';

const { checkout } = shop;
// checkout(cart) without a coupon: applyCoupon reads undefined.toUpperCase().
const noCoupon = () => sessionOn(() => checkout([{ name: 'pen', price: 2, qty: 3 }]), { stackLimit: 2 });

test("p reads the frame's locals; a binding still in its TDZ throws as it would have in the program", async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> p locals()
    { total: 7.199999999999999, coupon: undefined, codes: { TEN: 10 }, rate: <uninitialized> }
    ipdb> p rate
    *** ReferenceError: Cannot access 'rate' before initialization
    ipdb> p total / codes.TEN
    0.72
    ipdb> p "a"
    'a'
    ipdb> q
  `,
  );
});

test('assignments write back into the captured frame (py_debug: y = 2 then p x / y); each frame has its own', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> coupon = "ten"
    ipdb> p codes[coupon.toUpperCase()]
    10
    ipdb> p locals()
    { total: 7.199999999999999, coupon: 'ten', codes: { TEN: 10 }, rate: <uninitialized> }
    ipdb> u
    > test/transcripts/fixtures/src/shop.ts(21)checkout()
         20   }
    ---> 21   const discount = applyCoupon(total, coupon);
         22   const result = total - discount;
    ipdb> p coupon
    undefined
    ipdb> d
    > test/transcripts/fixtures/src/shop.ts(28)applyCoupon()
         27   const codes: Record<string, number> = { TEN: 10 };
    ---> 28   const rate = codes[coupon!.toUpperCase()];
         29   return total * rate / 100;
    ipdb> p coupon
    'ten'
    ipdb> !total = 1
    ipdb> p total
    1
    ipdb> q
  `,
  );
});

test('names declared at the prompt stay defined for the session', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> let z = total * 2
    ipdb> p z
    14.399999999999999
    ipdb> var a1 = 1, b1 = 2
    ipdb> p a1 + b1
    3
    ipdb> const {x: renamed, y} = {x: 1, y: 2}
    ipdb> p renamed + y
    3
    ipdb> function sq(n) { return n * n }
    ipdb> sq(3)
    9
    ipdb> p Object.keys(locals())
    [ 'total', 'coupon', 'codes', 'rate', 'z', 'a1', 'b1', 'renamed', 'y', 'sq' ]
    ipdb> q
  `,
  );
});

test('module bindings: constants, imports, and assignments that reach the module itself', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> p TAX_RATE
    0.2
    ipdb> p readFile.name
    'readFileSync'
    ipdb> orderCount = 100
    ipdb> p globals().orderCount
    100
    ipdb> p Object.keys(globals()).includes('Register')
    true
    ipdb> q
  `,
  );
  // The module's own `let` changed: the next checkout counts from there.
  const next = await noCoupon();
  expectTranscript(
    next,
    `
    ipdb> p orderCount
    101
    ipdb> q
  `,
  );
});

test('CommonJS output renames imports (readFile -> node_fs_1.readFileSync): the source name still works', async () => {
  const s = await sessionOn(() => (0, shopCjs.checkout)([{ name: 'pen', price: 2, qty: 3 }]), { stackLimit: 2 });
  expectTranscript(
    s,
    `
    ipdb> p readFile === require('node:fs').readFileSync
    true
    ipdb> p typeof node_fs_1
    'undefined'
    ipdb> p __filename.endsWith('shop.cjs')
    true
    ipdb> p TAX_RATE * total
    1.44
    ipdb> q
  `,
  );
});

test("this is the frame's receiver", async () => {
  const s = await sessionOn(() => new shop.Register('R7').close('late'), { stackLimit: 1 });
  expectTranscript(
    s,
    `
    ipdb> p this.id
    'R7'
    ipdb> p closing
    { id: 'R7', note: 'late' }
    ipdb> this.id = 'R8'
    ipdb> p this
    Register { id: 'R8' }
    ipdb> q
  `,
  );
});

test('closure variables of an arrow are readable and writable', async () => {
  const inc = shop.makeCounter(1);
  inc(1);
  const s = await sessionOn(() => inc(5), { stackLimit: 1 });
  expectTranscript(
    s,
    `
    ipdb> p locals()
    { step: 5, count: 7 }
    ipdb> count = 0
    ipdb> p count + step
    5
    ipdb> q
  `,
  );
});

test('errors in expressions and statements are printed and the session goes on', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> p nope
    *** ReferenceError: nope is not defined
    ipdb> p (
    *** SyntaxError: Unexpected end of input
    ipdb> zz(
    *** SyntaxError: Unexpected end of input
    ipdb> p let x = 1
    *** SyntaxError: expected an expression (statements run with !)
    ipdb> !throw new Error("boom")
    *** Error: boom
    ipdb> !throw 42
    *** Uncaught 42
    ipdb> p coupon.toUpperCase()
    *** TypeError: Cannot read properties of undefined (reading 'toUpperCase')
    ipdb> p 6 * 7
    42
    ipdb> q
  `,
  );
});

test('bare lines: an expression prints its value (not undefined), an assignment or declaration prints nothing', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> total * 10
    72
    ipdb> void 0
    ipdb> {a: 1}
    { a: 1 }
    ipdb> var l = [1, 2]
    ipdb> l.length
    2
    ipdb> l[0] = 5
    ipdb> !l
    [ 5, 2 ]
    ipdb> p l
    [ 5, 2 ]
    ipdb> q
  `,
  );
});

test('whatis names the type; pp spreads over lines; inspect goes deeper and shows hidden properties', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> whatis total
    number
    ipdb> whatis codes
    Object
    ipdb> whatis lineTotal
    function lineTotal
    ipdb> whatis Register
    class Register
    ipdb> whatis pay
    async function pay
    ipdb> whatis null
    null
    ipdb> whatis 10n
    bigint
    ipdb> pp {alpha: "a".repeat(30), beta: "b".repeat(30), gamma: [1, 2, 3]}
    {
      alpha: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      beta: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
      gamma: [ 1, 2, 3 ]
    }
    ipdb> inspect [1, [2, [3, [4]]]] 1
    [ 1, [ 2, [Array], [length]: 2 ], [length]: 2 ]
    ipdb> inspect [1, [2, [3, [4]]]]
    [
      1,
      [ 2, [ 3, [ 4, [length]: 1 ], [length]: 2 ], [length]: 2 ],
      [length]: 2
    ]
    ipdb> q
  `,
  );
});

test('commands need their argument and say so', async () => {
  expectTranscript(
    await noCoupon(),
    `
    ipdb> p
    *** usage: p expression
    ipdb> pp
    *** usage: pp expression
    ipdb> whatis
    *** usage: whatis expression
    ipdb> inspect
    *** usage: inspect expression [depth]
    ipdb> q
  `,
  );
});

test('a frame without a module hook evaluates in the global scope, strict', async () => {
  const e = new Error('plain');
  const { text } = transcriptOf(sessionFor(e, undefined), ['p typeof process', 'undeclaredThing = 1', 'p typeof undeclaredThing', 'q']);
  assert.match(text, /ipdb> p typeof process\n'object'\n/);
  // Strict: assigning an undeclared name is an error, not a new global. The frame has no locals
  // (this test file is not instrumented), and the error says so.
  assert.match(
    text,
    /ipdb> undeclaredThing = 1\n\*\*\* ReferenceError: undeclaredThing is not defined \(no locals for \S+: this frame was not instrumented\)\n/,
  );
  assert.equal(globalThis.undeclaredThing, undefined);
});

test('a frame nothing was captured from says why at locals(), this and a name; globals and module bindings still evaluate', async () => {
  // A session that opens at a boundary further in (here: at lineTotal) has the records of the frames
  // from there inwards: checkout's locals would be captured when the error leaves it, which it has not
  // yet (the README's Job.run). lineTotal's record is there: its `this` is undefined, and says so.
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 2;
  let err;
  try {
    err = await thrownBy(() => checkout([null]));
  } finally {
    Error.stackTraceLimit = saved;
  }
  const inner = { frames: capture.captureOf(err, false).frames.slice(0, 1), pending: [], handled: true };
  expectTranscript(
    sessionFor(err, inner),
    `
    ipdb> p this
    undefined
    ipdb> u
    > test/transcripts/fixtures/src/shop.ts(18)checkout()
         17   for (const item of cart) {
    ---> 18     const line = lineTotal(item);
         19     total += line;
    ipdb> p locals()
    *** No locals for checkout: the session opened before the error left it
    ipdb> p this
    *** No 'this' for checkout: the session opened before the error left it
    ipdb> whatis this
    *** No 'this' for checkout: the session opened before the error left it
    ipdb> p total
    *** ReferenceError: total is not defined (no locals for checkout: the session opened before the error left it)
    ipdb> p cart.length
    *** ReferenceError: cart is not defined (no locals for checkout: the session opened before the error left it)
    ipdb> p Object.keys(locals())
    *** No locals for checkout: the session opened before the error left it
    ipdb> p 1 + 1
    2
    ipdb> p Math.PI
    3.141592653589793
    ipdb> p TAX_RATE * 10
    2
    ipdb> q
  `,
  );
});

test('a frame whose record has no locals answers {} and undefined: that is what it has', async () => {
  const dir = scratch('transcript-empty-');
  const js = writeBuild(dir, 'empty', `export function empty() { throw new Error('nothing here'); }\n`, {
    transform: { instrument: 'all' },
  });
  const { empty } = createRequire(import.meta.url)(js);
  const s = await sessionOn(empty, { stackLimit: 1 });
  expectTranscript(
    s,
    `
    ipdb> p locals()
    {}
    ipdb> p this
    undefined
    ipdb> a
    ipdb> q
  `,
  );
});
