// The engine works on a frame source (runtime/engine/frame-source.ts), not on the capture: a source
// that is not live, standing in for the snapshot of issue #11 (frames restored from a file, no
// program behind them), gives a whole session: banner, stack, listing, values, evaluation and
// assignment on the restored values, linked errors; `return` and `retry` are refused saying why,
// and the end of the session promises nothing about a program.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { bannerText, expectTranscript, ROOT, Session, SHOP_TS } from './harness.mjs';

const LINES = readFileSync(join(ROOT, SHOP_TS), 'utf8').split('\n');

/** A binding over a restored value, as a snapshot source would make one. */
function binding(name, kind, value) {
  const store = [value];
  return {
    name,
    kind,
    get: () => store[0],
    set: (v) => {
      store[0] = v;
    },
  };
}

/** A frame of the snapshot: restored locals, the source text carried in the file. */
function frame(name, line, col, locals) {
  return {
    name,
    kind: 'file',
    file: join(ROOT, SHOP_TS),
    line,
    col,
    instrumented: true,
    selectable: true,
    hasThis: false,
    thisValue: undefined,
    locals: new Map(locals.map((b) => [b.name, b])),
    closure: new Map(),
    lines: () => LINES,
  };
}

/** A frame source of kind `snapshot`: an error restored with its cause, and the frames of each. */
function snapshotSource() {
  const cause = { name: 'RangeError', message: 'rate unknown', stack: 'RangeError: rate unknown' };
  const thrown = Object.assign(Object.create(Error.prototype), {
    name: 'TypeError',
    message: "Cannot read properties of undefined (reading 'toUpperCase')",
    cause,
    stack: "TypeError: Cannot read properties of undefined (reading 'toUpperCase')",
  });
  const frames = [
    frame('applyCoupon', 28, 29, [
      binding('total', 'param', 7.2),
      binding('coupon', 'param', undefined),
      binding('codes', 'const', { TEN: 10 }),
    ]),
    frame('checkout', 21, 19, [binding('cart', 'param', [{ name: 'pen', price: 2, qty: 3 }]), binding('total', 'let', 7.2)]),
  ];
  return {
    kind: 'snapshot',
    thrown,
    framesOf: (value) => (value === thrown ? frames : []),
    boundary: () => ({ name: 'checkout', retry: true }),
  };
}

test('a session on a frame source that is not live: stack, values, evaluation; return and retry refused', () => {
  const s = new Session(snapshotSource(), { recoverable: true });
  assert.equal(s.live, false);
  assert.equal(s.recoverable, false, 'nothing to return to');
  assert.equal(s.goodbye, 'ts-pdb: session ended.\n');
  const banner = bannerText(s);
  assert.match(banner, /^Exception caught in checkout:\nTypeError: Cannot read properties of undefined \(reading 'toUpperCase'\)\n/);
  assert.match(banner, /\(1 linked error: cause, errors or suppressed; `exceptions` lists them\)/);
  assert.match(banner, /Entering post-mortem session: h for help; c or q ends it\.\n/, 'no error goes on: there is no program');
  assert.match(banner, /^---> 28 {3}const rate = codes\[coupon!\.toUpperCase\(\)\];$/m);
  expectTranscript(
    s,
    `
    ipdb> w
      test/transcripts/fixtures/src/shop.ts(21)checkout()
    -> const discount = applyCoupon(total, coupon);
    > test/transcripts/fixtures/src/shop.ts(28)applyCoupon()
    -> const rate = codes[coupon!.toUpperCase()];
    ipdb> a
    total = 7.2
    coupon = undefined
    ipdb> p codes.TEN * total
    72
    ipdb> u
    > test/transcripts/fixtures/src/shop.ts(21)checkout()
         20   }
    ---> 21   const discount = applyCoupon(total, coupon);
         22   const result = total - discount;
    ipdb> total = 100
    ipdb> p total / 4
    25
    ipdb> p locals()
    { cart: [ { name: 'pen', price: 2, qty: 3 } ], total: 100 }
    ipdb> exceptions
    >   0 TypeError: Cannot read properties of undefined (reading 'toUpperCase')
        1 cause: RangeError: rate unknown
    ipdb> return 0
    *** return is not available here: the program is not running (a snapshot), there is nothing to go back to
    ipdb> retry
    *** retry is not available here: the program is not running (a snapshot), there is nothing to go back to
    ipdb> q
  `,
  );
});
