// Displaying hostile values never throws, never runs a Proxy trap or (outside `inspect`) a getter,
// and is bounded: huge arrays, strings and objects say what was cut.
import assert from 'node:assert/strict';
import test from 'node:test';
import { expectTranscript, format, records, sessionOn, shop, transcriptOf } from './harness.mjs';

const hostile = () => sessionOn(() => shop.hostile(), { stackLimit: 1 });

test('getters, Proxies, revoked Proxies, cycles, null prototypes, symbols, BigInt, private fields', async () => {
  expectTranscript(
    await hostile(),
    `
    ipdb> p cyc
    <ref *1> { name: 'cyc', self: [Circular *1] }
    ipdb> p bad
    { ok: 1, boom: [Getter] }
    ipdb> p bad.boom
    *** Error: getter exploded
    ipdb> p prox
    Proxy [ { inside: 1 }, { get: [Function: trap], ownKeys: [Function: trap], getOwnPropertyDescriptor: [Function: trap], getPrototypeOf: [Function: trap], has: [Function: trap] } ]
    ipdb> whatis prox
    Proxy (object)
    ipdb> p prox.inside
    *** Error: a trap ran
    ipdb> p revoked
    <Revoked Proxy>
    ipdb> p nul
    [Object: null prototype] { k: 1 }
    ipdb> whatis nul
    object (null prototype)
    ipdb> p n
    1000000000000000000000000000000n
    ipdb> p priv
    Vault { visible: 'yes' }
    ipdb> p priv.peek()
    42
    ipdb> q
  `,
  );
});

// util.inspect words these differently from one Node line to the next (Node 24 prints symbol keys
// without brackets and a throwing getter's whole error): what matters is what they show.
test('a getter that throws under inspect, and symbol keys, as this Node prints them', async () => {
  const { text } = transcriptOf(await hostile(), ['inspect bad', 'p sym', 'q']);
  assert.match(text, /boom: \[Getter: <Inspection threw \((\{ )?(Error: )?getter exploded/);
  assert.match(text, /\{ \[?Symbol\(tag\)\]?: 'symbol-keyed' \}/);
});

test('a million-element array, a 10 MB string and 5,000 keys are cut, and say so', async () => {
  const s = await hostile();
  const { text } = transcriptOf(s, ['p big', 'p huge', 'p many', 'pp big', 'p locals()', 'q']);
  const out = Object.fromEntries(
    text
      .split(/^ipdb> /m)
      .slice(1)
      .map((chunk) => {
        const nl = chunk.indexOf('\n');
        return [chunk.slice(0, nl), chunk.slice(nl + 1)];
      }),
  );
  assert.match(out['p big'], /^\[ 7, 7, [^\n]*, 7, \.\.\. 999900 more items \]\n$/);
  assert.match(out['p huge'], /^'x{10000}'\.\.\. 10475760 more characters\n$/);
  // Said inside the object, as util.inspect says `... 999900 more items` inside an array.
  assert.match(out['p many'], /^\{ k0: 0, k1: 1, [^\n]* k99: 99, \.\.\. 4900 more properties \}\n$/);
  assert.match(out['pp big'], /\.\.\. 999800 more items\n\]\n$/);
  assert.ok(out['p locals()'].length <= 20_100, `p locals() is bounded (${out['p locals()'].length})`);
  // Every local cut as it would be alone: the 5,000 keys too, inside the locals.
  assert.match(out['p locals()'], /many: \{ k0: 0, [^\n]* k99: 99, \.\.\. 4900 more properties \}/);
  assert.match(out['p locals()'], /big: \[ 7, [^\n]* \.\.\. 999900 more items \]/);
});

test('values that break util.inspect itself are still shown, or described', async () => {
  const { text } = transcriptOf(await hostile(), [
    'p ({ [Symbol.for("nodejs.util.inspect.custom")]() { throw new Error("no") } })',
    'p (() => { const e = new Error("x"); Object.defineProperty(e, "stack", { get() { throw new Error("no stack") } }); return e })()',
    'q',
  ]);
  // A custom inspect hook that throws: the value is shown without it (key wording per Node line).
  assert.match(text, /\{ \[?Symbol\(nodejs\.util\.inspect\.custom\)\]?: \[Function: \[nodejs\.util\.inspect\.custom\]\] \}/);
  // An error whose stack getter throws: described (Node 20) or shown without its stack (Node 24).
  assert.match(text, /<value that cannot be displayed: Error: no stack>|\[Error: x\]/);
  assert.doesNotMatch(text, /\*\*\* /, 'no command failed');
});

test('sentinels print as <uninitialized> and <unavailable>, alone and inside locals()', () => {
  assert.equal(format.formatValue(records.UNINITIALIZED), '<uninitialized>');
  assert.equal(format.formatValue(records.UNAVAILABLE), '<unavailable>');
  assert.equal(format.formatValue({ a: format.displayable(records.UNAVAILABLE) }), '{ a: <unavailable> }');
  assert.equal(format.cap('abcdef', 4), 'abcd... [2 more characters cut]');
  assert.equal(format.describeFault(Symbol('s')), 'Uncaught Symbol(s)');
  assert.equal(format.describeFault({ name: 'Custom', message: 'shaped like an error' }), 'Custom: shaped like an error');
});

test('more values whose display would run program code: none runs, each is shown as inspect would', () => {
  let ran = 0;
  const boom = () => {
    ran++;
    throw new Error('program code ran');
  };
  class Tagged {
    x = 1;
    get [Symbol.toStringTag]() {
      return boom();
    }
  }
  class Named {
    static get name() {
      return boom();
    }
  }
  class Checked {
    static [Symbol.hasInstance]() {
      return boom();
    }
  }
  class Pattern extends RegExp {
    get source() {
      return boom();
    }
    get flags() {
      return boom();
    }
    get global() {
      return boom();
    }
  }
  class Big extends Map {
    get size() {
      return boom();
    }
  }
  const big = new Big(Array.from({ length: 300 }, (_, i) => [i, i]));
  const err = new Error('kept');
  // V8 formats an error's stack when it is first read, calling a name getter: a thrown error's
  // stack is read when its session opens. Here it is read before the getter exists.
  void err.stack;
  Object.defineProperty(err, 'name', { get: boom });
  const unread = new Error('stack never read');
  Object.defineProperty(unread, 'name', {
    get: () => {
      throw new Error('name getter');
    },
  });
  const f = format.formatValue;
  assert.equal(f(new Tagged()), 'Tagged { x: 1 }');
  assert.equal(f({ n: new Checked() }), '{ n: Checked {} }');
  assert.match(f(Named), /^\[class \(anonymous\)\]$|^\[class Named\]$/);
  assert.equal(f(new Pattern('a+', 'g')), 'Pattern /a+/g');
  assert.match(f(big), /^Big\(300\) \[Map\] \{ 0 => 0, 1 => 1, [^\n]*, 99 => 99, \.\.\. 200 more items \}$/);
  assert.match(f(big, { pretty: true }), /^Big\(300\) \[Map\] \{\n[^]*\n {2}199 => 199,\n {2}\.\.\. 100 more items\n\}$/);
  assert.match(f({ err }), /kept/);
  assert.match(format.describeFault(err), /^Error: kept$/);
  // Its stack cannot be formatted (V8 runs the getter, which throws): shown without it.
  assert.equal(f({ unread }), '{ unread: [Error: stack never read] }');
  // Past the depth limit too: inspect reads Symbol.toStringTag of an object it shows as [Tagged].
  assert.equal(f({ a: { b: { c: { d: new Tagged() } } } }), '{ a: { b: { c: { d: [Tagged] } } } }');
  // Thrown Proxies are described without a trap.
  const thrown = new Proxy(new Error('x'), { get: boom, getPrototypeOf: boom, has: boom, getOwnPropertyDescriptor: boom, ownKeys: boom });
  assert.match(format.describeFault(thrown), /^Uncaught Proxy \[/);
  assert.equal(ran, 0, 'no getter, static name, hasInstance or trap of the program ran');
});

test('a display of a huge graph stops after its budget of objects and says so', () => {
  const wide = {};
  for (let i = 0; i < 100; i++) {
    const o = {};
    for (let j = 0; j < 100; j++) o[`k${j}`] = { a: { b: 1 } };
    wide[`w${i}`] = o;
  }
  const text = format.formatValue(wide);
  // The cap's own note (`... [N more characters cut]`) comes on top of its 20,000 characters.
  assert.ok(text.length <= 20_100, `${text.length} characters`);
  assert.match(text, /\.\.\. \[\d+ more objects shown as \[Class\]: the display stops after 10000\]$/);
});
