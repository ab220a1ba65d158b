// The engine's structured interface (runtime/engine/requests.ts), which the web page uses today and
// a Debug Adapter Protocol front-end (issue #12) will use next: the stack, the scopes of any frame,
// a page of a value's children, an expression evaluated to a value handle, completion with the
// waiting prompt's completer. On a real error captured by the instrumented fixture.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import test from 'node:test';
import { ROOT, sessionOn, shop } from './harness.mjs';

const { SessionView } = createRequire(import.meta.url)(join(ROOT, 'dist/runtime/engine/index.js'));
const noCoupon = () => sessionOn(() => shop.checkout([{ name: 'pen', price: 2, qty: 3 }]), { stackLimit: 2 });
const names = (nodes) => nodes.map((n) => n.name);

test('stack and scopes: every frame, the variables of any frame without selecting it', async () => {
  const s = await noCoupon();
  const view = new SessionView(s);
  view.state();
  const stack = view.request({ method: 'stack' });
  assert.deepEqual(
    stack.frames.map((f) => [f.index, f.name, f.line, f.instrumented]),
    [
      [0, 'applyCoupon', 28, true],
      [1, 'checkout', 21, true],
    ],
  );
  assert.equal(stack.index, 0);
  const here = view.request({ method: 'scopes', params: {} });
  assert.deepEqual(names(here[0].nodes), ['total', 'coupon', 'codes', 'rate']);
  assert.equal(here[0].nodes.find((n) => n.name === 'rate').preview, '<uninitialized>');
  const caller = view.request({ method: 'scopes', params: { frame: 1 } });
  assert.equal(caller[0].name, 'Locals');
  assert.deepEqual(names(caller[0].nodes).slice(0, 3), ['cart', 'coupon', 'total']);
  assert.equal(s.index, 0, 'asking for the scopes of a frame does not select it');
  assert.throws(() => view.request({ method: 'scopes', params: { frame: 9 } }), /no frame 9/);
});

test('evaluate gives a value handle whose children come a page at a time; handles end with the next state', async () => {
  const s = await noCoupon();
  const view = new SessionView(s);
  view.state();
  const { node } = view.request({ method: 'evaluate', params: { expression: 'codes' } });
  assert.equal(node.preview, '{ TEN: 10 }');
  assert.equal(typeof node.ref, 'number');
  const children = view.request({ method: 'children', params: { ref: node.ref } });
  assert.deepEqual(children.nodes[0], { name: 'TEN', preview: '10', type: 'number' });
  // In another frame, without selecting it.
  assert.equal(view.request({ method: 'evaluate', params: { expression: 'cart.length * 10', frame: 1 } }).node.preview, '10');
  assert.equal(s.index, 0);
  // A big value: range nodes, then one page of them.
  const big = view.request({ method: 'evaluate', params: { expression: 'Array.from({ length: 250 }, (_, i) => i * 2)' } }).node;
  const top = view.request({ method: 'children', params: { ref: big.ref } }).nodes;
  assert.deepEqual(
    top.slice(0, 3).map((n) => [n.name, n.range]),
    [
      ['[0 … 99]', [0, 100]],
      ['[100 … 199]', [100, 200]],
      ['[200 … 249]', [200, 250]],
    ],
  );
  const page = view.request({ method: 'children', params: { ref: big.ref, from: 200, to: 250 } }).nodes;
  assert.equal(page.length, 50);
  assert.deepEqual([page[0].name, page[0].preview, page[49].name, page[49].preview], ['200', '400', '249', '498']);
  // An expression that throws is refused with its error; an empty one too.
  assert.throws(
    () => view.request({ method: 'evaluate', params: { expression: 'nope.x' } }),
    /^Error: ReferenceError: nope is not defined$/,
  );
  assert.throws(() => view.request({ method: 'evaluate', params: { expression: ' ' } }), /no expression/);
  // The next prompt's state: the old handles are gone (values may have changed).
  view.state();
  assert.throws(() => view.request({ method: 'children', params: { ref: node.ref } }), /earlier prompt/);
});

test("complete answers with the waiting prompt's completer, and with nothing when the prompt completes nothing", async () => {
  const s = await noCoupon();
  const view = new SessionView(s);
  assert.deepEqual(
    view.request({ method: 'complete', params: { line: 'p cou' } }, (line) => s.complete(line)),
    { candidates: ['coupon'], substring: 'cou' },
  );
  assert.deepEqual(view.request({ method: 'complete', params: { line: 'p cou' } }), { candidates: [], substring: 'p cou' });
  assert.deepEqual(
    view.request({ method: 'complete', params: { line: 'x' } }, () => {
      throw new Error('a broken completer');
    }),
    { candidates: [], substring: 'x' },
  );
});
