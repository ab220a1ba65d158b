// The report printed instead of a session when there is no terminal: every frame, oldest first,
// with its location, source line and locals; the error and its linked errors last; bounded.
import assert from 'node:assert/strict';
import test from 'node:test';
import { reportText, ROOT, sessionOn, shop, SHOP_TS } from './harness.mjs';

test('the report reads like a Python traceback with the locals of every instrumented frame', async () => {
  const { safeCheckout } = shop;
  const s = await sessionOn(() => safeCheckout([null]), { stackLimit: 1 });
  // The compiled position of the cause's stack changes with every change of the generated code.
  const text = reportText(s).replace(/shop\.mjs:\d+:\d+/, 'shop.mjs:LINE:COL');
  assert.equal(
    text,
    `\
Exception caught in safeCheckout:
Traceback (most recent call last):
  File "${SHOP_TS}", line 50, in safeCheckout
    throw new Error(\`checkout failed (attempt \${attempt})\`, { cause: e });
      cart = [ null ]
      attempt = 1
      e = TypeError: Cannot read properties of null (reading 'price')
            at lineTotal (file://${ROOT}/test/transcripts/fixtures/shop.mjs:LINE:COL)
Error: checkout failed (attempt 1)
  [cause] TypeError: Cannot read properties of null (reading 'price')
`,
  );
});

test('frames without records show their location and source line; node internals are folded', async () => {
  const s = await sessionOn(() => (0, shop.checkout)([null]));
  const text = reportText(s);
  assert.match(text, /^ {2}\[\d+ node-internal frames?\]$/m);
  assert.match(text, /^ {2}File "test\/transcripts\/harness\.mjs", line \d+, in thrownBy\n {4}await fn\(\);\n {2}File/m);
  assert.ok(
    text.includes(`  File "${SHOP_TS}", line 18, in checkout
    const line = lineTotal(item);
      cart = [ null ]
      coupon = undefined
      total = 0
      item = null
      discount = <uninitialized>
      result = <uninitialized>
      line = <uninitialized>
  File "${SHOP_TS}", line 9, in lineTotal
    const base = item.price * item.qty;
      item = null
      base = <uninitialized>
TypeError: Cannot read properties of null (reading 'price')
`),
    text,
  );
});

test('huge values are cut per value; the report stays small', async () => {
  const s = await sessionOn(() => shop.hostile(), { stackLimit: 1 });
  const text = reportText(s);
  assert.ok(text.length < 6000, `report is ${text.length} characters`);
  assert.match(text, /^ {6}huge = 'x+\.\.\. \[\d+ more characters cut\]$/m);
  assert.match(text, /^ {6}prox = Proxy \[/m);
  assert.match(text, /^ {6}revoked = <Revoked Proxy>$/m);
});

test('a thrown primitive is reported too', async () => {
  const { rejectCode } = shop;
  const s = await sessionOn(() => rejectCode(404));
  assert.equal(
    reportText(s),
    `\
Exception caught in rejectCode:
Traceback (most recent call last):
  File "${SHOP_TS}", line 59, in rejectCode
    export function rejectCode(code: number): never {
      code = 404
      reason = 'missing'
Uncaught 'code 404: missing'
`,
  );
});
