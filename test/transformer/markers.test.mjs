// Which functions become debug boundaries: `// @debuggable` and `/** @debuggable */` on every
// function form, the decorators imported from ts-pdb, `// @no-debug`, and `instrument: "all"`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { babelTranspile, scratch, transpile, writeBuild } from '../helpers/build.mjs';

const require = createRequire(import.meta.url);
const capture = require('../../dist/runtime/capture.js');

/** The functions the transform recorded for `source`: name -> boundary flag. */
function instrumented(source, transform = {}, compilerOptions = {}) {
  const { code } = transpile(source, { transform, compilerOptions });
  const m = /meta: ("(?:[^"\\]|\\.)*")/.exec(code);
  if (!m) return {};
  const meta = JSON.parse(JSON.parse(m[1]));
  return Object.fromEntries(meta.fns.map((f) => [f.name, f.boundary]));
}

test('// @debuggable and /** @debuggable */ mark every function form', () => {
  const fns = instrumented(`
// @debuggable
function declaration() { return 1; }
/** @debuggable */
const expression = function () { return 2; };
// @debuggable
const arrow = (x: number) => x * 2;
const inline = /* @debuggable */ async (x: number) => x;
// @debuggable
function* generator() { yield 1; }
// @debuggable
async function asyncFn() { await 0; }
class K {
  // @debuggable
  constructor(public a: number) { this.a = Math.abs(a); }
  // @debuggable
  method() { return this.a; }
  /** @debuggable */
  get value() { return this.a; }
  // @debuggable
  set value(v: number) { this.a = v; }
  // @debuggable
  static async *stream() { yield 1; }
}
const object = {
  // @debuggable
  shorthand() { return 3; },
  // @debuggable
  property: function () { return 4; },
};
function notMarked() { return 5; }
export { declaration, expression, arrow, inline, generator, asyncFn, K, object, notMarked };
`);
  assert.deepEqual(fns, {
    declaration: true,
    expression: true,
    arrow: true,
    inline: true,
    generator: true,
    asyncFn: true,
    'K.constructor': true,
    'K.method': true,
    'get K.value': true,
    'set K.value': true,
    'K.stream': true,
    shorthand: true,
    property: true,
  });
});

for (const [label, compilerOptions] of [
  ['TC39 decorators', {}],
  ['experimentalDecorators', { experimentalDecorators: true }],
]) {
  test(`@attachOnError() and @Debugger.attachOnError() imported from ts-pdb mark methods (${label})`, () => {
    const src = `import { attachOnError, Debugger as D } from 'ts-pdb';
import { attachOnError as other } from './elsewhere';
export class C {
  @attachOnError() a() { return 1; }
  @D.attachOnError() b() { return 2; }
  @other() c() { return 3; }
  d() { return 4; }
}`;
    assert.deepEqual(instrumented(src, {}, compilerOptions), { 'C.a': true, 'C.b': true });
    const { code } = transpile(src, { compilerOptions });
    assert.doesNotMatch(code, /require\("ts-pdb"\)/, 'the marker import is gone');
    assert.match(code, /elsewhere/, 'a decorator of the same name from another module stays');
  });
}

test('instrument: "all" captures every function; markers stay boundaries; // @no-debug opts out', () => {
  const fns = instrumented(
    `
export function plain() { return 1; }
// @debuggable
export function boundary() { return 2; }
// @no-debug
export function hot() { return 3; }
export const arrow = () => 4;
export const noop = () => {};
export class Point { constructor(readonly x: number) {} }
`,
    { instrument: 'all' },
  );
  // Functions with an empty body (nothing in them can throw) are left as written.
  assert.deepEqual(fns, { plain: false, boundary: true, arrow: false });
});

test('instrument: "all" leaves a function inside a type alone (erased with the type) and instruments the rest', () => {
  // A function in a type position was once handed to the instrumenter without a scope, and the
  // build crashed ("Cannot read properties of undefined (reading 'order')").
  const source = `
type Key = { [(() => 1)()]: number };
export function after(a: number) { const b = a + 1; return b; }
`;
  assert.deepEqual(instrumented(source, { instrument: 'all' }), { after: false });
  const { code } = babelTranspile(source, { transform: { instrument: 'all' } });
  assert.match(code, /function after\(a\) \{\n\s+let b;\n\s+try \{/);
});

test('a marked function captures its locals when debugging is on, and not at all when off', () => {
  const dir = scratch('markers-');
  const js = writeBuild(
    dir,
    'marked',
    `
// @debuggable
export function risky(input: { n?: number }) {
  const twice = (input.n ?? 0) * 2;
  return twice.toFixed(-1);
}`,
    { transform: { instrument: 'marked' } },
  );
  const { risky } = require(js);
  const { settings } = capture;
  const saved = settings.modeText;
  // An invalid mode makes the boundary say so and return at once (no session in this test).
  settings.modeText = 'none-in-this-test';
  let off, on;
  try {
    try {
      risky({ n: 2 });
    } catch (e) {
      off = e;
    }
    settings.enabled = true;
    try {
      risky({ n: 3 });
    } catch (e) {
      on = e;
    }
  } finally {
    settings.enabled = false;
    settings.modeText = saved;
  }
  assert.ok(off instanceof RangeError && on instanceof RangeError, 'the original RangeError comes out both times');
  assert.equal(capture.captureOf(off, false), undefined, 'debugging off: nothing captured');
  const c = capture.captureOf(on, false);
  assert.equal(c.handled, true, 'the boundary handled the error once');
});
