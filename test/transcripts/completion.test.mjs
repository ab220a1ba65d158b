// Tab completion as a transport asks for it (the completer handed to readLine) and on the session:
// command names, names in scope, properties after a dot, and never a getter or a Proxy trap run.
import assert from 'node:assert/strict';
import test from 'node:test';
import { capture, FakeChannel, runSession, sessionFor, sessionOn, shop } from './harness.mjs';

const { checkout } = shop;
const noCoupon = () => sessionOn(() => checkout([{ name: 'pen', price: 2, qty: 3 }]), { stackLimit: 2 });

/** The completer a transport receives with the first prompt. */
async function completerOf(session) {
  const ch = new FakeChannel([]);
  runSession(session, ch, { banner: false });
  assert.equal(typeof ch.completer, 'function');
  return ch.completer;
}

test('the first word completes command names (and names in scope once something is typed)', async () => {
  const complete = await completerOf(await noCoupon());
  const [all, sub] = complete('');
  assert.equal(sub, '');
  for (const c of ['help', 'h', 'where', 'bt', 'up', 'down', 'list', 'll', 'p', 'pp', 'exceptions', 'q']) assert.ok(all.includes(c), c);
  assert.ok(!all.includes('codes'), 'an empty line offers commands only');
  const [u] = complete('u');
  for (const c of ['u', 'up', 'undisplay', 'undefined']) assert.ok(u.includes(c), c);
  assert.deepEqual(complete('cod'), [['codes'], 'cod']);
});

test('after an expression command: locals, module bindings, globals, keywords', async () => {
  const complete = await completerOf(await noCoupon());
  assert.deepEqual(complete('p co'), [['codes', 'console', 'const', 'coupon'], 'co']);
  assert.deepEqual(complete('p TAX'), [['TAX_RATE'], 'TAX']);
  assert.deepEqual(complete('display tot'), [['total'], 'tot']);
  assert.deepEqual(complete('!cod'), [['codes'], 'cod']);
  assert.deepEqual(complete('p total + cod'), [['codes'], 'cod']);
  assert.deepEqual(complete('p locals'), [['locals'], 'locals']);
  assert.deepEqual(complete('p Reg'), [['Register', 'RegExp'].sort(), 'Reg']);
});

test('after a dot: the properties of the value, its prototypes included, as the word after the dot (what bash lists)', async () => {
  const complete = await completerOf(await noCoupon());
  assert.deepEqual(complete('p codes.T'), [['TEN'], 'T']);
  assert.deepEqual(complete('p total.toF'), [['toFixed'], 'toF']);
  assert.deepEqual(complete('p Math.ma'), [['max'], 'ma']);
  assert.deepEqual(complete('p Math . LN'), [['LN10', 'LN2'], 'LN']);
  const [all, after] = complete('p Math.');
  assert.equal(after, '');
  for (const name of ['E', 'PI', 'abs', 'max', 'valueOf']) assert.ok(all.includes(name), name);
  assert.ok(!all.some((c) => c.includes('.')), 'no candidate repeats "Math."');
  assert.deepEqual(complete('p coupon.'), [[], '']);
  assert.deepEqual(complete('p rate.'), [[], ''], 'a binding in its TDZ has no properties');
  assert.deepEqual(complete('p nothing.'), [[], '']);
});

test('arguments that are not expressions: h completes commands, u completes nothing', async () => {
  const complete = await completerOf(await noCoupon());
  assert.deepEqual(complete('h li'), [['list'], 'li']);
  assert.deepEqual(complete('u '), [[], '']);
});

test('completion never calls a getter or a Proxy trap', () => {
  let runs = 0;
  const obj = {
    get lazy() {
      runs++;
      return { deep: 1 };
    },
    plain: { inner: 1 },
    prox: new Proxy(
      { hidden: 1 },
      {
        get() {
          runs++;
        },
        ownKeys() {
          runs++;
          return [];
        },
        getPrototypeOf() {
          runs++;
          return null;
        },
      },
    ),
  };
  // A module descriptor and a frame record, as the transform's catch clauses would make them.
  const mod = capture.m({
    file: '/virtual/lazy.ts',
    ev: (c) => eval(c),
    g: {},
    meta: JSON.stringify({
      v: 1,
      fns: [
        {
          name: 'f',
          line: 1,
          col: 0,
          endLine: 3,
          endCol: 1,
          names: ['obj'],
          kinds: ['const'],
          closure: [],
          boundary: true,
          hasThis: false,
        },
      ],
      scopes: [],
    }),
  });
  const err = new Error('lazy');
  capture.f(err, mod, 0, undefined, obj);
  const s = sessionFor(err, capture.captureOf(err, false));
  assert.equal(s.frame.name, 'f');
  const [props] = s.complete('p obj.');
  for (const p of ['lazy', 'plain', 'prox', 'hasOwnProperty']) assert.ok(props.includes(p), p);
  assert.deepEqual(s.complete('p obj.plain.in'), [['inner'], 'in']);
  assert.deepEqual(s.complete('p obj.lazy.'), [[], '']);
  assert.deepEqual(s.complete('p obj.prox.'), [[], '']);
  assert.equal(runs, 0);
});
