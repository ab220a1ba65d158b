// The value graph of a snapshot: live values encoded (read as the page reads them: nothing of the
// program runs) and decoded into values that print as the originals did, identity and cycles kept,
// functions that cannot run, and explicit markers where the budget cut a value.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import test from 'node:test';
import { decode, format, roundTrip } from './helpers.mjs';

const { formatValue, typeName } = format;

test('primitives: undefined, -0, NaN, infinities, bigint, symbols (registered and not, identity kept)', () => {
  const s = Symbol('local');
  const values = {
    u: undefined,
    nz: -0,
    nan: NaN,
    inf: Infinity,
    ninf: -Infinity,
    f: 1.5,
    str: 'text',
    t: true,
    nul: null,
    big: 10n ** 30n,
  };
  const { restored } = roundTrip({ ...values, s1: s, s2: s, reg: Symbol.for('ts-pdb.test'), pair: { a: s, b: s } });
  for (const [k, v] of Object.entries(values)) assert.ok(Object.is(restored[k], v), `${k}: ${String(restored[k])}`);
  assert.equal(typeof restored.s1, 'symbol');
  assert.equal(restored.s1.description, 'local');
  assert.equal(restored.s1, restored.s2, 'one symbol stays one symbol');
  assert.equal(restored.pair.a, restored.pair.b);
  assert.equal(restored.reg, Symbol.for('ts-pdb.test'), 'a registered symbol is the registered one');
});

class Vault {
  visible = 'yes';
  peek() {
    return 42;
  }
}
class Big extends Map {}
class Pattern extends RegExp {}
class MyError extends Error {
  constructor(m) {
    super(m);
    this.name = 'MyError';
    this.code = 'E_MINE';
  }
}
class Base {}
class Derived extends Base {}

/** Values whose restored copy must print, and be named by `whatis`, exactly as the original. */
function printable() {
  const holes = [1, 2, 3];
  delete holes[1];
  holes.extra = 'x';
  const tagged = { [Symbol('tag')]: 'symbol-keyed', plain: [1, 'two', [3, [4, [5]]]] };
  return {
    vault: new Vault(),
    nul: Object.assign(Object.create(null), { k: 1 }),
    map: new Map([
      ['a', 1],
      [{ k: 1 }, [2]],
    ]),
    set: new Set([1, 'x', { y: 2 }]),
    big: new Big([[1, 2]]),
    typed: new Float64Array([1.5, -2, NaN]),
    bigTyped: new BigInt64Array([1n, -2n]),
    buffer: new Uint8Array([1, 2, 255]).buffer,
    date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    badDate: new Date(NaN),
    re: /a+b?/gi,
    pattern: new Pattern('x', 'y'),
    holes,
    tagged,
    getter: {
      ok: 1,
      get g() {
        return 2;
      },
    },
    fn: function named() {},
    arrow: () => 1,
    asyncFn: async function load() {},
    gen: function* walk() {},
    cls: Vault,
    derived: Derived,
    anon: [function () {}],
    boxedNumber: Object(3),
    promise: Promise.resolve(4),
    weak: new WeakMap(),
  };
}

test('restored values print, and are named, as the originals: classes, Map/Set, typed arrays, Date, RegExp, functions', () => {
  const values = printable();
  const { restored } = roundTrip(values);
  for (const [k, v] of Object.entries(values)) {
    assert.equal(formatValue(restored[k]), formatValue(v), `p ${k}`);
    // Built-ins whose content the page cannot read safely are recorded as the text `p` gives them.
    if (!['boxedNumber', 'promise', 'weak'].includes(k))
      assert.equal(formatValue(restored[k], { pretty: true }), formatValue(v, { pretty: true }), `pp ${k}`);
    assert.equal(typeName(restored[k]), typeName(v), `whatis ${k}`);
  }
});

test('errors: name, message, stack, own properties and the cause chain; an AggregateError its errors', () => {
  const cause = new RangeError('inner');
  const e = new MyError('outer');
  e.cause = cause;
  const agg = new AggregateError([new Error('a'), new Error('b')], 'two failed');
  const { restored } = roundTrip({ e, agg });
  assert.ok(restored.e instanceof Error, 'a restored error is an Error (the chain and the banner read it)');
  assert.equal(restored.e.stack, e.stack);
  assert.equal(restored.e.message, 'outer');
  assert.equal(restored.e.name, 'MyError');
  assert.equal(restored.e.code, 'E_MINE');
  assert.equal(restored.e.cause.stack, cause.stack);
  assert.equal(formatValue(restored.e), formatValue(e));
  assert.equal(typeName(restored.e), 'MyError');
  assert.equal(restored.agg.errors.length, 2);
  assert.equal(restored.agg.errors[1].message, 'b');
  assert.equal(formatValue(restored.agg), formatValue(agg));
});

test('identity and cycles are kept', () => {
  const shared = { n: 1 };
  const cyc = { name: 'cyc' };
  cyc.self = cyc;
  const ring = [shared];
  ring.push(ring);
  const m = new Map([[shared, shared]]);
  const { restored } = roundTrip({ a: { shared }, b: { shared }, cyc, ring, m });
  assert.equal(restored.a.shared, restored.b.shared, 'one object referenced twice is one restored object');
  assert.equal(restored.cyc.self, restored.cyc);
  assert.equal(restored.ring[1], restored.ring);
  assert.equal(restored.ring[0], restored.a.shared);
  const [[k, v]] = [...restored.m];
  assert.equal(k, v);
  assert.equal(k, restored.a.shared);
  assert.equal(formatValue(restored.cyc), "<ref *1> { name: 'cyc', self: [Circular *1] }");
});

test('a restored function cannot run: calling it, constructing it or a method says the program is gone', () => {
  const { restored } = roundTrip({ f: function step() {}, arrow: () => 1, cls: Vault, v: new Vault() });
  assert.throws(() => restored.f(), { message: 'restored function step: the program is gone, so it cannot run (a snapshot)' });
  assert.throws(() => restored.arrow(), /restored function arrow: the program is gone/);
  assert.throws(() => new restored.cls(), /restored function Vault: the program is gone/);
  assert.throws(() => restored.v.peek(), /restored function peek: the program is gone/);
  assert.throws(() => restored.v.constructor(), /restored function Vault/);
});

test('hostile values: no getter, Proxy trap, toString, valueOf or inspect hook of the program runs, writing or reading', () => {
  let ran = 0;
  const count = () => {
    ran++;
    return 1;
  };
  const countThrow = () => {
    ran++;
    throw new Error('program code ran');
  };
  const handler = Object.fromEntries(
    [
      'get',
      'set',
      'has',
      'ownKeys',
      'getOwnPropertyDescriptor',
      'getPrototypeOf',
      'setPrototypeOf',
      'defineProperty',
      'deleteProperty',
      'apply',
      'construct',
      'isExtensible',
      'preventExtensions',
    ].map((t) => [t, countThrow]),
  );
  class Tagged {
    x = 1;
    get [Symbol.toStringTag]() {
      return countThrow();
    }
  }
  class Sized extends Map {
    get size() {
      return countThrow();
    }
  }
  class Sourced extends RegExp {
    get source() {
      return countThrow();
    }
    get flags() {
      return countThrow();
    }
  }
  const err = new Error('named by a getter');
  void err.stack;
  Object.defineProperty(err, 'name', { get: countThrow });
  const values = {
    getter: {
      get g() {
        return count();
      },
    },
    thrower: {
      ok: 1,
      get boom() {
        return countThrow();
      },
    },
    proxy: new Proxy({ inside: 1 }, handler),
    fnProxy: new Proxy(function target() {}, handler),
    errProxy: new Proxy(new Error('x'), handler),
    tagged: new Tagged(),
    sized: new Sized([[1, 1]]),
    sourced: new Sourced('a', 'g'),
    err,
    conv: { toString: countThrow, valueOf: countThrow, [Symbol.toPrimitive]: countThrow, toJSON: countThrow },
    hooked: { [inspect.custom]: countThrow, data: 1 },
    deep: { a: { b: { proxy: new Proxy({}, handler) } } },
  };
  const { restored } = roundTrip(values);
  for (const k of Object.keys(values)) {
    formatValue(restored[k]);
    formatValue(restored[k], { pretty: true, deep: true });
    typeName(restored[k]);
  }
  assert.equal(ran, 0, 'no code of the program ran');
  assert.equal(formatValue(restored.getter), '{ g: [Getter] }');
  assert.throws(() => restored.getter.g, /g is a getter that was not called when the snapshot was taken/);
  assert.match(formatValue(restored.proxy), /^Proxy \[ \{ inside: 1 \}, \{ get: \[Function: countThrow\]/);
  assert.equal(typeName(restored.proxy), 'Proxy (object)');
  assert.equal(formatValue(restored.tagged), formatValue(values.tagged));
  assert.equal(formatValue(restored.sized), 'Sized(1) [Map] { 1 => 1 }');
  assert.equal(formatValue(restored.sourced), 'Sourced /a/g');
  assert.equal(restored.err.message, 'named by a getter');
  // The program's hook is not called, writing or reading: the recorded structure is shown.
  assert.match(formatValue(restored.hooked), /data: 1/);
  assert.match(formatValue(restored.conv), /toString: \[Function: countThrow\]/);
  assert.equal(ran, 0, 'no code of the program ran');
});

test('the budget: depth, size, breadth and long strings are cut with explicit markers; roots are never lost', () => {
  let deep = { leaf: true };
  for (let i = 0; i < 12; i++) deep = { next: deep };
  const { restored: d, counts: dc } = roundTrip({ deep }, { maxDepth: 3 });
  assert.equal(dc.cutDepth, 1);
  assert.equal(
    formatValue(d.deep, { depth: 10 }),
    '{ next: { next: { next: { next: [Object] (not in the snapshot: nested too deep) } } } }',
  );

  const wide = Array.from({ length: 5000 }, (_, i) => i);
  const bigMap = new Map(wide.slice(0, 300).map((i) => [i, i]));
  const keys = Object.fromEntries(wide.slice(0, 300).map((i) => [`k${i}`, i]));
  const { restored: w, counts: wc } = roundTrip({ wide, bigMap, keys, long: 'y'.repeat(20_000) }, { maxBreadth: 100, maxString: 50 });
  assert.equal(wc.cutBreadth, 3);
  assert.equal(w.wide.length, 5000, 'an array keeps its length');
  assert.equal(w.wide[99], 99);
  assert.equal(w.wide['(not in the snapshot)'], 'items 100 to 4999 (4900)');
  assert.match(formatValue(w.wide), /97, 98, 99, \.\.\. 4900 more items, '\(not in the snapshot\)': 'items 100 to 4999 \(4900\)' \]$/);
  assert.equal(w.bigMap['(not in the snapshot)'], '200 more entries');
  assert.match(formatValue(w.keys), /^\{ '\(not in the snapshot\)': '200 more properties', k0: 0, /);
  assert.equal(wc.cutStrings, 1);
  assert.equal(w.long, `${'y'.repeat(50)}... [19950 more characters not in the snapshot]`);

  // A graph bigger than the byte budget: the locals are all there, their insides cut, breadth first.
  const locals = {};
  for (let i = 0; i < 20; i++) locals[`local${i}`] = { id: i, rows: Array.from({ length: 200 }, (_, j) => ({ j, text: 'z'.repeat(40) })) };
  const { restored: s, counts: sc, graph } = roundTrip(locals, { maxBytes: 20_000 });
  assert.ok(sc.cutSize > 0, 'the size budget cut something');
  assert.ok(JSON.stringify(graph).length < 60_000, `the graph is bounded (${JSON.stringify(graph).length} bytes)`);
  for (let i = 0; i < 20; i++) assert.equal(s[`local${i}`].id, i, `local${i} is there, with its own fields`);
  // Breadth first: the first arrays are there with their rows cut, the last ones cut themselves.
  assert.equal(s.local0.rows.length, 200);
  assert.match(formatValue(s.local0.rows), /^\[ \[Object\] \(not in the snapshot: over the size budget\), /);
  assert.equal(formatValue(s.local19.rows), '[Array] (not in the snapshot: over the size budget)');
});

test('the decoder builds data only: class names from the file are names, never code, and keys never reach a prototype', () => {
  const graph = [
    {
      t: 'object',
      cls: ['x; process.exit(1)'],
      base: 'process',
      props: [
        ['__proto__', ['o', 1]],
        ['constructor', 'c'],
      ],
    },
    { t: 'object', props: [['polluted', true]] },
    { t: 'function', kind: 'function', name: 'evil', src: 'process.exit(3)' },
  ];
  const dec = new decode.ValueDecoder(graph);
  const o = dec.value(['o', 0]);
  assert.equal(typeName(o), 'x; process.exit(1)');
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(o)), Object.prototype, 'an unknown base is Object');
  assert.equal({}.polluted, undefined, 'no prototype was polluted');
  assert.equal(Object.getOwnPropertyDescriptor(o, '__proto__').value.polluted, true, '`__proto__` is an own property');
  assert.throws(() => dec.value(['o', 2])(), /restored function evil/);
});
